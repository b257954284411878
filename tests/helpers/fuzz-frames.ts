// Hostile frame files for the fuzz suite: CSV text with any delimiter, line ending, quoting, encoding and line
// length, and XLSX workbooks with hostile cells, cut short or corrupted. Some are valid frames, most are not.
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { hostileString } from './fuzz-input.ts';

const headers = [
  'external_id',
  'ID',
  'participant_id',
  'municipality_code',
  'Kommunenummer',
  'preferred_language',
  'språk',
  'email',
  'e-post',
  'phone',
  'navn',
  'region',
  'Utdanning',
  '',
];

const plausibleCell = fc.oneof(
  fc.integer({ min: 1, max: 30 }).map((i) => `p${i}`),
  fc.constantFrom(
    '0301',
    '301',
    '4601',
    '9999',
    'nb',
    'nn',
    'ar',
    'xx',
    'NB',
    'a@example.no',
    'not-an-email',
    '91234567',
  ),
);

/** One cell: plausible, hostile, or one line long enough to strain a parser (up to 2 MB). */
const cell = fc.oneof(
  { weight: 6, arbitrary: plausibleCell },
  { weight: 5, arbitrary: hostileString },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 64 * 1024, max: 2 * 1024 * 1024 }).map((n) => 'Ø'.repeat(n >> 1)),
  },
);

const table = fc.record({
  header: fc.array(
    fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...headers) }, { weight: 1, arbitrary: hostileString }),
    {
      minLength: 1,
      maxLength: 7,
    },
  ),
  rows: fc.array(fc.array(cell, { maxLength: 8 }), { maxLength: 8 }),
});

export interface CsvSpec {
  kind: 'csv';
  header: string[];
  rows: string[][];
  delimiter: string;
  lineEnd: string;
  quote: 'always' | 'needed' | 'never';
  bom: boolean;
  encoding: 'utf8' | 'latin1' | 'utf16le';
  /** Bytes no UTF-8 decoder accepts, spliced in at a position (a fraction of the file). */
  splice: { bytes: number[]; at: number } | null;
}

export interface XlsxSpec {
  kind: 'xlsx';
  header: string[];
  rows: (string | number | null)[][];
  /** A workbook cut short, bytes flipped, or only the zip signature before random bytes. */
  damage:
    | { kind: 'none' }
    | { kind: 'cut'; at: number }
    | { kind: 'flip'; at: number[] }
    | { kind: 'magic'; tail: Uint8Array };
}

export type FrameSpec = CsvSpec | XlsxSpec;

const csvSpec: fc.Arbitrary<CsvSpec> = fc.record({
  kind: fc.constant('csv' as const),
  header: table.map((t) => t.header),
  rows: table.map((t) => t.rows),
  delimiter: fc.constantFrom(';', ',', '\t', '|', ';'),
  lineEnd: fc.constantFrom('\n', '\r\n', '\r', '\n'),
  quote: fc.constantFrom('always' as const, 'needed' as const, 'never' as const),
  bom: fc.boolean(),
  encoding: fc.constantFrom(
    'utf8' as const,
    'utf8' as const,
    'utf8' as const,
    'latin1' as const,
    'utf16le' as const,
  ),
  splice: fc.option(
    fc.record({
      bytes: fc.constantFrom([0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0x80], [0xe2, 0x82], [0x00]),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    { freq: 4 },
  ),
});

const xlsxSpec: fc.Arbitrary<XlsxSpec> = fc.record({
  kind: fc.constant('xlsx' as const),
  header: table.map((t) => t.header),
  rows: fc.array(
    fc.array(
      fc.oneof(plausibleCell, hostileString, fc.integer(), fc.double({ noNaN: true }), fc.constant(null)),
      {
        maxLength: 8,
      },
    ),
    { maxLength: 8 },
  ),
  damage: fc.oneof(
    { weight: 3, arbitrary: fc.constant({ kind: 'none' as const }) },
    {
      weight: 1,
      arbitrary: fc.double({ min: 0, max: 1, noNaN: true }).map((at) => ({ kind: 'cut' as const, at })),
    },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 })
        .map((at) => ({ kind: 'flip' as const, at })),
    },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ maxLength: 300 }).map((tail) => ({ kind: 'magic' as const, tail })),
    },
  ),
});

