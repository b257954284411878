// The SurveyJS model behind the page: built from the view and this device's unsent answers, changed by the
// page (values from the server, read-only pages) without those changes being taken for the respondent's own.
import { Model } from 'survey-core';
import type { SectionStatus, SurveyView } from './api.ts';
import type { Autosave } from './autosave.ts';
import { setUpSurvey } from './survey-setup.ts';

const quiet = new WeakSet<Model>();

/** True while the page itself is setting values: the autosave must not queue them. */
export function isQuiet(model: Model) {
  return quiet.has(model);
}

/** Sets values that came from the server (or another person), without saving them again. */
export function setQuietly(model: Model, values: Record<string, unknown>) {
  quiet.add(model);
  try {
    for (const [code, value] of Object.entries(values)) {
      if (JSON.stringify(model.getValue(code)) !== JSON.stringify(value ?? undefined))
        model.setValue(code, value ?? undefined);
    }
  } finally {
    quiet.delete(model);
  }
}

export function buildModel(view: SurveyView, autosave: Autosave, locale: string, page?: string | null) {
  setUpSurvey();
  autosave.see(view.revs);
  const m = new Model(pagesOfWave(view.definition, view.modules));
  m.locale = locale;
  // The wave's years fill `{previousYear}` and the like in every text, the same for all of the wave's respondents.
  for (const [name, value] of Object.entries(view.variables)) m.setVariable(name, value);
  // The page draws the title and introduction itself (survey-title.tsx), before SurveyJS has arrived.
  m.showTitle = false;
  // SurveyJS learns that it is on a phone only after its first paint (a resize observer against its 600 px
  // breakpoint) and then lays every question out again, which moves them on screen: tell it beforehand.
  m.setIsMobile(document.documentElement.clientWidth < 600);
  m.showProgressBar = true;
  m.progressBarType = 'pages';
  m.questionErrorLocation = 'top';
  // Commit text as it is typed (autosave debounces): nothing typed waits for a blur that may never come.
  m.textUpdateMode = 'onTyping';
  // A delegate's conditions may name answers outside its sections: they are data here, never saved from here.
  // Then saved answers, then whatever this device typed that the server has not confirmed yet.
  const pending = view.readOnly ? {} : withoutNulls(autosave.pendingAnswers());
  m.data = { ...view.context, ...view.answers, ...pending };
  if (view.readOnly) m.readOnly = true;
  else if (view.role === 'chief_executive') applyDelegation(m, view.sections);
  // Delegates say "I am done" instead; only the chief executive submits a municipal response.
  if (view.role === 'delegate' || view.readOnly) m.showCompleteButton = false;
  const target = [page, autosave.pendingPage(), view.currentPage]
    .map((name) => (name ? m.getPageByName(name) : null))
    .find((p) => p?.isVisible);
  if (target) m.currentPage = target;
  return m;
}

/**
 * The version's definition with only the pages of the modules the wave runs (`modules` null: all). The definition
 * is the version's, shared and cached for good; the wave's choice of themes comes with the view.
 */
function pagesOfWave(definition: SurveyView['definition'], modules: string[] | null) {
  if (!definition || !modules) return definition;
  const pages = (definition.pages ?? []) as { svarModule?: unknown }[];
  return {
    ...definition,
    pages: pages.filter((p) => typeof p.svarModule !== 'string' || modules.includes(p.svarModule)),
  };
}

export function sectionTitle(model: Model, name: string) {
  return model.getPageByName(name)?.title || name;
}

/** The answer keys of a section (page): each question's value name, and its comment ("other" text). */
export function sectionCodes(model: Model, name: string): string[] {
  const page = model.getPageByName(name);
  if (!page) return [];
  return page.questions.flatMap((q) => [q.getValueName(), `${q.getValueName()}-Comment`]);
}

/** Sections delegated right now: the chief executive reads them but does not write into them. */
export function delegatedSections(sections: SectionStatus[] | null) {
  return (sections ?? []).filter((s) => s.delegation !== null);
}

/** Marks delegated pages read-only (survey-core then skips their validation too) and the others writable. */
export function applyDelegation(model: Model, sections: SectionStatus[] | null) {
  const delegated = new Set(delegatedSections(sections).map((s) => s.name));
  for (const s of sections ?? []) {
    const page = model.getPageByName(s.name);
    if (page) page.readOnly = delegated.has(s.name);
  }
}

/** Whether this page may still save an answer: its question is here and not on a page delegated elsewhere. */
export function isWritable(model: Model, code: string) {
  const question = model.getQuestionByValueName(code.replace(/-Comment$/, ''));
  return !!question && !model.getPageByQuestion(question)?.readOnly;
}

/** An answer as the respondent sees it: choice texts rather than codes where the question has them. */
export function displayValue(model: Model, code: string, value: unknown, empty: string): string {
  if (value === null || value === undefined || value === '') return empty;
  const question = model.getQuestionByValueName(code);
  const shown: unknown = question ? question.getDisplayValue(true, value) : value;
  return flatten(shown);
}

function flatten(v: unknown): string {
  if (Array.isArray(v)) return v.map(flatten).join(', ');
  if (v && typeof v === 'object')
    return Object.entries(v)
      .map(([k, x]) => `${k}: ${flatten(x)}`)
      .join('; ');
  return String(v ?? '');
}

function withoutNulls(answers: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(answers).filter(([, v]) => v !== null));
}
