// survey-core's interface strings on the server (for validation messages at submit): its own languages, bokmål
// under "nb", and the languages SurveyJS lacks, from locales/surveyjs/<lng>.json.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setupLocale, surveyLocalization } from 'survey-core';
import 'survey-core/i18n';
import { findLanguage } from '../surveys/languages.ts';

const dir = fileURLToPath(new URL('../../locales/surveyjs/', import.meta.url));
let done = false;

export function setUpSurveyLocales(): void {
  if (done) return;
  done = true;
  surveyLocalization.locales.nb = surveyLocalization.locales.no!;
  // Compiled versions keep the bokmål source under "default": SurveyJS must read "default" as bokmål, not English.
  surveyLocalization.defaultLocale = 'nb';
  if (existsSync(dir)) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const code = file.replace(/\.json$/, '');
      const strings = JSON.parse(readFileSync(`${dir}${file}`, 'utf8')) as Record<string, string>;
      const lang = findLanguage(code);
      setupLocale({
        localeCode: code,
        strings,
        nativeName: lang?.name ?? code,
        englishName: code,
        rtl: lang?.dir === 'rtl',
      });
    }
  }
  // survey-core ships Urdu without marking it right to left, and knows nothing of bokmål as "nb".
  surveyLocalization.localeDirections.nb = 'ltr';
  for (const code of ['ar', 'fa', 'prs', 'ckb', 'ps', 'ur'])
    surveyLocalization.localeDirections[code] = 'rtl';
}
