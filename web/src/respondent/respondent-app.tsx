// The survey page behind a personal link: loads the pinned version and saved answers, saves every change,
// switches language without losing anything, and submits.
import type { i18n } from 'i18next';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Model } from 'survey-core';
import { Survey } from 'survey-react-ui';
import 'survey-core/survey-core.fontless.css';
import { ApiProblem, loadSurvey, type SurveyView, submit } from './api.ts';
import { Autosave, type SaveState } from './autosave.ts';
import { applyDocumentLanguage, browserLanguage, createRespondentI18n } from './i18n.ts';
import { LanguageSwitcher } from './language-switcher.tsx';
import { MessagePage } from './message-page.tsx';
import { OptOutPage } from './opt-out-page.tsx';
import { setUpSurvey } from './survey-setup.ts';
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
          setPhase(
            view.status === 'completed' ? { kind: 'message', message: 'done' } : { kind: 'survey', view },
          );
        })
        .catch((err) =>
          setPhase({
            kind: 'message',
            message: err instanceof ApiProblem ? (problemPages[err.problem.code] ?? 'error') : 'error',
          }),
        );
    });
  }, [token]);

  const done = useCallback(() => setPhase({ kind: 'message', message: 'done' }), []);
  if (!i18n) return null;
  if (new URLSearchParams(window.location.search).get('optout') === '1')
    return <OptOutPage i18n={i18n} token={token} />;
  if (phase.kind === 'loading') return <p className="svar-loading">{i18n.t('loading')}</p>;
  if (phase.kind === 'message') return <MessagePage i18n={i18n} kind={phase.message} />;
  return <SurveyPage i18n={i18n} token={token} view={phase.view} onDone={done} />;
}

function SurveyPage({
  i18n,
  token,
  view,
  onDone,
}: {
  i18n: i18n;
  token: string;
  view: SurveyView;
  onDone: () => void;
}) {
  const [locale, setLocale] = useState(view.locale);
  const [saveState, setSaveState] = useState<SaveState>('idle');
  const [submitError, setSubmitError] = useState<string | null>(null);
  const autosave = useMemo(() => new Autosave(token, setSaveState, onDone), [token, onDone]);
  const submitted = useRef(false);
  const localeRef = useRef(view.locale);

  const model = useMemo(() => {
    setUpSurvey();
    const m = new Model(view.definition);
    m.locale = view.locale;
    m.showProgressBar = true;
    m.progressBarType = 'pages';
    m.questionErrorLocation = 'top';
    // Commit text as it is typed (autosave debounces): nothing typed waits for a blur that may never come.
    m.textUpdateMode = 'onTyping';
    // Saved answers, then whatever this device typed that the server has not confirmed yet.
    m.data = { ...view.answers, ...withoutNulls(autosave.pendingAnswers()) };
    const page = autosave.pendingPage() ?? view.currentPage;
    const target = page ? m.getPageByName(page) : null;
    if (target?.isVisible) m.currentPage = target;
    return m;
  }, [view, autosave]);

  const changeLocale = useCallback(
    (l: string) => {
      model.locale = l;
      localeRef.current = l;
      setLocale(l);
      void i18n.changeLanguage(l);
      applyDocumentLanguage(l);
      autosave.locale(l);
    },
    [model, i18n, autosave],
  );

  useEffect(() => {
    if (autosave.hasPending()) void autosave.flush();
    const onValue = (_: Model, o: { name: string; value: unknown }) => autosave.change(o.name, o.value);
    // survey-core reports its default language (bokmål) as "": use the code we set.
    const onPage = () => autosave.page(model.currentPage.name, localeRef.current);
    const onCompleting = (_: Model, o: { allow: boolean }) => {
      if (submitted.current) return;
      o.allow = false;
      setSubmitError(null);
      void (async () => {
        if (!(await autosave.flush())) {
          setSubmitError(i18n.t('submit.failed'));
          return;
        }
        try {
          await submit(token, localeRef.current);
          submitted.current = true;
          autosave.forget();
          model.doComplete();
        } catch (err) {
          const code = err instanceof ApiProblem ? err.problem.code : '';
          if (code === 'response_completed') onDone();
          else setSubmitError(i18n.t(code === 'missing_answers' ? 'submit.missing' : 'submit.failed'));
        }
      })();
    };
    model.onValueChanged.add(onValue);
    model.onCurrentPageChanged.add(onPage);
    model.onCompleting.add(onCompleting);
    model.onComplete.add(onDone);
    return () => {
      model.onValueChanged.remove(onValue);
      model.onCurrentPageChanged.remove(onPage);
      model.onCompleting.remove(onCompleting);
      model.onComplete.remove(onDone);
    };
  }, [model, autosave, token, i18n, onDone]);

  // The same element on every render: the save status changing must not re-render the survey under the
  // respondent's fingers.
  const surveyElement = useMemo(() => <Survey model={model} />, [model]);

  const stateText =
    saveState === 'saved'
      ? i18n.t('save.saved')
      : saveState === 'saving'
        ? i18n.t('save.saving')
        : saveState === 'failed'
          ? i18n.t('save.failed')
          : saveState === 'offline'
            ? i18n.t('save.offline')
            : '';

  return (
    <div className="svar-respondent">
      <a className="svar-skip" href="#svar-survey">
        {i18n.t('skip')}
      </a>
      <header className="svar-bar">
        <LanguageSwitcher i18n={i18n} locales={view.locales} value={locale} onChange={changeLocale} />
        <p
          className={`svar-save svar-save-${saveState}`}
          role="status"
          aria-live="polite"
          data-testid="save-state"
        >
          {stateText}
          {saveState === 'failed' && (
            <button type="button" onClick={() => void autosave.flush()}>
              {i18n.t('save.retry')}
            </button>
          )}
        </p>
      </header>
      {submitError && (
        <p className="svar-error" role="alert">
          {submitError}
        </p>
      )}
      <main id="svar-survey">{surveyElement}</main>
      <footer className="svar-footer">
        <a href={`/accessibility?lang=${locale}`}>{i18n.t('a11y.link')}</a>
      </footer>
    </div>
  );
}

function withoutNulls(answers: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(answers).filter(([, v]) => v !== null));
}
