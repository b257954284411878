// survey-core's interface languages the Svar way, for the server and the browser alike: bokmål under "nb" (and as
// SurveyJS's "default", which compiled versions use for the bokmål source), the languages SurveyJS does not ship,
// and each language's direction from Svar's list (survey-core does not mark Urdu as right to left).
import { setupLocale, surveyLocalization } from 'survey-core';
import { findLanguage, languages } from './languages.ts';

/** `extra`: language code → SurveyJS strings, for languages SurveyJS lacks (locales/surveyjs/<lng>.json). */
export function configureSurveyLanguages(extra: Record<string, Record<string, string>>): void {
  surveyLocalization.locales.nb = surveyLocalization.locales.no!;
  surveyLocalization.defaultLocale = 'nb';
  for (const [code, strings] of Object.entries(extra)) {
    const lang = findLanguage(code);
    setupLocale({
      localeCode: code,
      strings,
      nativeName: lang?.name ?? code,
      englishName: code,
      rtl: lang?.dir === 'rtl',
    });
  }
  for (const l of languages) surveyLocalization.localeDirections[l.code] = l.dir;
}
