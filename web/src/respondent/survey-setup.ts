// SurveyJS set up for Svar's respondents: real headings, every interface string in the respondent's language
// (bokmål as "nb", and the languages SurveyJS does not ship), and the right direction for each language.
import { settings, setupLocale, surveyLocalization } from 'survey-core';
import 'survey-core/i18n/arabic';
import 'survey-core/i18n/english';
import 'survey-core/i18n/norwegian';
import 'survey-core/i18n/persian';
import 'survey-core/i18n/polish';
import 'survey-core/i18n/urdu';

const extra = import.meta.glob<Record<string, string>>('../../../locales/surveyjs/*.json', {
  eager: true,
  import: 'default',
});
const rtl = new Set(['ar', 'fa', 'prs', 'ckb', 'ps', 'ur']);

let done = false;

export function setUpSurvey(): void {
  if (done) return;
  done = true;
  settings.titleTags.survey = 'h1';
  settings.titleTags.page = 'h2';
  settings.titleTags.panel = 'h3';
  settings.titleTags.question = 'h3';
  surveyLocalization.locales.nb = surveyLocalization.locales.no!;
  // Compiled versions keep the bokmål source under "default": SurveyJS must read "default" as bokmål, not English.
  surveyLocalization.defaultLocale = 'nb';
  for (const [path, strings] of Object.entries(extra)) {
    const code = path.split('/').pop()!.replace('.json', '');
    setupLocale({ localeCode: code, strings, nativeName: code, englishName: code, rtl: rtl.has(code) });
  }
  // survey-core does not mark Urdu as right to left.
  for (const code of rtl) surveyLocalization.localeDirections[code] = 'rtl';
  surveyLocalization.localeDirections.nb = 'ltr';
}
