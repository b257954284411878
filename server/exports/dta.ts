// Stata .dta format 118 (Stata 14+, UTF-8), streamed: one pass measures strings, the next writes <data>, a third <strls>.
// Section names below are those of StataCorp's "[P] File formats .dta" (help dta), format 118.
import { createHash } from 'node:crypto';
import { type Cell, type Dataset, type ExportColumn, labelOf, type Sink } from './dataset.ts';

/** One variable as Stata sees it; the do-file (do-file.ts) spells the same dictionary for the CSV export. */
export interface StataVariable {
  column: ExportColumn;
  /** Valid Stata name: 32 characters of [A-Za-z0-9_]; `name !== column.name` when it had to change. */
  name: string;
  /** Variable label, at most 80 characters (5.8: 321 bytes = 80 UTF-8 characters + \0). */
  label: string;
  /** The instrument's missing codes, ascending, each as an extended missing value: 97 → .a, 98 → .b, … */
  missing: { code: number; tag: string }[];
  /** Integer value labels, the missing codes' under their extended missing value (tag). */
  valueLabels: { value: number; tag?: string; text: string }[];
  /** Stata notes (characteristics note1…): the full name when shortened, and the missing-code mapping. */
  notes: string[];
}

const reserved = new Set(
  '_all _b byte _coef _cons double float if in int long _n _N _pi _pred _rc _skip strL using with'.split(' '),
);
const tags = 'abcdefghijklmnopqrstuvwxyz';
// 5.4 Variable names: 1 to 32 characters. Long names keep 26 characters, '_' and a 5-character hash of the full name.
const maxName = 32;
const maxLabel = 80;
// 4. Representation of numbers: long's largest nonmissing value (value labels are 4-byte ints).
const maxLong = 2_147_483_620;
// %tc counts milliseconds from 01jan1960 00:00:00.000.
const stataEpoch = Date.UTC(1960, 0, 1);

function hash5(text: string): string {
  const n = createHash('sha1').update(text).digest().readUInt32BE(0);
  return (n % 36 ** 5).toString(36).padStart(5, '0');
}

/** Stata names for column names, in order: deterministic, unique, at most 32 characters. */
export function stataNames(names: string[]): string[] {
  const used = new Set<string>();
  return names.map((full) => {
    let base = full.replace(/[^A-Za-z0-9_]/g, '_') || 'v';
    if (!/^[A-Za-z_]/.test(base)) base = `_${base}`;
    if (reserved.has(base) || /^str(\d+|L)$/.test(base)) base = `${base}_`;
    let name = base.length <= maxName ? base : `${base.slice(0, 26)}_${hash5(full)}`;
    for (let i = 1; used.has(name); i += 1) name = `${base.slice(0, 26)}_${hash5(`${full}#${i}`)}`;
    used.add(name);
    return name;
  });
}

/** At most `chars` characters and `bytes` UTF-8 bytes, cut on a character boundary; \0 would end the string early. */
export function clip(text: string, chars: number, bytes = chars * 4): string {
  let out = '';
  let n = 0;
  for (const ch of Array.from(text.replaceAll('\0', '')).slice(0, chars)) {
    n += Buffer.byteLength(ch);
    if (n > bytes) break;
    out += ch;
  }
  return out;
}

/** The value labels Stata can hold (5.12: 4-byte integers), each missing code's under its extended missing value. */
function valueLabelsOf(column: ExportColumn, missing: StataVariable['missing'], locale: string) {
  const text = (value: number) => {
    const vl = column.valueLabels.find((v) => v.value === value);
    return clip(vl ? labelOf(vl.labels, locale, String(value)) : String(value), 32_000, 32_000);
  };
  const codes = column.valueLabels
    .map((v) => v.value)
    .filter((v): v is number => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= maxLong)
    .filter((v) => !missing.some((m) => m.code === v));
  return [
    ...missing.map((m) => ({ value: m.code, tag: m.tag, text: text(m.code) })),
    ...codes.map((value) => ({ value, text: text(value) })),
  ];
}

