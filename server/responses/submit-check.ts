// Survey-core's full pass over a response about to be sent (~50 ms for the participant survey): required answers,
// conditions, validators, and the values of hidden questions cleared. Pure: it runs in a worker thread of the
// submit pool (validation-pool.ts), or on the event loop where nobody else is served (tools, tests).
import { Model } from 'survey-core';
import { setUpSurveyLocales } from './survey-locales.ts';
import { definitionOfModules } from './wave-modules.ts';

type Json = Record<string, unknown>;

/** What the pass needs, in a shape that crosses a thread cheaply: the definition as the version's JSON text. */
export interface SubmitCheck {
  definition: string;
  answers: Json;
  /** The language survey-core writes its messages in. */
  locale: string;
  /** Delegated pages the chief executive chose to send unfinished: not required to be complete. */
  skipped: string[];
  /** The modules the wave runs (null or absent: all): other modules' pages are not asked, so not required. */
  modules?: string[] | null;
}

export type SubmitVerdict =
  | {
      ok: true /** The answers to store: those of hidden questions cleared, as SurveyJS does on completion. */;
      answers: Json;
    }
  | { ok: false; missing: { name: string; reason: string }[] };

export function checkSubmission(check: SubmitCheck): SubmitVerdict {
  setUpSurveyLocales();
  // A fresh model per submit, parsed from text: nothing a previous respondent set can leak into this one.
  const model = new Model(definitionOfModules(JSON.parse(check.definition), check.modules ?? null));
  // survey-core reports its default language (bokmål) as "", so the caller keeps the code itself.
  model.locale = check.locale;
  model.data = check.answers;
  const skipped = new Set(check.skipped);
  const checked = model.visiblePages.filter((p) => !skipped.has(p.name)).map((p) => p.validate(true, false));
  if (!checked.every(Boolean)) {
    const missing = model
      .getAllQuestions(true, false, true)
      .flatMap((question) =>
        question.errors.map((e) => ({ name: question.getValueName(), reason: e.getText() })),
      );
    return { ok: false, missing };
  }
  const answers = { ...check.answers };
  for (const question of model.getAllQuestions(false, false, false)) {
    if (question.isVisible && question.isParentVisible) continue;
    delete answers[question.getValueName()];
    delete answers[`${question.getValueName()}-Comment`];
  }
  return { ok: true, answers };
}
