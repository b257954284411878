// What changed between two versions of an instrument, question by question, from their codebooks.
import type { Codebook, CodebookVariable, Labels, ValueLabel } from './codebook.ts';

export interface FieldChange {
  field: string;
  locale?: string;
  value?: string;
  from: unknown;
  to: unknown;
}

export interface VersionDiff {
  added: string[];
  removed: string[];
  changed: { code: string; changes: FieldChange[] }[];
}

function labelChanges(field: string, a: Labels, b: Labels, value?: string): FieldChange[] {
  const out: FieldChange[] = [];
  for (const locale of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (a[locale] !== b[locale])
      out.push({
        field,
        locale,
        ...(value !== undefined ? { value } : {}),
        from: a[locale] ?? null,
        to: b[locale] ?? null,
      });
  }
  return out;
}

function listChanges(field: string, a: ValueLabel[] = [], b: ValueLabel[] = []): FieldChange[] {
  const out: FieldChange[] = [];
  const before = new Map(a.map((v) => [String(v.value), v]));
  const after = new Map(b.map((v) => [String(v.value), v]));
  for (const [value, v] of before)
    if (!after.has(value)) out.push({ field: `${field}.removed`, value, from: v.labels, to: null });
  for (const [value, v] of after) {
    const old = before.get(value);
    if (!old) out.push({ field: `${field}.added`, value, from: null, to: v.labels });
    else out.push(...labelChanges(`${field}.label`, old.labels, v.labels, value));
  }
  const order = (l: ValueLabel[]) => l.map((v) => String(v.value)).join('|');
  if (out.length === 0 && order(a) !== order(b))
    out.push({ field: `${field}.order`, from: order(a), to: order(b) });
  return out;
}

function variableChanges(a: CodebookVariable, b: CodebookVariable): FieldChange[] {
  const out: FieldChange[] = [];
  for (const f of [
    'questionType',
    'valueType',
    'visibleIf',
    'required',
    'module',
    'page',
    'min',
    'max',
  ] as const) {
    if (a[f] !== b[f]) out.push({ field: f, from: a[f] ?? null, to: b[f] ?? null });
  }
  out.push(...labelChanges('title', a.labels, b.labels));
  out.push(...listChanges('choices', a.values, b.values));
  out.push(...listChanges('rows', a.rows, b.rows));
  out.push(...listChanges('columns', a.columns, b.columns));
  return out;
}

export function diffCodebooks(a: Codebook, b: Codebook): VersionDiff {
  const before = new Map(a.variables.map((v) => [v.code, v]));
  const after = new Map(b.variables.map((v) => [v.code, v]));
  const diff: VersionDiff = { added: [], removed: [], changed: [] };
  for (const code of before.keys()) if (!after.has(code)) diff.removed.push(code);
  for (const [code, v] of after) {
    const old = before.get(code);
    if (!old) diff.added.push(code);
    else {
      const changes = variableChanges(old, v);
      if (changes.length) diff.changed.push({ code, changes });
    }
  }
  return diff;
}

/** The identity of a question for time series: its type, source wording and answer codes with their source texts. */
export function questionIdentity(v: CodebookVariable, sourceLocale: string): string {
  const items = (l: ValueLabel[] = []) =>
    l.map((x) => `${String(x.value)}=${x.labels[sourceLocale] ?? ''}`).join('|');
  return JSON.stringify([
    v.questionType,
    v.labels[sourceLocale] ?? '',
    items(v.values),
    items(v.rows),
    items(v.columns),
  ]);
}