/** The dictionary of a dataset: names, labels, missing codes and value labels in the dataset's label language. */
export function stataVariables(dataset: Dataset): StataVariable[] {
  const names = stataNames(dataset.columns.map((c) => c.name));
  // One mapping for the whole file (97 → .a, 98 → .b in every variable), so analysts learn it once.
  const all = [...new Set(dataset.columns.flatMap((c) => (c.type === 'number' ? c.missing : [])))].sort(
    (a, b) => a - b,
  );
  return dataset.columns.map((column, i) => {
    const name = names[i]!;
    const text = labelOf(column.labels, dataset.labelLocale, column.name);
    const withName = `${text} [${column.name}]`;
    const label = clip(
      name !== column.name && Array.from(withName).length <= maxLabel ? withName : text,
      maxLabel,
    );
    const codes = column.type === 'number' ? [...new Set(column.missing)].sort((a, b) => a - b) : [];
    const missing = codes
      .map((code) => ({ code, tag: tags[all.indexOf(code)] }))
      .filter((m): m is { code: number; tag: string } => m.tag !== undefined);
    const valueLabels = column.type === 'number' ? valueLabelsOf(column, missing, dataset.labelLocale) : [];
    const notes = name === column.name ? [] : [`Full name: ${column.name}`];
    if (missing.length)
      notes.push(`Missing codes: ${missing.map((m) => `${m.code} = .${m.tag}`).join(', ')}`);
    return { column, name, label, missing, valueLabels, notes };
  });
}

const changed = "the dataset's rows changed between the writer's passes";
// 5.3 Variable types.
const typeDouble = 65526;
const typeStrL = 32768;
const maxStrf = 2045;

interface Layout {
  v: StataVariable;
  type: number;
  width: number;
  format: string;
}

function text(cell: Cell): string {
  if (cell === null) return '';
  return (cell instanceof Date ? cell.toISOString() : String(cell)).replaceAll('\0', '');
}

/** The double Stata stores, or the index of the missing value: 0 = '.', 1 = .a, … (4. Representation of numbers). */
function numeric(cell: Cell, l: Layout): number | { missing: number } {
  if (l.v.column.type === 'datetime') {
    const ms =
      cell instanceof Date ? cell.getTime() : typeof cell === 'string' ? Date.parse(cell) : Number(cell);
    return cell === null || !Number.isFinite(ms) ? { missing: 0 } : ms - stataEpoch;
  }
  const n =
    typeof cell === 'number' ? cell : typeof cell === 'string' && cell.trim() ? Number(cell) : Number.NaN;
  const m = l.v.missing.find((x) => x.code === n);
  if (m) return { missing: tags.indexOf(m.tag) + 1 };
  return Number.isFinite(n) && n <= 8.988e307 ? n : { missing: 0 };
}

/** First pass: the widest string per string column (in UTF-8 bytes) and the bytes of the <strls> its GSOs take. */
async function measure(dataset: Dataset): Promise<{ rows: number; widest: number[]; gso: number[] }> {
  const k = dataset.columns.length;
  const widest = new Array<number>(k).fill(0);
  const gso = new Array<number>(k).fill(0);
  let rows = 0;
  for await (const batch of dataset.batches())
    for (const row of batch) {
      rows += 1;
      dataset.columns.forEach((c, i) => {
        if (c.type !== 'string') return;
        const bytes = Buffer.byteLength(text(row[i] ?? null));
        widest[i] = Math.max(widest[i]!, bytes);
        // 5.11.2 GSOs: "GSO", v (4), o (8), t (1), len (4), contents with its trailing \0; "" is (0,0) and has none.
        if (bytes > 0) gso[i]! += 21 + bytes;
      });
    }
  return { rows, widest, gso };
}

