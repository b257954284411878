// SurveyJS set up for Svar's respondents: real headings, every interface string in the respondent's language
// (bokmål as "nb", and the languages SurveyJS does not ship), and the right direction for each language.
import { settings } from 'survey-core';
import 'survey-core/i18n/arabic';
import 'survey-core/i18n/english';
import 'survey-core/i18n/norwegian';
import 'survey-core/i18n/persian';
import 'survey-core/i18n/polish';
import 'survey-core/i18n/urdu';
import { configureSurveyLanguages } from '../../../server/surveys/survey-core-languages.ts';

const extra = import.meta.glob<Record<string, string>>('../../../locales/surveyjs/*.json', {
  eager: true,
  import: 'default',
});
let done = false;

export function setUpSurvey(): void {
  if (done) return;
  done = true;
  settings.titleTags.survey = 'h1';
  settings.titleTags.page = 'h2';
  settings.titleTags.panel = 'h3';
  settings.titleTags.question = 'h3';
  configureSurveyLanguages(
    Object.fromEntries(
      Object.entries(extra).map(([path, strings]) => [path.split('/').pop()!.replace('.json', ''), strings]),
    ),
  );
}
