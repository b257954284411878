// Reads an uploaded sampling frame (CSV or XLSX) into frame rows, listing every problem at once so staff
// can fix the file in one go instead of uploading it again per error.
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { municipalities2024, osloDistricts } from '../reference/municipalities.ts';
import { languages } from '../surveys/languages.ts';

export interface FrameRow {
  line: number;
  externalId: string;
  municipalityCode: string | null;
  preferredLocale: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  /** every other column, kept as stratification/analysis variables (header → value) */
  attributes: Record<string, string>;
}
export interface FrameProblem {
  line: number;
  column?: string;
  reason: string;
}
export interface ParsedFrame {
  rows: FrameRow[];
  problems: FrameProblem[];
  format: 'csv' | 'xlsx';
  delimiter?: string;
}

type UnitType = 'participant' | 'municipality';
type Field = 'externalId' | 'municipalityCode' | 'preferredLocale' | 'name' | 'email' | 'phone';
/** A column Svar knows: it fills a FrameRow field, or (without `field`) an attribute named `key`. */
interface KnownColumn {
  key: string;
  aliases: string[];
  field?: Field;
  required?: boolean;
}

const municipalityCodeAliases = ['kommunenummer', 'kommunenr', 'municipality'];
const phoneAliases = ['telefon', 'mobil', 'mobile'];
const knownColumns: Record<UnitType, KnownColumn[]> = {
  participant: [
    {
      key: 'external_id',
      aliases: ['id', 'participant_id', 'deltaker_id'],
      field: 'externalId',
      required: true,
    },
    { key: 'municipality_code', aliases: municipalityCodeAliases, field: 'municipalityCode' },
    {
      key: 'preferred_language',
      aliases: ['language', 'språk', 'sprak', 'locale'],
      field: 'preferredLocale',
    },
    { key: 'email', aliases: ['e-post', 'epost'], field: 'email' },
    { key: 'phone', aliases: phoneAliases, field: 'phone' },
    { key: 'name', aliases: ['navn'], field: 'name' },
  ],
  // A municipality is its own unit: the code is the external id, and the contact is the chief executive.
  municipality: [
    { key: 'municipality_code', aliases: municipalityCodeAliases, field: 'municipalityCode', required: true },
    { key: 'municipality_name', aliases: ['name', 'kommunenavn'] },
    { key: 'county', aliases: ['fylke'] },
    {
      key: 'chief_executive_name',
      aliases: ['kommunedirektør', 'kommunedirektor', 'radmann', 'rådmann'],
      field: 'name',
    },
    { key: 'chief_executive_email', aliases: ['e-post', 'epost', 'email'], field: 'email' },
    { key: 'phone', aliases: phoneAliases, field: 'phone' },
  ],
};

/** A cell as read; numbers survive only from XLSX, so a municipality code can get its leading zero back. */
type Cell = string | number;
interface RawTable {
  /** The first record is the header; blank records are already left out. */
  records: { line: number; cells: Cell[] }[];
  problems: FrameProblem[];
  delimiter?: string;
}
type Target = { field: Field } | { attribute: string } | null;

const ZIP_MAGIC = Buffer.from('PK\x03\x04', 'latin1');
const DELIMITERS = [';', '\t', ','];

export async function parseFrameFile(
  data: Buffer,
  fileName: string,
  opts: { unitType: UnitType },
): Promise<ParsedFrame> {
  const isXlsx = data.subarray(0, 4).equals(ZIP_MAGIC);
  const table = isXlsx ? await readXlsx(data, fileName) : readCsv(data);
  const frame = isXlsx ? { format: 'xlsx' as const } : { format: 'csv' as const, delimiter: table.delimiter };
  const [header, ...body] = table.records;
  if (!header) {
    const problems = table.problems.length > 0 ? table.problems : [{ line: 1, reason: 'the file is empty' }];
    return { ...frame, rows: [], problems };
  }
  const mapped = mapHeader(header.cells, header.line, opts.unitType);
  // With a broken header every row check would be noise: report the header and what the reader found.
  if (mapped.problems.length > 0) {
    return { ...frame, rows: [], problems: [...mapped.problems, ...table.problems] };
  }
  const problems = [...table.problems];
  if (body.length === 0) problems.push({ line: header.line, reason: 'the file has a header but no rows' });
  const firstLineOf = new Map<string, number>();
  const rows = body.map((record) => {
    const row = buildRow(record.line, record.cells, mapped.targets, problems);
    if (opts.unitType === 'municipality') row.externalId = row.municipalityCode ?? '';
    checkRow(row, mapped.written, opts.unitType, firstLineOf, problems);
    return row;
  });
  problems.sort((a, b) => a.line - b.line);
  return { ...frame, rows, problems };
}

