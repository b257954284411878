// SurveyJS set up for Svar's respondents: real headings, every interface string in the respondent's language
// (bokmål as "nb", and the languages SurveyJS does not ship), and the right direction for each language. Only
// the language the page shows is fetched (and bokmål, the fallback), when it is first shown.
import { settings } from 'survey-core';
import { configureSurveyLanguages } from '../../../server/surveys/survey-core-languages.ts';

/** The languages survey-core ships that Svar offers; each module registers its strings when imported. */
const builtIn: Record<string, () => Promise<unknown>> = {
  nb: () => import('survey-core/i18n/norwegian'),
  ar: () => import('survey-core/i18n/arabic'),
  en: () => import('survey-core/i18n/english'),
  fa: () => import('survey-core/i18n/persian'),
  pl: () => import('survey-core/i18n/polish'),
  ur: () => import('survey-core/i18n/urdu'),
};
const extra = import.meta.glob<Record<string, string>>('../../../locales/surveyjs/*.json', {
  import: 'default',
});
const loaded = new Map<string, Promise<void>>();
let done = false;

export function setUpSurvey(): void {
  if (done) return;
  done = true;
  settings.titleTags.survey = 'h1';
  settings.titleTags.page = 'h2';
  settings.titleTags.panel = 'h3';
  settings.titleTags.question = 'h3';
}

async function load(locale: string): Promise<void> {
  const file = Object.keys(extra).find((p) => p.endsWith(`/${locale}.json`));
  const [, strings] = await Promise.all([builtIn[locale]?.(), file ? extra[file]!() : undefined]);
  configureSurveyLanguages(strings ? { [locale]: strings } : {});
}

/** SurveyJS's own strings (buttons, messages) in this language and in bokmål, before a model shows them. */
export function loadSurveyLanguage(locale: string): Promise<void> {
  // Bokmål first: configureSurveyLanguages makes it the default language from survey-core's Norwegian.
  const nb = loaded.get('nb') ?? load('nb');
  loaded.set('nb', nb);
  let mine = loaded.get(locale);
  if (!mine) {
    mine = nb.then(() => load(locale));
    loaded.set(locale, mine);
  }
  return mine;
}
