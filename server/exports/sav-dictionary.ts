// The dictionary of an SPSS export: variable names, labels, formats, missing values and value labels, and the
// first pass over the rows that measures string widths. Shared by the .sav writer and the .sps syntax.
import { type Cell, type Dataset, type ExportColumn, labelOf } from './dataset.ts';

/** SYSMIS is -DBL_MAX, HIGHEST is DBL_MAX ("System File Format", introduction). */
export const sysmis = -Number.MAX_VALUE;
/** SPSS counts seconds from 1582-10-14, the start of the Gregorian calendar; 1970-01-01 is this many later. */
const epochSeconds = 12_219_379_200;
const maxStringWidth = 32_767;
/** PSPP truncates variable labels to 255 bytes on input; SPSS documents value labels of up to 120 bytes. */
const maxLabelBytes = 255;
const maxValueLabelBytes = 120;
/** Reserved words may not name a variable (PSPP manual, "Tokens"). */
export const reserved = new Set([
  'ALL',
  'AND',
  'BY',
  'EQ',
  'GE',
  'GT',
  'LE',
  'LT',
  'NE',
  'NOT',
  'OR',
  'TO',
  'WITH',
]);
/** Format type codes of the variable record's print and write fields ("Variable Record"). */
export const formatCodes = { A: 1, F: 5, DATETIME: 22 } as const;

export interface SavFormat {
  type: keyof typeof formatCodes;
  width: number;
  decimals: number;
}

export interface MissingValues {
  discrete: number[];
  range?: [number, number];
  /** Missing codes that did not fit the record's three slots. */
  dropped: number[];
}

/** One variable as the .sav writes it and the .sps declares it. */
export interface SavVariable {
  name: string;
  label: string;
  type: ExportColumn['type'];
  /** String width in bytes (1–32 767); 0 for numbers and datetimes. */
  width: number;
  format: SavFormat;
  valueLabels: { value: number | string; label: string }[];
  missing: MissingValues;
  measure: 'nominal' | 'scale';
  /** SPSS's roles: 0 input (answers), 3 none (ids, system fields, weights, quality flags). */
  role: 0 | 3;
}

/** What the first pass over the rows learns: string widths in bytes, and how wide the numbers are. */
export interface ColumnStats {
  width: number;
  integral: boolean;
  digits: number;
}

/** The bytes of `bytes` that fit in `max`, never splitting a UTF-8 character. */
export function cutUtf8(bytes: Buffer, max: number): Buffer {
  if (bytes.length <= max) return bytes;
  let end = max;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end);
}

const cutText = (s: string, max: number) => cutUtf8(Buffer.from(s, 'utf8'), max).toString('utf8');

/** A label on one line (question texts may hold line breaks), cut to what SPSS keeps. */
export function labelText(
  labels: Record<string, string>,
  locale: string,
  fallback: string,
  max: number,
): string {
  return cutText(
    labelOf(labels, locale, fallback)
      .replace(/\s*[\r\n]+\s*/g, ' ')
      .trim(),
    max,
  );
}

export function textOf(cell: Cell): string {
  if (cell === null) return '';
  return cell instanceof Date ? cell.toISOString() : String(cell);
}

/** A cell as the double the case holds: SYSMIS when empty; datetimes in seconds since 1582-10-14. */
export function numberOf(cell: Cell, type: ExportColumn['type']): number {
  if (cell === null || cell === '') return sysmis;
  if (type === 'datetime') {
    const ms = cell instanceof Date ? cell.getTime() : typeof cell === 'string' ? Date.parse(cell) : cell;
    return Number.isFinite(ms) ? ms / 1000 + epochSeconds : sysmis;
  }
  const n = typeof cell === 'number' ? cell : cell instanceof Date ? Number.NaN : Number(cell);
  return Number.isFinite(n) ? n : sysmis;
}

function hash(s: string): string {
  let h = 0x811c9dc5;
  for (const ch of s) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h.toString(36).padStart(7, '0');
}

/** `base`, or `base` with a number, not yet in `taken` (compared upper-cased, as SPSS compares names). */
export function claim(base: string, max: number, taken: Set<string>): string {
  let name = base;
  for (let i = 2; taken.has(name.toUpperCase()); i += 1)
    name = `${base.slice(0, max - String(i).length - 1)}_${i}`;
  taken.add(name.toUpperCase());
  return name;
}