function mapHeader(cells: Cell[], line: number, unitType: UnitType) {
  const known = knownColumns[unitType];
  const lookup = new Map(known.flatMap((k) => [k.key, ...k.aliases].map((a) => [normalizeHeader(a), k])));
  const problems: FrameProblem[] = [];
  const writtenAs = new Map<string, string>(); // canonical key → the header as the file writes it
  const targets = cells.map((cell): Target => {
    const written = String(cell).trim();
    if (written === '') return null;
    const k = lookup.get(normalizeHeader(written));
    const key = k?.key ?? normalizeHeader(written);
    const earlier = writtenAs.get(key);
    if (earlier !== undefined) {
      const reason =
        normalizeHeader(earlier) === normalizeHeader(written)
          ? `the column '${written}' appears twice`
          : `the columns '${earlier}' and '${written}' both mean ${key}`;
      problems.push({ line, column: written, reason });
    }
    writtenAs.set(key, written);
    if (k?.field) return { field: k.field };
    return { attribute: k ? k.key : written };
  });
  for (const k of known.filter((c) => c.required && !writtenAs.has(c.key))) {
    const reason = `the required column '${k.key}' is missing (also accepted: ${k.aliases.join(', ')})`;
    problems.push({ line, column: k.key, reason });
  }
  const written = new Map<Field, string>(); // a field → its header, to name the column in row problems
  for (const k of known) if (k.field) written.set(k.field, writtenAs.get(k.key) ?? k.key);
  return { targets, written, problems };
}

