// Rewrites every reference to a question that import gave a new code: expressions through survey-core's own
// parser (so a string literal that looks like a name stays as written), text placeholders through survey-core's
// own text processor, and the properties that name a question (triggers, choicesFromQuestion, valueName …).
import {
  ConditionsParser,
  Const,
  FunctionOperand,
  type Operand,
  TextPreProcessor,
  Variable,
} from 'survey-core';
import { findLocalizableStrings, propertyOf, visitDefinition } from './localizable.ts';

type Json = Record<string, unknown>;
/** Lower-cased source name → code. SurveyJS resolves names case-insensitively, so the lookup is too. */
export type Renames = ReadonlyMap<string, string>;

/** survey-core property types whose value is one question's name, or a list of them. */
const nameTypes = new Set(['question', 'questionvalue', 'question_carryforward', 'question_selectbase']);
const nameProps = new Set(['valueName', 'choiceValuesFromQuestion', 'choiceTextsFromQuestion', 'keyName']);
/** survey-core functions whose first argument is a question name written as a string. */
const nameFunctions = new Set(['displayvalue', 'propertyvalue']);

/**
 * Renames the question parts of a variable path: {a b}, {a b.column}, {panel[0].a b}, {row.a b}, {$a b.isVisible}.
 * A name may itself contain dots, so the longest known name wins at each step, as in survey-core's lookup.
 */
export function renamePath(path: string, renames: Renames): string {
  const prefix = path.startsWith('$') ? '$' : '';
  const parts = path.slice(prefix.length).split('.');
  const out: string[] = [];
  let i = 0;
  while (i < parts.length) {
    let j = parts.length;
    for (; j > i; j--) {
      const [, name, index] =
        parts
          .slice(i, j)
          .join('.')
          .match(/^(.*?)((?:\[\d+\])?)$/) ?? [];
      const code = renames.get((name ?? '').toLowerCase());
      if (code) {
        out.push(`${code}${index}`);
        break;
      }
    }
    if (j > i) i = j;
    else out.push(parts[i++]!);
  }
  return prefix + out.join('.');
}

/**
 * An expression with its references renamed, or the text as written when it names no renamed question (or does
 * not parse: import reports that separately). survey-core writes the rewritten expression back in its own
 * canonical form, which means the same (it may add parentheses and normalise quotes).
 */
export function rewriteExpression(text: string, renames: Renames): string {
  const op = new ConditionsParser().parseExpression(text);
  if (!op) return text;
  let changed = false;
  // survey-core's toString takes a falsy answer as "write this operand as usual".
  const rename = (o: Operand): string => {
    if (o instanceof Variable) {
      const renamed = renamePath(o.variable, renames);
      if (renamed === o.variable) return '';
      changed = true;
      return `{${renamed}}`;
    }
    if (o instanceof FunctionOperand && nameFunctions.has(o.functionName.toLowerCase())) {
      const [first, ...rest] = o.paramValues;
      const name = first instanceof Const && !(first instanceof Variable) ? first.correctValue : undefined;
      const code = typeof name === 'string' ? renames.get(name.toLowerCase()) : undefined;
      if (!code) return '';
      changed = true;
      return `${o.functionName}(${[`'${code}'`, ...rest.map((p) => p.toString(rename))].join(', ')})`;
    }
    return '';
  };
  const out = op.toString(rename);
  return changed ? out : text;
}

/** A text with {placeholders} renamed; everything else, including unknown placeholders, stays as written. */
export function rewriteText(text: string, renames: Renames): string {
  if (!text.includes('{')) return text;
  const processor = new TextPreProcessor();
  let changed = false;
  processor.onProcess = (v) => {
    const renamed = renamePath(v.name, renames);
    v.isExists = true;
    v.value = `{${renamed}}`;
    if (renamed !== v.name) changed = true;
  };
  const out = processor.process(text, false, false);
  return changed ? out : text;
}

function renameValue(value: unknown, renames: Renames): unknown {
  if (typeof value === 'string') return renames.get(value.toLowerCase()) ?? value;
  if (Array.isArray(value)) return value.map((v) => renameValue(v, renames));
  return value;
}

/** Applies `renames` to every reference in the definition, in place (texts in every language). */
export function rewriteReferences(definition: Json, renames: Renames): void {
  if (renames.size === 0) return;
  visitDefinition(definition, ({ obj, cls }) => {
    for (const [prop, value] of Object.entries(obj)) {
      const meta = propertyOf(cls, prop, obj);
      const type = meta?.type ?? '';
      if (typeof value === 'string' && (type === 'condition' || type === 'expression'))
        obj[prop] = rewriteExpression(value, renames);
      else if (
        nameTypes.has(type) ||
        type === 'questions' ||
        nameProps.has(prop) ||
        // A trigger written the old way names its question in `name` ({ name, operator, value }).
        (prop === 'name' && cls.endsWith('trigger'))
      )
        obj[prop] = renameValue(value, renames);
    }
  });
  for (const s of findLocalizableStrings(definition)) {
    const v = s.holder[s.prop];
    if (typeof v === 'string') s.holder[s.prop] = rewriteText(v, renames);
    else if (v && typeof v === 'object') {
      for (const [locale, t] of Object.entries(v as Json))
        if (typeof t === 'string') (v as Json)[locale] = rewriteText(t, renames);
    }
  }
}
