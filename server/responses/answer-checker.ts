// A per-question checker compiled once per published version: saves are validated against it in microseconds,
// where a fresh survey-core model would cost ~50 ms (survey-core also misses wrong types, invalid choices and
// unknown keys). The full survey-core pass runs only at submit.
import { isElementPath, visitDefinition } from '../surveys/localizable.ts';

type Json = Record<string, unknown>;
type Rule = (value: unknown) => string | null;

export interface AnswerProblem {
  code: string;
  reason: string;
}

const maxTextLength = 10_000;
const noValue = new Set(['html', 'image', 'panel', 'flowpanel']);

function isPrimitive(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function choiceValues(q: Json): Set<string> | null {
  // Choices computed at run time (from another question or a URL) cannot be known here.
  if (q.choicesByUrl || q.choicesFromQuestion) return null;
  const values = new Set<string>();
  const list = (q.type === 'rating' ? q.rateValues : q.choices) as unknown[] | undefined;
  if (q.type === 'rating' && !Array.isArray(list)) {
    const min = Number(q.rateMin ?? 1);
    const max = Number(q.rateMax ?? 5);
    const step = Number(q.rateStep ?? 1);
    for (let x = min; x <= max; x += step) values.add(String(x));
  }
  for (const c of list ?? [])
    values.add(String(c && typeof c === 'object' ? (c as Json).value : c).split('|')[0]!);
  if (q.showOtherItem || q.hasOther) values.add('other');
  if (q.showNoneItem || q.hasNone) values.add('none');
  if (q.showRefuseItem) values.add('refused');
  if (q.showDontKnowItem) values.add('dontknow');
  return values;
}

function textRule(max: number): Rule {
  return (v) =>
    typeof v !== 'string' ? 'must be text' : v.length > max ? `must be at most ${max} characters` : null;
}

function ruleFor(q: Json): Rule {
  const choices = choiceValues(q);
  const oneOf: Rule = (v) =>
    !isPrimitive(v)
      ? 'must be one answer code'
      : choices && !choices.has(String(v))
        ? `${JSON.stringify(v)} is not one of its answer codes`
        : null;
  switch (q.type) {
    case 'radiogroup':
    case 'dropdown':
    case 'rating':
    case 'imagepicker':
      if (q.multiSelect) break;
      return oneOf;
    case 'checkbox':
    case 'tagbox':
    case 'ranking':
      return (v) => {
        if (!Array.isArray(v)) return 'must be a list of answer codes';
        if (new Set(v.map(String)).size !== v.length) return 'must not repeat an answer code';
        for (const x of v) {
          const problem = oneOf(x);
          if (problem) return problem;
        }
        return null;
      };
    case 'boolean': {
      const allowed = [q.valueTrue ?? true, q.valueFalse ?? false].map(String);
      return (v) => (isPrimitive(v) && allowed.includes(String(v)) ? null : 'must be yes or no');
    }
    case 'comment':
      return textRule(Number(q.maxLength ?? maxTextLength) || maxTextLength);
    case 'text': {
      if (q.inputType === 'number' || q.inputType === 'range') {
        const min = typeof q.min === 'number' ? q.min : null;
        const max = typeof q.max === 'number' ? q.max : null;
        return (v) => {
          const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
          if (typeof n !== 'number' || !Number.isFinite(n)) return 'must be a number';
          if (min !== null && n < min) return `must be at least ${min}`;
          if (max !== null && n > max) return `must be at most ${max}`;
          return null;
        };
      }
      return textRule(Number(q.maxLength ?? 1000) || 1000);
    }
    case 'matrix': {
      const rows = new Set(
        ((q.rows as unknown[]) ?? []).map((r) => String(r && typeof r === 'object' ? (r as Json).value : r)),
      );
      const cols = new Set(
        ((q.columns as unknown[]) ?? []).map((c) =>
          String(c && typeof c === 'object' ? (c as Json).value : c),
        ),
      );
      return (v) => {
        if (!v || typeof v !== 'object' || Array.isArray(v)) return 'must map rows to answer codes';
        for (const [row, col] of Object.entries(v as Json)) {
          if (!rows.has(row)) return `has no row ${JSON.stringify(row)}`;
          if (!isPrimitive(col) || !cols.has(String(col)))
            return `row ${row}: ${JSON.stringify(col)} is not one of its answer codes`;
        }
        return null;
      };
    }
    case 'expression':
      return (v) => (isPrimitive(v) || v === null ? null : 'must be a single value');
  }
  // Structures (matrices with cells, dynamic panels, multiple text…): a JSON object or list, checked fully at submit.
  return (v) => (v !== null && typeof v === 'object' ? null : 'must be a structured answer');
}

export interface AnswerChecker {
  /** Every problem of a partial answer set: unknown codes, wrong types, values outside the choices or range. */
  check(answers: Json): AnswerProblem[];
  codes: ReadonlySet<string>;
}

export function compileAnswerChecker(definition: Json): AnswerChecker {
  const rules = new Map<string, Rule>();
  visitDefinition(definition, ({ obj, path }) => {
    if (
      !isElementPath(path) ||
      path.includes('templateElements') ||
      typeof obj.type !== 'string' ||
      noValue.has(obj.type)
    )
      return;
    const code = String(obj.valueName ?? obj.name);
    rules.set(code, ruleFor(obj));
    // SurveyJS keeps the "other, please specify" text and comment areas under <code>-Comment.
    if (obj.showOtherItem || obj.hasOther || obj.showCommentArea || obj.hasComment)
      rules.set(`${code}-Comment`, textRule(maxTextLength));
  });
  return {
    codes: new Set(rules.keys()),
    check(answers) {
      const problems: AnswerProblem[] = [];
      for (const [code, value] of Object.entries(answers)) {
        const rule = rules.get(code);
        if (!rule) problems.push({ code, reason: 'is not a question of this survey' });
        else if (value !== null) {
          const reason = rule(value);
          if (reason) problems.push({ code, reason });
        }
      }
      return problems;
    },
  };
}

const cache = new Map<string, AnswerChecker>();

/**
 * One checker per version for the life of the process: a cache, safe because versions never change; losing it
 * costs one definition read and a recompile, nothing else.
 */
export async function answerCheckerFor(
  versionId: string,
  loadDefinition: () => Promise<Json>,
): Promise<AnswerChecker> {
  let checker = cache.get(versionId);
  if (!checker) {
    checker = compileAnswerChecker(await loadDefinition());
    if (cache.size >= 50) cache.delete(cache.keys().next().value!);
    cache.set(versionId, checker);
  }
  return checker;
}
