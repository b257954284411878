// The codebook of a compiled version: every variable with its code, type, labels and value labels per language.
import { visitDefinition } from './localizable.ts';
import { fillLabelYears, type WaveVariables } from './wave-variables.ts';

type Json = Record<string, unknown>;
export type Labels = Record<string, string>;

export interface ValueLabel {
  value: string | number | boolean;
  labels: Labels;
  /** Set for the instrument's missing codes ("don't know", "does not apply"), so analysts tell them from answers. */
  missing?: string;
}

export interface CodebookVariable {
  code: string;
  /** The question's name in the SurveyJS definition it was imported from, where that was not a usable code. */
  sourceName?: string;
  questionType: string;
  /** How the value is stored: a single code, several codes, a number, free text, or a structure. */
  valueType: 'code' | 'codes' | 'number' | 'text' | 'boolean' | 'date' | 'structure';
  module: string | null;
  page: string | null;
  required: boolean;
  visibleIf: string | null;
  labels: Labels;
  values: ValueLabel[];
  rows?: ValueLabel[];
  columns?: ValueLabel[];
  min?: number;
  max?: number;
}

export interface Codebook {
  locales: string[];
  variables: CodebookVariable[];
}

/** Every language's text of a compiled string ("default" is the source language). */
export function labelsOf(value: unknown, sourceLocale: string): Labels {
  if (typeof value === 'string') return { [sourceLocale]: value };
  if (!value || typeof value !== 'object') return {};
  const out: Labels = {};
  for (const [k, v] of Object.entries(value as Record<string, string>))
    out[k === 'default' ? sourceLocale : k] = v;
  return out;
}

const noValue = new Set(['html', 'image', 'panel', 'flowpanel', 'page']);

function valueTypeOf(q: Json): CodebookVariable['valueType'] {
  switch (q.type) {
    case 'radiogroup':
    case 'dropdown':
    case 'rating':
    case 'imagepicker':
      return q.multiSelect ? 'codes' : 'code';
    case 'checkbox':
    case 'tagbox':
    case 'ranking':
      return 'codes';
    case 'boolean':
      return 'boolean';
    case 'text':
      return q.inputType === 'number' || q.inputType === 'range'
        ? 'number'
        : q.inputType === 'date'
          ? 'date'
          : 'text';
    case 'comment':
      return 'text';
    case 'expression':
      return 'text';
    default:
      return 'structure';
  }
}

function items(list: unknown, sourceLocale: string, missingCodes: Record<string, string>): ValueLabel[] {
  if (!Array.isArray(list)) return [];
  return list.map((item) => {
    if (item && typeof item === 'object') {
      const o = item as Json;
      const value = (o.value ?? o.name) as string | number;
      const text = o.text ?? o.title ?? String(value);
      const missing = missingCodes[String(value)];
      return { value, labels: labelsOf(text, sourceLocale), ...(missing ? { missing } : {}) };
    }
    const missing = missingCodes[String(item)];
    return {
      value: item as string,
      labels: { [sourceLocale]: String(item) },
      ...(missing ? { missing } : {}),
    };
  });
}

export function buildCodebook(
  definition: Json,
  opts: { sourceLocale: string; locales: string[]; missingCodes: Record<string, string> },
): Codebook {
  const variables: CodebookVariable[] = [];
  let module: string | null = null;
  let page: string | null = null;
  visitDefinition(definition, ({ obj, cls }) => {
    if (cls === 'page') {
      module = (obj.svarModule as string | undefined) ?? null;
      page = (obj.name as string | undefined) ?? null;
      return;
    }
    if (typeof obj.type !== 'string' || typeof obj.name !== 'string' || noValue.has(obj.type)) return;
    const v: CodebookVariable = {
      code: (obj.valueName as string | undefined) ?? obj.name,
      ...(typeof obj.svarSourceName === 'string' ? { sourceName: obj.svarSourceName } : {}),
      questionType: obj.type,
      valueType: valueTypeOf(obj),
      module,
      page,
      required: obj.isRequired === true,
      visibleIf: (obj.visibleIf as string | undefined) ?? null,
      labels: labelsOf(obj.title ?? obj.name, opts.sourceLocale),
      values: items(obj.rateValues ?? obj.choices, opts.sourceLocale, opts.missingCodes),
    };
    if (obj.type === 'rating' && !obj.rateValues) {
      const min = Number(obj.rateMin ?? 1);
      const max = Number(obj.rateMax ?? 5);
      const step = Number(obj.rateStep ?? 1);
      for (let x = min; x <= max; x += step)
        v.values.push({ value: x, labels: { [opts.sourceLocale]: String(x) } });
    }
    if (obj.type === 'boolean') {
      v.values = [
        { value: true, labels: labelsOf(obj.labelTrue ?? 'Ja', opts.sourceLocale) },
        { value: false, labels: labelsOf(obj.labelFalse ?? 'Nei', opts.sourceLocale) },
      ];
    }
    if (Array.isArray(obj.rows)) v.rows = items(obj.rows, opts.sourceLocale, {});
    if (Array.isArray(obj.columns)) v.columns = items(obj.columns, opts.sourceLocale, opts.missingCodes);
    if (typeof obj.min === 'number') v.min = obj.min;
    if (typeof obj.max === 'number') v.max = obj.max;
    variables.push(v);
  });
  return { locales: opts.locales, variables };
}

/**
 * The codebook's texts for one wave (its years filled in) or for none (`null`: each wave variable as a marker in
 * the label's language, "[året før]"). The stored codebook keeps the placeholders: a version serves every wave.
 */
export function codebookForYears(codebook: Codebook, variables: WaveVariables | null): Codebook {
  const values = (list: ValueLabel[]) =>
    list.map((v) => ({ ...v, labels: fillLabelYears(v.labels, variables) }));
  return {
    ...codebook,
    variables: codebook.variables.map((v) => ({
      ...v,
      labels: fillLabelYears(v.labels, variables),
      values: values(v.values),
      ...(v.rows ? { rows: values(v.rows) } : {}),
      ...(v.columns ? { columns: values(v.columns) } : {}),
    })),
  };
}
