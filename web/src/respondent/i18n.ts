// Interface strings of the respondent pages (locales/<lng>/respondent.json): each language its own small file,
// fetched when the page shows it (the respondent's language and bokmål, the fallback: nothing may fall back to
// English mid-survey). A respondent reads one language; switching already waits for the survey in the new one.
import i18next, { type i18n } from 'i18next';
import { directionOf, negotiateLocale } from '../../../server/surveys/languages.ts';

const files = import.meta.glob<Record<string, string>>('../../../locales/*/respondent.json', {
  import: 'default',
});
const fileOf = (lng: string) => Object.keys(files).find((p) => p.split('/').at(-2) === lng);

export const respondentLanguages = Object.keys(files).map((p) => p.split('/').at(-2)!);

async function addLanguage(instance: i18n, lng: string) {
  const file = fileOf(lng);
  if (!file || instance.hasResourceBundle(lng, 'translation')) return;
  instance.addResourceBundle(lng, 'translation', await files[file]!());
}

export async function createRespondentI18n(lng: string): Promise<i18n> {
  const instance = i18next.createInstance();
  await instance.init({
    lng,
    fallbackLng: 'nb',
    keySeparator: false,
    nsSeparator: false,
    interpolation: { escapeValue: false },
    resources: {},
  });
  await Promise.all([addLanguage(instance, 'nb'), addLanguage(instance, lng)]);
  return instance;
}

/** Shows the interface in another language, fetching its strings first if this page has not had them yet. */
export async function switchLanguage(instance: i18n, lng: string): Promise<void> {
  await addLanguage(instance, lng);
  await instance.changeLanguage(lng);
}

/** The browser's first language we have texts for, else bokmål: used before the survey says which it offers. */
export function browserLanguage(offered: string[] = respondentLanguages): string {
  return negotiateLocale((navigator.languages ?? [navigator.language]).join(','), offered) ?? 'nb';
}

/** Sets the document's language and direction, so the whole page (not only the survey) mirrors. */
export function applyDocumentLanguage(lng: string) {
  document.documentElement.lang = lng;
  document.documentElement.dir = directionOf(lng);
}