function layout(v: StataVariable, widest: number): Layout {
  if (v.column.type === 'datetime') return { v, type: typeDouble, width: 8, format: '%tc' };
  if (v.column.type === 'number') return { v, type: typeDouble, width: 8, format: '%10.0g' };
  if (widest > maxStrf) return { v, type: typeStrL, width: 8, format: '%-9s' };
  const width = Math.max(1, widest);
  return { v, type: width, width, format: `%-${width}s` };
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');
/** A \0-padded field: 129 bytes for names (5.4, 5.7), 57 for formats (5.6), 321 for variable labels (5.8). */
function fixed(s: string, size: number): Buffer {
  const out = Buffer.alloc(size);
  out.write(s, 0, size - 1, 'utf8');
  return out;
}
/** An unsigned integer, least significant byte first (5.1.2 byteorder LSF). */
function uint(bytes: 1 | 2 | 4 | 8, n: number): Buffer {
  const out = Buffer.alloc(bytes);
  if (bytes === 8) out.writeBigUInt64LE(BigInt(n));
  else out.writeUIntLE(n, 0, bytes);
  return out;
}
const tagged = (tag: string, ...parts: Buffer[]) =>
  Buffer.concat([utf8(`<${tag}>`), ...parts, utf8(`</${tag}>`)]);

/** 5.1.6 Datetime stamp: "dd Mon yyyy hh:mm", here in UTC. */
function timestamp(now: Date): string {
  const mon = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ')[now.getUTCMonth()];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(now.getUTCDate())} ${mon} ${now.getUTCFullYear()} ${two(now.getUTCHours())}:${two(now.getUTCMinutes())}`;
}

/** The data label (5.1.5): the instrument's title, up to 80 characters. */
export const dataLabel = (dataset: Dataset) =>
  clip(labelOf(dataset.title, dataset.labelLocale, ''), maxLabel);
/** The dataset's note (`_dta[note1]`) when any variable has missing codes. */
export const dataNote =
  'Missing codes of the instrument are extended missing values, the same in every variable: the lowest code is .a, the next .b, and so on (see the notes of each variable).';

/** 5.9 Characteristics: notes, where Stata's `notes` command keeps them: `var[note0]` (count), `var[note1]`, …. */
function characteristics(vars: StataVariable[]): Buffer {
  const owners: [string, string[]][] = vars.map((v) => [v.name, v.notes]);
  if (vars.some((v) => v.missing.length)) owners.unshift(['_dta', [dataNote]]);
  const chs = owners.flatMap(([owner, notes]) =>
    (notes.length ? [String(notes.length), ...notes] : []).map((value, i) => {
      const contents = utf8(`${clip(value, 16_000, 67_783)}\0`);
      return tagged(
        'ch',
        uint(4, 258 + contents.length),
        fixed(owner, 129),
        fixed(`note${i}`, 129),
        contents,
      );
    }),
  );
  return tagged('characteristics', ...chs);
}

/** 5.12 Value labels: a <lbl> per labelled variable, named after it; val[] ascending, .a–.z as long's missing codes. */
function valueLabelTables(vars: StataVariable[]): Buffer {
  const tables = vars
    .filter((v) => v.valueLabels.length)
    .map((v) => {
      const entries = v.valueLabels
        .map((e) => ({ val: e.tag ? maxLong + 2 + tags.indexOf(e.tag) : e.value, text: utf8(`${e.text}\0`) }))
        .sort((a, b) => a.val - b.val);
      const offsets: Buffer[] = [];
      const val = Buffer.alloc(4 * entries.length);
      let txtlen = 0;
      for (const [j, e] of entries.entries()) {
        offsets.push(uint(4, txtlen));
        val.writeInt32LE(e.val, 4 * j);
        txtlen += e.text.length;
      }
      const table = Buffer.concat([
        uint(4, entries.length),
        uint(4, txtlen),
        ...offsets,
        val,
        ...entries.map((e) => e.text),
      ]);
      return tagged('lbl', uint(4, table.length), fixed(v.name, 129), Buffer.alloc(3), table);
    });
  return tagged('value_labels', ...tables);
}

function writeCell(buf: Buffer, at: number, l: Layout, cell: Cell, v: number, o: number): void {
  if (l.type === typeDouble) {
    const x = numeric(cell, l);
    // 4.: '.' is 0x7fe0000000000000 and each of .a … .z adds 2^40 (.a = 0x7fe0010000000000).
    if (typeof x === 'number') buf.writeDoubleLE(x, at);
    else buf.writeBigUInt64LE(0x7fe0000000000000n + (BigInt(x.missing) << 40n), at);
    return;
  }
  const s = text(cell);
  if (l.type === typeStrL) {
    // 5.11.1 (v,o) values: 2-byte v then 6-byte o; (0,0) is the empty string.
    if (!s) return;
    buf.writeUInt16LE(v, at);
    buf.writeUIntLE(o, at + 2, 6);
    return;
  }
  if (Buffer.byteLength(s) > l.width) throw new Error(changed);
  buf.write(s, at, 'utf8');
}

/** Everything before <data>: header (5.1), map (5.2) and 5.3–5.9, with the map's offsets computed up front. */
function head(dataset: Dataset, cols: Layout[], rows: number, tail: number[], now: Date): Buffer {
  const stamp = timestamp(now);
  const title = utf8(dataLabel(dataset));
  const header = Buffer.concat([
    utf8('<stata_dta>'),
    tagged(
      'header',
      tagged('release', utf8('118')),
      tagged('byteorder', utf8('LSF')),
      tagged('K', uint(2, cols.length)),
      tagged('N', uint(8, rows)),
      tagged('label', uint(2, title.length), title),
      tagged('timestamp', uint(1, stamp.length), utf8(stamp)),
    ),
  ]);
  const sections = [
    tagged('variable_types', ...cols.map((l) => uint(2, l.type))),
    tagged('varnames', ...cols.map((l) => fixed(l.v.name, 129))),
    tagged('sortlist', Buffer.alloc(2 * (cols.length + 1))),
    tagged('formats', ...cols.map((l) => fixed(l.format, 57))),
    tagged('value_label_names', ...cols.map((l) => fixed(l.v.valueLabels.length ? l.v.name : '', 129))),
    tagged('variable_labels', ...cols.map((l) => fixed(l.v.label, 321))),
    characteristics(cols.map((l) => l.v)),
  ];
  // 5.2 Map: where <stata_dta>, <map>, each section, </stata_dta> and the end of the file start.
  const map = [0];
  for (const size of [header.length, 5 + 14 * 8 + 6, ...sections.map((s) => s.length), ...tail])
    map.push(map.at(-1)! + size);
  return Buffer.concat([header, tagged('map', ...map.map((at) => uint(8, at))), ...sections]);
}

/** Writes the dataset as a Stata 14+ .dta file (format 118, LSF). `now` is the file's timestamp. */
export async function writeDta(dataset: Dataset, sink: Sink, now = new Date()): Promise<void> {
  const vars = stataVariables(dataset);
  if (vars.length > 32_767) throw new Error('Stata format 118 holds at most 32,767 variables');
  const { rows, widest, gso } = await measure(dataset);
  const cols = vars.map((v, i) => layout(v, widest[i]!));
  const rowWidth = cols.reduce((sum, l) => sum + l.width, 0);
  const strlBytes = cols.reduce((sum, l, i) => sum + (l.type === typeStrL ? gso[i]! : 0), 0);
  const values = valueLabelTables(vars);
  const tail = [13 + rows * rowWidth, 15 + strlBytes, values.length, '</stata_dta>'.length];
  await sink.write(Buffer.concat([head(dataset, cols, rows, tail, now), utf8('<data>')]));
  let o = 0;
  for await (const batch of dataset.batches()) {
    const buf = Buffer.alloc(batch.length * rowWidth);
    for (const [r, row] of batch.entries()) {
      o += 1;
      let at = r * rowWidth;
      for (const [i, l] of cols.entries()) {
        writeCell(buf, at, l, row[i] ?? null, i + 1, o);
        at += l.width;
      }
    }
    await sink.write(buf);
  }
  if (o !== rows) throw new Error(changed);
  await sink.write(utf8('</data><strls>'));
  if (strlBytes) await writeStrls(dataset, cols, sink, strlBytes);
  await sink.write(Buffer.concat([utf8('</strls>'), values, utf8('</stata_dta>')]));
}

/** Third pass: 5.11.2 GSOs for every non-empty strL, in (v,o) order, as text (t = 130, with its \0). */
async function writeStrls(dataset: Dataset, cols: Layout[], sink: Sink, expected: number): Promise<void> {
  let o = 0;
  let written = 0;
  for await (const batch of dataset.batches()) {
    const out: Buffer[] = [];
    for (const row of batch) {
      o += 1;
      for (const [i, l] of cols.entries()) {
        const s = l.type === typeStrL ? text(row[i] ?? null) : '';
        if (!s) continue;
        const contents = utf8(`${s}\0`);
        out.push(utf8('GSO'), uint(4, i + 1), uint(8, o), uint(1, 130), uint(4, contents.length), contents);
        written += 20 + contents.length;
      }
    }
    await sink.write(Buffer.concat(out));
  }
  if (written !== expected) throw new Error(changed);
}