/** Case-, space- and hyphen-insensitive, so 'E-post', 'e post' and 'e_post' are one header. */
function normalizeHeader(header: string): string {
  return header
    .normalize('NFC')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

function buildRow(line: number, cells: Cell[], targets: Target[], problems: FrameProblem[]): FrameRow {
  const row: FrameRow = {
    line,
    externalId: '',
    municipalityCode: null,
    preferredLocale: null,
    name: null,
    email: null,
    phone: null,
    attributes: {},
  };
  targets.forEach((target, i) => {
    const cell = cells[i] ?? '';
    const value = cellText(cell, target !== null && 'field' in target && target.field === 'municipalityCode');
    if (value === null) return; // an empty attribute is left out rather than stored as ''
    if (target === null) {
      problems.push({ line, column: `column ${i + 1}`, reason: 'a value in a column without a header' });
    } else if ('field' in target) row[target.field] = value;
    else row.attributes[target.attribute] = value;
  });
  return row;
}

function cellText(cell: Cell, isMunicipalityCode: boolean): string | null {
  const text = typeof cell === 'number' ? (isMunicipalityCode ? padCode(cell) : String(cell)) : cell.trim();
  return text === '' ? null : text;
}

/**
 * Excel turns a typed 0301 into the number 301 (and Oslo's 030101 into 30101). Only Oslo's codes start with
 * a zero, so the rule is: a whole number of up to 4 digits is padded to 4 (a municipality), one of 5 or 6
 * digits to 6 (an Oslo district). Anything else stays as written and fails the reference check.
 */
function padCode(n: number): string {
  const digits = String(n);
  if (!/^\d+$/.test(digits)) return digits;
  return digits.padStart(digits.length <= 4 ? 4 : 6, '0');
}

// --- row checks ---------------------------------------------------------------------------------------------

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const PHONE = /^\+?\d{8,15}$/;
const languageAliases = new Map([
  ['no', 'nb'],
  ['nob', 'nb'],
  ['nno', 'nn'],
  ['fa-af', 'prs'], // Dari is Afghan Persian; Svar has it as its own language
  ['eng', 'en'],
  ['ara', 'ar'],
  ['tir', 'ti'],
  ['som', 'so'],
  ['fas', 'fa'],
  ['per', 'fa'],
  ['pus', 'ps'],
  ['urd', 'ur'],
  ['pol', 'pl'],
]);
const localeCodes = new Set(languages.map((l) => l.code));
let unitCodes: Set<string> | undefined;

function checkRow(
  row: FrameRow,
  written: Map<Field, string>,
  unitType: UnitType,
  firstLineOf: Map<string, number>,
  problems: FrameProblem[],
): void {
  const report = (field: Field, reason: string) =>
    problems.push({ line: row.line, column: written.get(field), reason });
  const idField = unitType === 'municipality' ? 'municipalityCode' : 'externalId';
  const first = firstLineOf.get(row.externalId);
  if (row.externalId === '')
    report(idField, `the ${idField === 'externalId' ? 'external id' : 'municipality code'} is empty`);
  else if (first !== undefined) report(idField, `duplicate: '${row.externalId}' is already on line ${first}`);
  else firstLineOf.set(row.externalId, row.line);

  if (row.municipalityCode !== null && !isUnitCode(row.municipalityCode)) {
    const padded = /^\d{3}$|^\d{5}$/.test(row.municipalityCode) ? `0${row.municipalityCode}` : '';
    const hint = isUnitCode(padded) ? ` (a leading zero may have been lost: '${padded}')` : '';
    report(
      'municipalityCode',
      `'${row.municipalityCode}' is not a 2024 municipality or Oslo district code${hint}`,
    );
  }
  if (row.email !== null && !EMAIL.test(row.email))
    report('email', `'${row.email}' is not a valid e-mail address`);
  if (row.phone !== null) {
    const phone = row.phone.replace(/\s/g, '');
    if (PHONE.test(phone)) row.phone = phone;
    else report('phone', `'${row.phone}' is not a phone number (8–15 digits, optionally starting with +)`);
  }
  if (row.preferredLocale !== null) {
    const locale = toLocale(row.preferredLocale);
    if (locale) row.preferredLocale = locale;
    else
      report(
        'preferredLocale',
        `unknown language '${row.preferredLocale}' (use one of ${[...localeCodes].join(', ')})`,
      );
  }
}

function isUnitCode(code: string): boolean {
  unitCodes ??= new Set([...municipalities2024(), ...osloDistricts()].map((u) => u.code));
  return unitCodes.has(code);
}

/** 'NB', 'nb-NO', 'no' and 'nob' are all bokmål; a region is dropped unless it changes the language (fa-AF). */
function toLocale(raw: string): string | null {
  const tag = raw.toLowerCase().replace(/_/g, '-');
  for (const candidate of [tag, tag.split('-')[0]!]) {
    const code = languageAliases.get(candidate) ?? candidate;
    if (localeCodes.has(code)) return code;
  }
  return null;
}

// --- readers ------------------------------------------------------------------------------------------------

function readCsv(data: Buffer): RawTable {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return { records: [], problems: [{ line: 1, reason: "the file is not UTF-8: save it as 'CSV UTF-8'" }] };
  }
  // One line ending for all, so csv-parse's line count is the physical line number (it miscounts mixed \r\n).
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const detected = detectDelimiter(text);
  if ('problem' in detected) return { records: [], problems: [detected.problem] };
  const problems: FrameProblem[] = [];
  const errors: { code: string; message: string }[] = [];
  // csv-parse's typings don't model `info: true`, which wraps each record with its parse info.
  const parsed = parse(text, {
    delimiter: detected.delimiter ?? ';',
    record_delimiter: '\n',
    info: true,
    relax_column_count: true,
    relax_quotes: true, // a stray " inside an unquoted field (Bjørn "Bear" Olsen) is kept as typed
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err) => void (err && errors.push({ code: err.code, message: err.message })),
  }) as unknown as { record: string[]; info: { lines: number } }[];
  // info.lines is the line a record ends on; its embedded newlines tell where it started.
  const records = parsed.map(({ record, info }) => ({
    line: info.lines - record.reduce((n, field) => n + field.split('\n').length - 1, 0),
    cells: record,
  }));
  const lastLine = parsed.at(-1)?.info.lines ?? 0;
  for (const err of errors) {
    const unclosed = err.code === 'CSV_QUOTE_NOT_CLOSED';
    const reason = unclosed
      ? 'a quoted field is never closed: a " is missing on this line or a later one'
      : err.message;
    problems.push({ line: lastLine + 1, reason });
  }
  const nonBlank = records.filter((r) => r.cells.some((c) => c.trim() !== ''));
  const width = nonBlank[0]?.cells.length ?? 0;
  for (const r of nonBlank.slice(1).filter((r) => r.cells.length !== width)) {
    problems.push({
      line: r.line,
      reason: `the row has ${r.cells.length} fields but the header has ${width}`,
    });
  }
  return { records: nonBlank, problems, delimiter: detected.delimiter };
}

