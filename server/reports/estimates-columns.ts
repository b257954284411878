// Which export columns an estimate reads: the variable (coded, numeric, multi-select) and the breakdown.
import type { ExportColumn } from '../exports/columns.ts';
import { labelOf } from '../exports/dataset.ts';
import { ValidationError } from '../http/errors.ts';
import { municipalities2024, municipalUnitName } from '../reference/municipalities.ts';

export type Code = number | string;

export interface Category {
  value: Code;
  label: string;
}

/**
 * proportions: one coded column, a share for every answer category; mean: one numeric column; multiple: a
 * multi-select question, the share choosing each option (its 0/1 columns).
 */
export type VariableSpec =
  | {
      kind: 'proportions';
      label: string;
      column: ExportColumn;
      categories: Category[];
      missing: MissingCode[];
    }
  | { kind: 'mean'; label: string; column: ExportColumn; missing: MissingCode[] }
  | {
      kind: 'multiple';
      label: string;
      columns: { column: ExportColumn; category: Category }[];
      /** Options that are missing codes ("don't know"): whoever chose one leaves every option's base. */
      missing: (MissingCode & { column: ExportColumn })[];
    };

export interface MissingCode {
  value: Code;
  /** The instrument's meaning: dont_know, does_not_apply, … */
  missing: string;
  label: string;
}

const multiSelect = new Set(['checkbox', 'tagbox']);

/**
 * `missingOptions`: the multi-select's choices that are the instrument's missing codes, value → meaning (its
 * 0/1 columns do not carry them; the codebook does).
 */
export function resolveVariable(
  columns: ExportColumn[],
  name: string,
  locale: string,
  missingOptions: Record<string, string> = {},
): VariableSpec {
  const answers = columns.filter((c) => c.role === 'answer');
  const column = answers.find((c) => c.name === name);
  if (column) {
    // The instrument's missing codes (97, 98): labelled ones from the value labels, bare ones from `missing`.
    const missing: MissingCode[] = column.valueLabels
      .filter((v) => v.missing)
      .map((v) => ({
        value: v.value,
        missing: v.missing!,
        label: labelOf(v.labels, locale, String(v.value)),
      }));
    for (const value of column.missing)
      if (!missing.some((m) => m.value === value))
        missing.push({ value, missing: 'missing', label: String(value) });
    const label = labelOf(column.labels, locale, column.name);
    if (column.valueLabels.length) {
      const categories = column.valueLabels
        .filter((v) => !missing.some((m) => m.value === v.value))
        .map((v) => ({ value: v.value, label: labelOf(v.labels, locale, String(v.value)) }));
      return { kind: 'proportions', label, column, categories, missing };
    }
    if (column.type === 'number') return { kind: 'mean', label, column, missing };
    throw new ValidationError(
      `${name} is free text: it has no categories to count and no numbers to average.`,
      [{ name: 'var', reason: 'not estimable' }],
      'variable_not_estimable',
    );
  }
  const parts = answers.filter(
    (c) => c.question?.code === name && multiSelect.has(c.question.type) && c.name !== `${name}_other_text`,
  );
  if (parts.length) {
    const labels = parts.map((c) => labelOf(c.labels, locale, c.name));
    const prefix = commonTitle(labels);
    const options = parts.map((column, i) => ({
      column,
      category: {
        value: codeOf(column.name.slice(name.length + 1)),
        label: labels[i]!.slice(prefix ? prefix.length + 2 : 0),
      },
    }));
    const meaning = (o: (typeof options)[number]) => missingOptions[String(o.category.value)];
    return {
      kind: 'multiple',
      label: prefix || name,
      columns: options.filter((o) => !meaning(o)),
      missing: options
        .filter((o) => meaning(o))
        .map((o) => ({ ...o.category, missing: meaning(o)!, column: o.column })),
    };
  }
  const near = answers.filter((c) => c.question?.code === name).map((c) => c.name);
  throw new ValidationError(
    near.length
      ? `${name} has several columns; ask for one of them: ${near.join(', ')}.`
      : `No variable ${name} in this wave's export.`,
    [{ name: 'var', reason: near.length ? `one of ${near.join(', ')}` : 'unknown variable' }],
    'unknown_variable',
  );
}

/** A choice's value back from its column suffix: numbers as numbers, like the codes of a single-choice column. */
const codeOf = (suffix: string): Code => (/^-?\d+$/.test(suffix) ? Number(suffix) : suffix);

/** The question's title that flattened columns share before ": " (their labels are "title: part"). */
function commonTitle(labels: string[]): string {
  if (labels.length < 2) return '';
  let prefix = labels[0]!;
  for (const l of labels) while (!l.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const cut = prefix.lastIndexOf(': ');
  return cut > 0 ? prefix.slice(0, cut) : '';
}

/** The named breakdowns; besides them, the wave's own strata column and any coded column of the export. */
export const estimateBreakdowns = ['county', 'municipality', 'language', 'stratum'] as const;

export interface BySpec {
  /** The name asked for, and the export column it reads ('stratum': the weighting stratum, see estimates.ts). */
  name: string;
  column: string;
  labelOf(value: Code): string;
  /** Orders groups: a coded column's own order, else code units. */
  order(a: Code, b: Code): number;
}

const byCodeUnits = (a: Code, b: Code) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);

let countyNames: Map<string, string> | undefined;

export function resolveBy(
  columns: ExportColumn[],
  by: string,
  strataColumn: string | null,
  locale: string,
): BySpec {
  const plain = (name: string, column: string, label: (v: Code) => string = String): BySpec => ({
    name,
    column,
    labelOf: label,
    order: byCodeUnits,
  });
  const unitName = (v: Code) => municipalUnitName(String(v)) ?? String(v);
  countyNames ??= new Map(municipalities2024().map((m) => [m.countyCode, m.countyName]));
  const countyName = (v: Code) => countyNames!.get(String(v)) ?? String(v);
  if (by === 'county') return plain(by, 'county', countyName);
  if (by === 'municipality') return plain(by, 'municipality', unitName);
  if (by === 'language' || by === 'locale') return plain(by, 'locale');
  if (by === 'stratum' || (strataColumn && by === strataColumn)) {
    const label =
      strataColumn === 'county' ? countyName : strataColumn === 'municipality_code' ? unitName : String;
    return plain(by, 'stratum', label);
  }
  const column = columns.find((c) => c.name === by && ['system', 'answer', 'quality'].includes(c.role));
  if (!column || column.type === 'datetime' || (column.role === 'answer' && !column.valueLabels.length)) {
    const named = [...estimateBreakdowns, ...(strataColumn ? [strataColumn] : [])].join(', ');
    throw new ValidationError(
      `Cannot break down by ${by}: use ${named}, or a coded column of the export.`,
      [{ name: 'by', reason: 'not a breakdown' }],
      'breakdown_invalid',
    );
  }
  const position = new Map(column.valueLabels.map((v, i) => [String(v.value), i]));
  const labels = new Map(
    column.valueLabels.map((v) => [String(v.value), labelOf(v.labels, locale, String(v.value))]),
  );
  return {
    name: by,
    column: by,
    labelOf: (v) => labels.get(String(v)) ?? String(v),
    order: (a, b) =>
      (position.get(String(a)) ?? Number.MAX_SAFE_INTEGER) -
        (position.get(String(b)) ?? Number.MAX_SAFE_INTEGER) || byCodeUnits(a, b),
  };
}
