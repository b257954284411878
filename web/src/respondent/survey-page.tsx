// The survey page for one link: the questions with autosave, and around them what the link's role needs (the
// chief executive's delegation overview, a delegate's sections and "I am done"), conflicts between writers,
// and the read-only view after submission.
import type { i18n } from 'i18next';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Model } from 'survey-core';
import { Survey } from 'survey-react-ui';
import 'survey-core/survey-core.fontless.css';
import type { AnswerConflict, SurveyView } from './api.ts';
import { Autosave, type SaveState } from './autosave.ts';
import { ConflictNotice } from './conflict-notice.tsx';
import { DelegateDone, DelegateIntro } from './delegate-bar.tsx';
import { DelegationOverview } from './delegation-overview.tsx';
import { applyDocumentLanguage, switchLanguage } from './i18n.ts';
import { LanguageSwitcher } from './language-switcher.tsx';
import { SaveStatus } from './save-status.tsx';
import { SubmitConfirm } from './submit-confirm.tsx';
import { applyDelegation, buildModel, isQuiet, isWritable, setQuietly } from './survey-model.ts';
import { SurveyTitle } from './survey-title.tsx';
import { useCompletion } from './use-completion.ts';
import { useDelegatedPages, useSections } from './use-sections.ts';

interface Props {
  i18n: i18n;
  token: string;
  view: SurveyView;
  onDone: () => void;
  /** Loads the view again (sections changed under this page, or the response was submitted elsewhere). */
  onReload: (locale: string) => Promise<void>;
}