/** Picks the delimiter the header line uses most; ties go to ';' (Norwegian Excel), then tab, then ','. */
function detectDelimiter(text: string): { delimiter?: string } | { problem: FrameProblem } {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const counts = DELIMITERS.map((d) => countOutsideQuotes(lines[0] ?? '', d));
  const best = counts.indexOf(Math.max(...counts));
  if (counts[best]! > 0) return { delimiter: DELIMITERS[best] };
  // A one-column header is fine (a list of ids) unless the rows do have columns.
  const inRows = DELIMITERS.find((d) => lines.slice(1).some((l) => countOutsideQuotes(l, d) > 0));
  if (inRows === undefined) return {};
  const shown = inRows === '\t' ? 'tabs' : `'${inRows}'`;
  const reason = `could not tell the delimiter: the header line has one column, but the rows are split by ${shown}`;
  return { problem: { line: 1, reason } };
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) count++;
  }
  return count;
}

async function readXlsx(data: Buffer, fileName: string): Promise<RawTable> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ExcelJS.Buffer);
  } catch {
    return {
      records: [],
      problems: [{ line: 1, reason: `could not read '${fileName}' as an Excel workbook` }],
    };
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return { records: [], problems: [{ line: 1, reason: 'the workbook has no worksheet' }] };
  const records: RawTable['records'] = [];
  sheet.eachRow((row, line) => {
    const cells: Cell[] = [];
    row.eachCell((cell, col) => {
      cells[col - 1] = cellValue(cell.value);
    });
    const filled = Array.from(cells, (c) => c ?? '');
    if (filled.some((c) => String(c).trim() !== '')) records.push({ line, cells: filled });
  });
  const problems: FrameProblem[] = [];
  const width = records[0]?.cells.length ?? 0;
  for (const { line, cells } of records.slice(1)) {
    cells.forEach((c, i) => {
      if (i >= width && String(c).trim() !== '') {
        problems.push({
          line,
          column: sheet.getColumn(i + 1).letter,
          reason: 'a value in a column without a header',
        });
      }
    });
  }
  return { records, problems };
}

/** Cell values as the sheet shows them: hyperlinked e-mails by their text, formulas by their result. */
function cellValue(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) {
    const iso = value.toISOString(); // exceljs gives the sheet's local date as UTC midnight
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if ('richText' in value) return value.richText.map((t) => t.text).join('');
  if ('hyperlink' in value) return cellValue(value.text as ExcelJS.CellValue);
  if ('formula' in value || 'sharedFormula' in value) return cellValue(value.result as ExcelJS.CellValue);
  if ('error' in value) return value.error;
  return '';
}
