// The survey's title and introduction, drawn by the page itself rather than by SurveyJS: they are the first
// thing a respondent reads, and they show as soon as the survey definition has arrived, while SurveyJS (most of
// the page's bytes) is still on its way. The same element stays when the questions arrive below it.
import type { SurveyView } from './api.ts';

type Localized = string | Record<string, string> | undefined;

/** A SurveyJS localizable string in this language, else its source text (bokmål, stored as `default`). */
export function textIn(value: Localized, locale: string): string {
  if (!value || typeof value === 'string') return value ?? '';
  return value[locale] ?? value.default ?? value.nb ?? '';
}

export function SurveyTitle({ view, locale }: { view: SurveyView; locale: string }) {
  const definition = (view.definition ?? {}) as { title?: Localized; description?: Localized };
  const title = textIn(definition.title, locale);
  const description = textIn(definition.description, locale);
  if (!title && !description) return null;
  return (
    <div className="svar-survey-title">
      {title && <h1>{title}</h1>}
      {description && <p>{description}</p>}
    </div>
  );
}
