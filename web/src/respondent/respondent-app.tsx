// The respondent page behind a link: loads the pinned version and saved answers in the right language, then
// shows the survey (survey-page.tsx), or a clear page when the link cannot be used or the answers are sent.
import type { i18n } from 'i18next';
import { lazy, Suspense, startTransition, useCallback, useEffect, useState } from 'react';
import { ApiProblem, loadSurvey, type SurveyView } from './api.ts';
import { applyDocumentLanguage, browserLanguage, createRespondentI18n, switchLanguage } from './i18n.ts';
import { MessagePage } from './message-page.tsx';
import { prefetchSurveyAssets } from './prefetch.ts';
import { SurveyShell } from './survey-shell.tsx';
import './respondent.css';

// SurveyJS is most of the page's bytes: a chunk of its own, prefetched by the HTML (web/build/prefetch.ts) while
// the page shows the survey's title and introduction (survey-shell.tsx), and evaluated when the respondent
// starts. The opt-out page is rarely used.
const SurveyPage = lazy(() => import('./survey-page.tsx').then((m) => ({ default: m.SurveyPage })));
const OptOutPage = lazy(() => import('./opt-out-page.tsx').then((m) => ({ default: m.OptOutPage })));

/** SurveyJS's strings in a language (with SurveyJS itself, the first time). */
const surveyLanguage = (locale: string) =>
  import('./survey-setup.ts').then((m) => m.loadSurveyLanguage(locale));

/** Holds the place of the survey while it loads, so nothing below it jumps when it arrives. */
function Loading({ text }: { text?: string }) {
  return (
    <p className="svar-loading" aria-busy="true">
      {text}
    </p>
  );
}

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
  // The questions are shown once the respondent presses start (a read-only view needs no press); SurveyJS is
  // evaluated only then, so loading the page never blocks a tap on a slow phone.
  const [surveyWanted, setSurveyWanted] = useState(false);
  const [starting, setStarting] = useState(false);
  const [languageChanged, setLanguageChanged] = useState(false);
  const start = useCallback((locale: string) => {
    setStarting(true);
    void surveyLanguage(locale).then(
      () => startTransition(() => setSurveyWanted(true)),
      () => {
        setStarting(false);
        setPhase({ kind: 'message', message: 'error' });
      },
    );
  }, []);
  const shown = phase.kind === 'survey';
  useEffect(() => {
    if (!shown) return;
    // After the start page has painted: its bytes are not shared with the first paint.
    const frame = requestAnimationFrame(() => setTimeout(prefetchSurveyAssets, 0));
    return () => cancelAnimationFrame(frame);
  }, [shown]);
  const readOnlyLocale = phase.kind === 'survey' && phase.view.readOnly ? phase.view.locale : null;
  useEffect(() => {
    if (readOnlyLocale && !surveyWanted) start(readOnlyLocale);
  }, [readOnlyLocale, surveyWanted, start]);

  useEffect(() => {
    const first = browserLanguage();
    // The survey and the interface strings load side by side, not one after the other.
    const view = loadSurvey(token);
    view.catch(() => {}); // handled below, once the strings are there: not an unhandled rejection meanwhile
    void createRespondentI18n(first).then((instance) => {
      applyDocumentLanguage(first);
      setI18n(instance);
      view
        .then(async (v) => {
          await switchLanguage(instance, v.locale);
          applyDocumentLanguage(v.locale);
          setPhase(phaseOf(v));
        })
        .catch((err) => setPhase(problemPhase(err)));
    });
  }, [token]);

  /** Before start: the view in another language, and the page's own strings with it. */
  const changeLanguage = useCallback(
    (locale: string) => {
      if (!i18n) return;
      loadSurvey(token, locale).then(
        async (v) => {
          await switchLanguage(i18n, v.locale);
          applyDocumentLanguage(v.locale);
          setLanguageChanged(true);
          setPhase(phaseOf(v));
        },
        (err) => setPhase(problemPhase(err)),
      );
    },
    [i18n, token],
  );

  const done = useCallback(() => setPhase({ kind: 'message', message: 'done' }), []);
  const reload = useCallback(
    (locale: string) =>
      loadSurvey(token, locale).then(
        async (view) => {
          await surveyLanguage(view.locale);
          setPhase(phaseOf(view));
        },
        (err) => setPhase(problemPhase(err)),
      ),
    [token],
  );
  if (!i18n) return <Loading />;
  const loading = <Loading text={i18n.t('loading')} />;
  if (new URLSearchParams(window.location.search).get('optout') === '1')
    return (
      <Suspense fallback={loading}>
        <OptOutPage i18n={i18n} token={token} />
      </Suspense>
    );
  if (phase.kind === 'loading') return loading;
  if (phase.kind === 'message') return <MessagePage i18n={i18n} kind={phase.message} />;
  const view = phase.view;
  const shell = (
    <SurveyShell
      i18n={i18n}
      view={view}
      starting={starting}
      onStart={() => start(view.locale)}
      onLanguage={changeLanguage}
      focusStart={languageChanged}
    />
  );
  // Asked for in a transition: the shell stays while SurveyJS loads, and React renders the survey in slices,
  // not in one long task that would keep a slow phone from answering a tap.
  return (
    <Suspense fallback={shell}>
      {surveyWanted ? (
        <SurveyPage i18n={i18n} token={token} view={phase.view} onDone={done} onReload={reload} />
      ) : (
        shell
      )}
    </Suspense>
  );
}
