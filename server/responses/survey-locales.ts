// survey-core's interface strings on the server (for validation messages at submit): every language survey-core
// ships, plus those from locales/surveyjs/<lng>.json.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import 'survey-core/i18n';
import { configureSurveyLanguages } from '../surveys/survey-core-languages.ts';

const dir = fileURLToPath(new URL('../../locales/surveyjs/', import.meta.url));
let done = false;

export function setUpSurveyLocales(): void {
  if (done) return;
  done = true;
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
  configureSurveyLanguages(
    Object.fromEntries(
      files.map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(`${dir}${f}`, 'utf8'))]),
    ),
  );
}