/** Variable names for the columns: at most 64 bytes (a stable hash keeps longer ones apart), no reserved word. */
export function spssNames(columns: readonly ExportColumn[]): string[] {
  const taken = new Set<string>();
  return columns.map(({ name }) => {
    let base = name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?![A-Za-z])/, 'v');
    if (base.length > 64) base = `${base.slice(0, 56)}_${hash(name)}`;
    if (reserved.has(base.toUpperCase())) base = `${base}_`;
    return claim(base, 64, taken);
  });
}

/** The first pass: string widths (at least 1 byte, room for labelled codes too) and numbers' digits. */
export async function measureColumns(dataset: Dataset): Promise<{ rows: number; stats: ColumnStats[] }> {
  const stats = dataset.columns.map((c) => ({
    width: Math.max(
      1,
      ...(c.type === 'string' ? c.valueLabels.map((v) => Buffer.byteLength(String(v.value))) : []),
    ),
    integral: true,
    digits: 1,
  }));
  let rows = 0;
  for await (const batch of dataset.batches()) {
    rows += batch.length;
    for (const row of batch)
      for (const [i, c] of dataset.columns.entries()) observe(stats[i]!, c.type, row[i] ?? null);
  }
  return { rows, stats };
}

function observe(s: ColumnStats, type: ExportColumn['type'], cell: Cell): void {
  if (type === 'string')
    s.width = Math.min(maxStringWidth, Math.max(s.width, Buffer.byteLength(textOf(cell))));
  if (type !== 'number') return;
  const n = numberOf(cell, type);
  if (n === sysmis) return;
  s.integral &&= Number.isInteger(n);
  s.digits = Math.max(s.digits, Math.floor(Math.log10(Math.abs(n) || 1)) + 1 + (n < 0 ? 1 : 0));
}

/**
 * A variable record holds three discrete missing values, or a range ("Variable Record"). More codes become one range
 * when they are contiguous integers; otherwise only the first three are declared and the rest reported as dropped.
 */
export function missingOf(values: readonly number[]): MissingValues {
  const unique = [...new Set(values)];
  if (unique.length <= 3) return { discrete: unique, dropped: [] };
  const sorted = [...unique].sort((a, b) => a - b);
  const [lo, hi] = [sorted[0]!, sorted.at(-1)!];
  if (sorted.every(Number.isInteger) && hi - lo === sorted.length - 1)
    return { discrete: [], range: [lo, hi], dropped: [] };
  return { discrete: unique.slice(0, 3), dropped: unique.slice(3) };
}

/** F8.0 for integers (or integer codes when the data is not known), F8.2 otherwise, wider for big numbers. */
function formatOf(c: ExportColumn, width: number, s: ColumnStats | undefined): SavFormat {
  if (c.type === 'string') return { type: 'A', width, decimals: 0 };
  if (c.type === 'datetime') return { type: 'DATETIME', width: 20, decimals: 0 };
  const codes = c.valueLabels.length > 0 && c.valueLabels.every((v) => Number.isInteger(v.value));
  const decimals = (s ? s.integral : codes) ? 0 : 2;
  return { type: 'F', width: Math.min(40, Math.max(8, (s?.digits ?? 1) + (decimals ? 3 : 0))), decimals };
}

function valueLabelsOf(c: ExportColumn, locale: string): SavVariable['valueLabels'] {
  const out = new Map<string, SavVariable['valueLabels'][number]>();
  for (const v of c.type === 'datetime' ? [] : c.valueLabels) {
    const value = c.type === 'string' ? String(v.value) : v.value;
    if (typeof value !== 'number' && c.type === 'number') continue;
    if (!out.has(String(value)))
      out.set(String(value), {
        value,
        label: labelText(v.labels, locale, String(v.value), maxValueLabelBytes),
      });
  }
  return [...out.values()];
}

/** The dictionary of a dataset; without `stats` (the .sps, which never reads the rows) strings get the widest width. */
export function savDictionary(dataset: Dataset, stats?: ColumnStats[]): SavVariable[] {
  const names = spssNames(dataset.columns);
  const locale = dataset.labelLocale;
  return dataset.columns.map((c, i) => {
    const width = c.type === 'string' ? (stats?.[i]?.width ?? maxStringWidth) : 0;
    const valueLabels = valueLabelsOf(c, locale);
    return {
      name: names[i]!,
      label: labelText(c.labels, locale, '', maxLabelBytes),
      type: c.type,
      width,
      format: formatOf(c, width, stats?.[i]),
      valueLabels,
      missing: c.type === 'number' ? missingOf(c.missing) : { discrete: [], dropped: [] },
      measure: c.type === 'string' || (c.type === 'number' && valueLabels.length) ? 'nominal' : 'scale',
      role: c.role === 'answer' ? 0 : 3,
    };
  });
}
