// What the survey page looks like before SurveyJS has arrived: the same bar, title and introduction as the
// survey page (survey-page.tsx), and a placeholder the height of the screen where the questions will be, so
// nothing on screen moves when they come (layout shift).
import type { i18n } from 'i18next';
import type { SurveyView } from './api.ts';
import { LanguageSwitcher } from './language-switcher.tsx';
import { SurveyTitle } from './survey-title.tsx';

export function SurveyShell({ i18n, view }: { i18n: i18n; view: SurveyView }) {
  return (
    <div className="svar-respondent" data-role={view.role} data-locale={view.locale}>
      <header className="svar-bar">
        <LanguageSwitcher
          i18n={i18n}
          locales={view.locales}
          value={view.locale}
          onChange={() => {}}
          disabled
        />
        <p className="svar-save" aria-hidden="true" />
      </header>
      <main>
        <SurveyTitle view={view} locale={view.locale} />
        <p className="svar-loading svar-survey-placeholder" aria-busy="true">
          {i18n.t('loading')}
        </p>
      </main>
    </div>
  );
}