export function SurveyPage({ i18n, token, view, onDone, onReload }: Props) {
  const [locale, setLocale] = useState(view.locale);
  const localeRef = useRef(view.locale);
  const currentLocale = useCallback(() => localeRef.current, []);
  const [saveState, setSaveState] = useState<SaveState>('idle');
  const [conflicts, setConflicts] = useState<AnswerConflict[]>([]);
  const [outOfScope, setOutOfScope] = useState(false);
  const [pageName, setPageName] = useState<string | null>(null);
  const reloading = useRef<Promise<void> | null>(null);
  const retainAfterReload = useRef(false);
  const ce = view.role === 'chief_executive' && !view.readOnly;
  const isDelegate = view.role === 'delegate' && !view.readOnly;

  const reload = useCallback(() => {
    reloading.current ??= onReload(localeRef.current).finally(() => {
      reloading.current = null;
    });
    return reloading.current;
  }, [onReload]);
  const handlers = useRef({ reload, scope: () => {} });
  const autosave = useMemo(
    () =>
      new Autosave(token, {
        state: setSaveState,
        conflicts: setConflicts,
        completedElsewhere: () => void handlers.current.reload(),
        outOfScope: () => handlers.current.scope(),
      }),
    [token],
  );
  handlers.current = {
    reload,
    scope: () => {
      setOutOfScope(true);
      // Which answers can no longer be saved follows from the sections as they are now: load them again.
      retainAfterReload.current = true;
      void reload();
    },
  };

  const lastPage = useRef<string | null>(null);
  const model = useMemo(
    () => buildModel(view, autosave, localeRef.current, lastPage.current),
    [view, autosave],
  );
  const { sections, setSections, refresh } = useSections({
    token,
    initial: view.sections,
    locale: currentLocale,
    poll: ce,
    onSubmitted: () => void reload(),
  });
  useDelegatedPages({ token, model, autosave, sections, locale: currentLocale, enabled: ce });
  const completion = useCompletion({
    i18n,
    token,
    model,
    autosave,
    enabled: !view.readOnly && !isDelegate,
    locale: currentLocale,
    sections,
    onDone,
  });
  const delegateDone = isDelegate && !!sections?.length && sections.every((s) => s.status === 'done');

  useEffect(() => {
    if (isDelegate) model.readOnly = delegateDone;
  }, [model, isDelegate, delegateDone]);

  useEffect(() => {
    lastPage.current = model.currentPage?.name ?? null;
    setPageName(lastPage.current);
    if (view.readOnly) {
      autosave.forget();
      return;
    }
    if (retainAfterReload.current) {
      retainAfterReload.current = false;
      if (ce) applyDelegation(model, view.sections);
      autosave.retain((code) => isWritable(model, code));
    } else if (autosave.hasPending()) void autosave.flush();
    const onValue = (m: Model, o: { name: string; value: unknown }) => {
      if (!isQuiet(m)) autosave.change(o.name, o.value);
    };
    // survey-core reports its default language (bokmål) as "": use the code we set.
    const onPage = () => {
      lastPage.current = model.currentPage.name;
      setPageName(model.currentPage.name);
      autosave.page(model.currentPage.name, localeRef.current);
    };
    model.onValueChanged.add(onValue);
    model.onCurrentPageChanged.add(onPage);
    return () => {
      model.onValueChanged.remove(onValue);
      model.onCurrentPageChanged.remove(onPage);
    };
  }, [model, autosave, view, ce]);

  // The page holds the survey in one language: another is fetched (once, then cached) and the model built
  // again on the same page, from the saved answers and this device's unsent ones.
  const changeLocale = useCallback(
    (l: string) => {
      localeRef.current = l;
      setLocale(l);
      applyDocumentLanguage(l);
      void switchLanguage(i18n, l);
      if (!view.readOnly) autosave.locale(l);
      void reload();
    },
    [i18n, autosave, view.readOnly, reload],
  );

  const keepMine = useCallback((c: AnswerConflict) => autosave.keepMine(c.code), [autosave]);
  const takeTheirs = useCallback(
    (c: AnswerConflict) => {
      autosave.takeTheirs(c.code);
      setQuietly(model, { [c.code]: c.value });
    },
    [model, autosave],
  );

  // The same element on every render: the save status changing must not re-render the survey under the
  // respondent's fingers.
  const surveyElement = useMemo(() => <Survey model={model} />, [model]);
  // Pressing start (survey-shell.tsx) removed the focused button: the focus goes to the questions, not lost.
  useEffect(() => {
    if (document.activeElement !== document.body) return;
    const frame = requestAnimationFrame(() => {
      const first = document.querySelector<HTMLElement>('#svar-survey :is(input, textarea, select)');
      (first ?? document.getElementById('svar-survey'))?.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, []);
  const delegatedHere = ce ? sections?.find((s) => s.name === pageName && s.delegation) : undefined;
  const t = i18n.t.bind(i18n);

  return (
    <div className="svar-respondent" data-role={view.role} data-locale={locale}>
      <a className="svar-skip" href="#svar-survey">
        {t('skip')}
      </a>
      <header className="svar-bar">
        <LanguageSwitcher i18n={i18n} locales={view.locales} value={locale} onChange={changeLocale} />
        {!view.readOnly && <SaveStatus i18n={i18n} state={saveState} onRetry={() => void autosave.flush()} />}
      </header>
      <main>
        {view.readOnly && (
          <p className="svar-panel svar-notice" data-testid="read-only">
            {t('readonly.notice')}
          </p>
        )}
        <ConflictNotice
          i18n={i18n}
          model={model}
          conflicts={conflicts}
          me={{ role: view.role, delegateId: view.delegateId }}
          onKeepMine={keepMine}
          onUseTheirs={takeTheirs}
        />
        {outOfScope && (
          <div className="svar-panel svar-error" role="alert">
            <p>{t('scope.dropped')}</p>
            <button
              type="button"
              className="svar-button svar-button-secondary"
              onClick={() => setOutOfScope(false)}
            >
              {t('notice.close')}
            </button>
          </div>
        )}
        {isDelegate && sections && (
          <DelegateIntro
            i18n={i18n}
            model={model}
            sections={sections}
            // Not in the view yet: shown when the server sends the municipality's name.
            municipality={view.municipalityName}
          />
        )}
        {ce && sections && (
          <DelegationOverview
            i18n={i18n}
            token={token}
            model={model}
            locales={view.locales}
            sections={sections}
            onChanged={() => void refresh()}
          />
        )}
        {delegatedHere && (
          <p className="svar-panel svar-note" data-testid="delegated-page">
            {t('delegation.readOnlyPage', {
              name: delegatedHere.delegation?.name || t('delegation.colleague'),
            })}
          </p>
        )}
        <SurveyTitle view={view} locale={view.locale} />
        <div id="svar-survey" tabIndex={-1}>
          {surveyElement}
        </div>
        {completion.error && (
          <p className="svar-panel svar-error" role="alert">
            {completion.error}
          </p>
        )}
        {isDelegate && sections && (
          <DelegateDone
            i18n={i18n}
            token={token}
            autosave={autosave}
            sections={sections}
            onSections={setSections}
          />
        )}
      </main>
      {completion.confirm && (
        <SubmitConfirm
          i18n={i18n}
          sections={completion.confirm}
          busy={completion.busy}
          onConfirm={completion.confirmSubmit}
          onCancel={completion.cancel}
        />
      )}
      <footer className="svar-footer">
        <a href={`/accessibility?lang=${locale}`}>{t('a11y.link')}</a>
      </footer>
    </div>
  );
}
