// The accessibility statement that every survey page links to, in the respondent's language.
import type { i18n } from 'i18next';

export function AccessibilityStatement({ i18n }: { i18n: i18n }) {
  return (
    <main className="svar-message">
      <h1>{i18n.t('a11y.title')}</h1>
      <p>{i18n.t('a11y.intro')}</p>
      <p>{i18n.t('a11y.standard')}</p>
      <p>{i18n.t('a11y.languages')}</p>
      <p>{i18n.t('a11y.contact')}</p>
      <p>
        <button type="button" className="svar-link" onClick={() => history.back()}>
          {i18n.t('a11y.back')}
        </button>
      </p>
    </main>
  );
}
