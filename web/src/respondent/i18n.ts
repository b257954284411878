// Interface strings of the respondent pages (locales/<lng>/respondent.json), every language bundled: switching
// language must not wait for the network, and nothing may fall back to English mid-survey.
import i18next, { type i18n } from 'i18next';
import { directionOf, negotiateLocale } from '../../../server/surveys/languages.ts';

const files = import.meta.glob<Record<string, string>>('../../../locales/*/respondent.json', {
  eager: true,
  import: 'default',
});

export const respondentLanguages = Object.keys(files).map((p) => p.split('/').at(-2)!);

export async function createRespondentI18n(lng: string): Promise<i18n> {
  const instance = i18next.createInstance();
  await instance.init({
    lng,
    fallbackLng: 'nb',
    keySeparator: false,
    nsSeparator: false,
    interpolation: { escapeValue: false },
    resources: Object.fromEntries(
      Object.entries(files).map(([path, strings]) => [path.split('/').at(-2)!, { translation: strings }]),
    ),
  });
  return instance;
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