/**
 * A frame Svar should take: known columns, unique ids, and hostile text only where any text is allowed (names and
 * analysis variables), so imports that succeed are fuzzed too.
 */
const freeText = hostileString.map((s) => s.replaceAll('\u0000', ''));
const validRows = fc
  .uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 8 })
  .chain((ids) => fc.tuple(...ids.map((id) => fc.tuple(fc.constant(`p${id}`), freeText, freeText))));
const validCsv: fc.Arbitrary<CsvSpec> = fc.record({
  kind: fc.constant('csv' as const),
  header: fc.constantFrom(['external_id', 'navn', 'region'], ['ID', 'name', 'Utdanning']),
  rows: validRows,
  delimiter: fc.constantFrom(';', ',', '\t'),
  lineEnd: fc.constantFrom('\n', '\r\n'),
  quote: fc.constantFrom('always' as const, 'needed' as const),
  bom: fc.boolean(),
  encoding: fc.constant('utf8' as const),
  splice: fc.constant(null),
});
const validXlsx: fc.Arbitrary<XlsxSpec> = fc.record({
  kind: fc.constant('xlsx' as const),
  header: fc.constant(['ID', 'navn', 'region']),
  rows: validRows,
  damage: fc.constant({ kind: 'none' as const }),
});

export const frameSpec: fc.Arbitrary<FrameSpec> = fc.oneof(
  { weight: 6, arbitrary: csvSpec },
  { weight: 2, arbitrary: xlsxSpec },
  { weight: 2, arbitrary: validCsv },
  { weight: 1, arbitrary: validXlsx },
);

function csvField(value: string, spec: CsvSpec): string {
  const needs = /["\r\n]/.test(value) || value.includes(spec.delimiter);
  if (spec.quote === 'always' || (spec.quote === 'needed' && needs))
    return `"${value.replaceAll('"', '""')}"`;
  return value;
}

function csvBytes(spec: CsvSpec): Buffer {
  const lines = [spec.header, ...spec.rows].map((cells) =>
    cells.map((v) => csvField(v, spec)).join(spec.delimiter),
  );
  const text = (spec.bom ? '\uFEFF' : '') + lines.join(spec.lineEnd) + spec.lineEnd;
  const data = Buffer.from(text, spec.encoding);
  if (!spec.splice) return data;
  const i = Math.floor(spec.splice.at * data.length);
  return Buffer.concat([data.subarray(0, i), Buffer.from(spec.splice.bytes), data.subarray(i)]);
}

/** A character XML 1.0 allows (so a workbook can hold it). */
function xmlChar(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  if (c < 0x20) return c === 0x9 || c === 0xa || c === 0xd;
  return !(c >= 0xd800 && c <= 0xdfff) && c !== 0xfffe && c !== 0xffff;
}

async function xlsxBytes(spec: XlsxSpec): Promise<Buffer> {
  if (spec.damage.kind === 'magic')
    return Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), spec.damage.tail]);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Utvalg');
  // XLSX is XML: characters XML 1.0 forbids cannot be written, so they are replaced the way Excel would refuse them.
  const xmlSafe = (v: string | number | null) =>
    typeof v === 'string' ? [...v].map((ch) => (xmlChar(ch) ? ch : '?')).join('') : v;
  sheet.addRow(spec.header.map(xmlSafe));
  for (const row of spec.rows) sheet.addRow(row.map(xmlSafe));
  const data = Buffer.from(await workbook.xlsx.writeBuffer());
  if (spec.damage.kind === 'cut') return data.subarray(0, Math.floor(spec.damage.at * data.length));
  if (spec.damage.kind === 'flip') {
    for (const at of spec.damage.at) {
      const i = Math.min(data.length - 1, Math.floor(at * data.length));
      data[i] = data[i]! ^ 0xff;
    }
  }
  return data;
}

/** The file's bytes. */
export function frameBytes(spec: FrameSpec): Promise<Buffer> {
  return spec.kind === 'csv' ? Promise.resolve(csvBytes(spec)) : xlsxBytes(spec);
}

/** The bytes in chunks of random sizes: a multibyte character or a \r\n may fall across any boundary. */
export const chunkSizes = fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 6 });

export function* chunked(data: Buffer, sizes: number[]): Generator<Buffer> {
  let at = 0;
  for (let i = 0; at < data.length; i++) {
    const n = sizes[i % sizes.length]!;
    yield data.subarray(at, at + n);
    at += n;
  }
}
