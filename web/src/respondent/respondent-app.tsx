// The respondent page behind a link: loads the pinned version and saved answers in the right language, then
// shows the survey (survey-page.tsx), or a clear page when the link cannot be used or the answers are sent.
import type { i18n } from 'i18next';
import { useCallback, useEffect, useState } from 'react';
import { ApiProblem, loadSurvey, type SurveyView } from './api.ts';
import { applyDocumentLanguage, browserLanguage, createRespondentI18n } from './i18n.ts';
import { MessagePage } from './message-page.tsx';
import { OptOutPage } from './opt-out-page.tsx';
import { SurveyPage } from './survey-page.tsx';
import './respondent.css';

type Phase =
  | { kind: 'loading' }
  | { kind: 'survey'; view: SurveyView }
  | { kind: 'message'; message: 'done' | 'closed' | 'invalid' | 'notOpen' | 'error' };

const problemPages: Record<string, 'closed' | 'invalid' | 'notOpen'> = {
  survey_closed: 'closed',
  link_not_valid: 'invalid',
  survey_not_open: 'notOpen',
  response_completed: 'closed',
};

/** A submitted participant response shows only the thank-you page; a municipal one its answers, read-only. */
function phaseOf(view: SurveyView): Phase {
  return view.status === 'completed' && !view.definition
    ? { kind: 'message', message: 'done' }
    : { kind: 'survey', view };
}

function problemPhase(err: unknown): Phase {
  return {
    kind: 'message',
    message: err instanceof ApiProblem ? (problemPages[err.problem.code] ?? 'error') : 'error',
  };
}

export function RespondentApp({ token }: { token: string }) {
  const [i18n, setI18n] = useState<i18n | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });

  useEffect(() => {
    const first = browserLanguage();
    void createRespondentI18n(first).then((instance) => {
      applyDocumentLanguage(first);
      setI18n(instance);
      loadSurvey(token)
        .then(async (view) => {
          await instance.changeLanguage(view.locale);
          applyDocumentLanguage(view.locale);
          setPhase(phaseOf(view));
        })
        .catch((err) => setPhase(problemPhase(err)));
    });
  }, [token]);

  const done = useCallback(() => setPhase({ kind: 'message', message: 'done' }), []);
  const reload = useCallback(
    (locale: string) =>
      loadSurvey(token, locale).then(
        (view) => setPhase(phaseOf(view)),
        (err) => setPhase(problemPhase(err)),
      ),
    [token],
  );
  if (!i18n) return null;
  if (new URLSearchParams(window.location.search).get('optout') === '1')
    return <OptOutPage i18n={i18n} token={token} />;
  if (phase.kind === 'loading') return <p className="svar-loading">{i18n.t('loading')}</p>;
  if (phase.kind === 'message') return <MessagePage i18n={i18n} kind={phase.message} />;
  return <SurveyPage i18n={i18n} token={token} view={phase.view} onDone={done} onReload={reload} />;
}
