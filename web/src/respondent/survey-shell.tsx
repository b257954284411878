// The first thing a respondent sees: the same bar, title and introduction as the survey page (survey-page.tsx),
// a language choice that already works, and one button to start (or continue). SurveyJS (most of the page's
// bytes and its longest task) is fetched in the background meanwhile and evaluated only when the respondent
// presses the button, so a cheap phone answers taps at once while they read the introduction.
import type { i18n } from 'i18next';
import { useEffect, useRef } from 'react';
import type { SurveyView } from './api.ts';
import { LanguageSwitcher } from './language-switcher.tsx';
import { SurveyTitle } from './survey-title.tsx';

interface Props {
  i18n: i18n;
  view: SurveyView;
  /** Pressed: bring in SurveyJS and show the questions. */
  onStart: () => void;
  /** SurveyJS is being brought in. */
  starting: boolean;
  /** Another language: the view is loaded again in it (no SurveyJS needed). */
  onLanguage: (locale: string) => void;
  /** Set when the view was loaded after a language change: the button keeps the focus the switcher had. */
  focusStart?: boolean;
}

export function SurveyShell({ i18n, view, onStart, starting, onLanguage, focusStart }: Props) {
  const t = i18n.t.bind(i18n);
  const started = Object.keys((view.answers ?? {}) as object).length > 0 || view.currentPage !== null;
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (focusStart) button.current?.focus();
  }, [focusStart]);
  return (
    <div className="svar-respondent" data-role={view.role} data-locale={view.locale}>
      <header className="svar-bar">
        <LanguageSwitcher
          i18n={i18n}
          locales={view.locales}
          value={view.locale}
          onChange={onLanguage}
          disabled={starting}
        />
        <p className="svar-save" aria-hidden="true" />
      </header>
      <main>
        <SurveyTitle view={view} locale={view.locale} />
        {view.readOnly ? (
          // A submitted response opens by itself: nothing to press.
          <p className="svar-loading svar-survey-placeholder" aria-busy="true">
            {t('loading')}
          </p>
        ) : (
          <div className="svar-start svar-survey-placeholder">
            <button
              ref={button}
              type="button"
              className="svar-button svar-start-button"
              data-testid="start"
              onClick={onStart}
              disabled={starting}
              aria-busy={starting}
            >
              {starting ? t('loading') : started ? t('start.continue') : t('start.begin')}
            </button>
          </div>
        )}
      </main>
    </div>
  );
}
