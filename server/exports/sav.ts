// SPSS system files (.sav), spelled as GNU PSPP's developer documentation ("System File Format") describes them:
// a dictionary of type 2, 3/4 and 7 records, then uncompressed cases of 8-byte elements, little-endian, text UTF-8.
import type { Cell, Dataset, Sink } from './dataset.ts';
import {
  claim,
  cutUtf8,
  formatCodes,
  labelText,
  measureColumns,
  numberOf,
  type SavFormat,
  type SavVariable,
  savDictionary,
  sysmis,
  textOf,
} from './sav-dictionary.ts';

export type { ColumnStats, SavFormat, SavVariable } from './sav-dictionary.ts';
export { measureColumns, missingOf, savDictionary, spssNames } from './sav-dictionary.ts';

/** Little-endian bytes (the machine integer info record, 7.3, says endianness 2). */
class Out {
  private parts: Buffer[] = [];
  int(...values: number[]): this {
    const b = Buffer.alloc(4 * values.length);
    for (const [i, v] of values.entries()) b.writeInt32LE(v, 4 * i);
    return this.raw(b);
  }
  double(...values: number[]): this {
    const b = Buffer.alloc(8 * values.length);
    for (const [i, v] of values.entries()) b.writeDoubleLE(v, 8 * i);
    return this.raw(b);
  }
  raw(b: Uint8Array): this {
    this.parts.push(Buffer.from(b));
    return this;
  }
  /** Exactly `size` bytes: cut, or padded on the right with `fill` (spaces, as the records pad text). */
  fixed(text: string | Buffer, size: number, fill = 0x20): this {
    const b = Buffer.alloc(size, fill);
    (typeof text === 'string' ? Buffer.from(text, 'utf8') : text).copy(b, 0, 0, size);
    return this.raw(b);
  }
  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

interface Laid extends SavVariable {
  /** Widths of the string segments ("Very Long String Record"); [0] for numbers. */
  segments: number[];
  /** 8-byte names of the segments' variable records. */
  shorts: string[];
  /** Dictionary index of the first variable record, plus 1, as value label variables records (type 4) count. */
  index: number;
}

/** One segment up to 255 bytes; longer strings get one per 252 bytes of width: 255 wide, the last the rest. */
function segmentWidths(width: number): number[] {
  if (width <= 255) return [width];
  const n = Math.ceil(width / 252);
  return [...Array<number>(n - 1).fill(255), width - (n - 1) * 252];
}

/** 8-byte elements a segment takes: one per 8 bytes of string, one for a number. */
const slots = (segmentWidth: number) => Math.max(1, Math.ceil(segmentWidth / 8));

/**
 * 8-byte names for the variable records. Names that fit keep their own (upper-cased) and are claimed first, so that
 * renaming to the long names (7.13) never meets a clash halfway; further segments of very long strings get their own.
 */
function shortNames(names: string[], segmentCounts: number[]): string[][] {
  const taken = new Set<string>();
  const out = names.map((n) => (n.length <= 8 ? [claim(n.toUpperCase(), 8, taken)] : []));
  for (const [i, n] of names.entries())
    if (n.length > 8) out[i]!.push(claim(n.slice(0, 8).toUpperCase(), 8, taken));
  for (const [i, s] of out.entries())
    for (let k = 1; k < segmentCounts[i]!; k += 1) s.push(claim(s[0]!, 8, taken));
  return out;
}

function layout(vars: SavVariable[]): Laid[] {
  const segments = vars.map((v) => (v.type === 'string' ? segmentWidths(v.width) : [0]));
  const shorts = shortNames(
    vars.map((v) => v.name),
    segments.map((s) => s.length),
  );
  let index = 1;
  return vars.map((v, i) => {
    const laid = { ...v, segments: segments[i]!, shorts: shorts[i]!, index };
    index += laid.segments.reduce((n, w) => n + slots(w), 0);
    return laid;
  });
}

/** The file label: the instrument's title, on one line and cut to the header's 64 bytes. */
export function fileLabel(dataset: Dataset): string {
  return labelText(dataset.title, dataset.labelLocale, dataset.instrumentId, 64);
}

const months = 'JanFebMarAprMayJunJulAugSepOctNovDec';
const two = (n: number) => String(n).padStart(2, '0');

/** The file header record: 176 bytes, creation date as "dd mmm yy" and time as "hh:mm:ss". */
function fileHeader(dataset: Dataset, caseSlots: number, rows: number): Buffer {
  const now = new Date();
  const month = months.slice(3 * now.getUTCMonth(), 3 * now.getUTCMonth() + 3);
  return new Out()
    .fixed('$FL2', 4)
    .fixed('@(#) SPSS DATA FILE Svar', 60)
    .int(2, caseSlots, 0, 0, rows) // layout_code, nominal_case_size, no compression, no weight, ncases
    .double(100) // bias
    .fixed(`${two(now.getUTCDate())} ${month} ${two(now.getUTCFullYear() % 100)}`, 9)
    .fixed(now.toISOString().slice(11, 19), 8)
    .fixed(fileLabel(dataset), 64)
    .fixed('', 3, 0)
    .bytes();
}

const encodeFormat = (f: SavFormat) =>
  (formatCodes[f.type] << 16) | (Math.min(f.width, 255) << 8) | f.decimals;

function variableRecords(out: Out, v: Laid): void {
  const { discrete, range } = v.missing;
  for (const [k, width] of v.segments.entries()) {
    const label = k === 0 && v.label ? Buffer.from(v.label, 'utf8') : null;
    const missing = k > 0 ? [] : range ? range : discrete;
    const format = encodeFormat(v.type === 'string' ? { type: 'A', width, decimals: 0 } : v.format);
    out.int(2, v.type === 'string' ? width : 0, label ? 1 : 0, range && k === 0 ? -2 : missing.length);
    out.int(format, format).fixed(v.shorts[k]!, 8);
    if (label) out.int(label.length).fixed(label, Math.ceil(label.length / 4) * 4);
    out.double(...missing);
    for (let s = 1; s < slots(width); s += 1) out.int(2, -1, 0, 0, 0, 0).fixed('', 8);
  }
}

/** Value label records (3 and 4) serve numbers and strings up to 8 bytes; wider strings use record 7.21. */
function valueLabelRecords(out: Out, v: Laid): void {
  if (!v.valueLabels.length || v.width > 8) return;
  out.int(3, v.valueLabels.length);
  for (const { value, label } of v.valueLabels) {
    if (typeof value === 'number') out.double(value);
    else out.fixed(value, 8);
    const bytes = Buffer.from(label, 'utf8');
    out.raw(Uint8Array.of(bytes.length)).fixed(bytes, Math.ceil((bytes.length + 1) / 8) * 8 - 1);
  }
  out.int(4, 1, v.index);
}

function extend(out: Out, subtype: number, size: number, data: Buffer): void {
  if (data.length) out.int(7, subtype, size, data.length / size).raw(data);
}

const text = (s: string) => Buffer.from(s, 'utf8');

function longStringLabels(vars: Laid[]): Buffer {
  const out = new Out();
  for (const v of vars.filter((v) => v.width > 8 && v.valueLabels.length)) {
    out
      .int(Buffer.byteLength(v.name))
      .fixed(v.name, Buffer.byteLength(v.name))
      .int(v.width, v.valueLabels.length);
    for (const { value, label } of v.valueLabels)
      out.int(v.width).fixed(String(value), v.width).int(Buffer.byteLength(label)).raw(text(label));
  }
  return out.bytes();
}

/**
 * The type 7 records, in ascending subtype as the documentation orders them: machine integer (3) and floating-point
 * (4) info, variable display parameters (11), long variable names (13), very long strings (14), variable attributes
 * (18, for roles: "$@Role"), character encoding (20) and long string value labels (21).
 */
function extensionRecords(out: Out, vars: Laid[]): void {
  extend(out, 3, 4, new Out().int(1, 0, 0, -1, 1, 1, 2, 65001).bytes()); // IEEE, little-endian, UTF-8
  extend(out, 4, 8, new Out().double(sysmis, Number.MAX_VALUE, -Number.MAX_VALUE).bytes());
  // One measure, display width and alignment per segment, as PSPP and ReadStat write them.
  const display = vars.flatMap((v) =>
    v.segments.flatMap(() => [
      v.measure === 'nominal' ? 1 : 3,
      Math.min(40, v.format.width),
      v.width ? 0 : 1,
    ]),
  );
  extend(out, 11, 4, new Out().int(...display).bytes());
  extend(out, 13, 1, text(vars.map((v) => `${v.shorts[0]}=${v.name}`).join('\t')));
  const vls = vars.filter((v) => v.segments.length > 1);
  const lengths = vls.map((v) => `${v.shorts[0]}=${String(v.width).padStart(5, '0')}\0\t`);
  extend(out, 14, 1, text(lengths.join('')));
  const roles = vars.filter((v) => v.role !== 0).map((v) => `${v.name}:$@Role('${v.role}'\n)`);
  extend(out, 18, 1, text(roles.join('/')));
  extend(out, 20, 1, text('UTF-8'));
  extend(out, 21, 1, longStringLabels(vars));
}

/** The cases of a batch: doubles for numbers, each string cut into its segments and padded with spaces. */
function encodeRows(vars: Laid[], batch: Cell[][], caseBytes: number): Buffer {
  const buf = Buffer.alloc(batch.length * caseBytes, 0x20);
  let at = 0;
  for (const row of batch)
    for (const [i, v] of vars.entries()) {
      if (v.type !== 'string') {
        at = buf.writeDoubleLE(numberOf(row[i] ?? null, v.type), at);
        continue;
      }
      const bytes = cutUtf8(Buffer.from(textOf(row[i] ?? null), 'utf8'), v.width);
      for (const [k, w] of v.segments.entries()) {
        // Segments are packed 255 bytes each ("Very Long String Record"), whatever their declared width.
        if (k * 255 < bytes.length) bytes.copy(buf, at, k * 255, Math.min(bytes.length, k * 255 + w));
        at += slots(w) * 8;
      }
    }
  return buf;
}

/** Writes the dataset as a .sav, reading the rows twice: once to measure string widths, once to write them. */
export async function writeSav(dataset: Dataset, sink: Sink): Promise<void> {
  const { rows, stats } = await measureColumns(dataset);
  const vars = layout(savDictionary(dataset, stats));
  const caseSlots = vars.reduce((n, v) => n + v.segments.reduce((m, w) => m + slots(w), 0), 0);
  const out = new Out().raw(fileHeader(dataset, caseSlots, rows));
  for (const v of vars) variableRecords(out, v);
  for (const v of vars) valueLabelRecords(out, v);
  extensionRecords(out, vars);
  await sink.write(out.int(999, 0).bytes()); // dictionary termination
  let written = 0;
  for await (const batch of dataset.batches()) {
    await sink.write(encodeRows(vars, batch, caseSlots * 8));
    written += batch.length;
  }
  if (written !== rows)
    throw new Error(`The rows changed between the two passes: ${rows} measured, ${written} read`);
}
