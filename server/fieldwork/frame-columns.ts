// The columns of a frame file: which header means which field (in English or Norwegian), and how a record's cells
// become a frame row. Everything here works one record at a time, so a frame of any size streams through it.
export type UnitType = 'participant' | 'municipality';
export type Field = 'externalId' | 'municipalityCode' | 'preferredLocale' | 'name' | 'email' | 'phone';

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

/** A cell as read; numbers survive only from XLSX, so a municipality code can get its leading zero back. */
export type Cell = string | number;
type Target = { field: Field } | { attribute: string } | null;

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

/** The header read: each cell's target, each field's header as written (to name it in problems), the problems. */
export interface FrameHeader {
  targets: Target[];
  written: Map<Field, string>;
  problems: FrameProblem[];
}

export function mapHeader(cells: Cell[], line: number, unitType: UnitType): FrameHeader {
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
  const written = new Map<Field, string>();
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

export function buildRow(
  line: number,
  cells: Cell[],
  header: FrameHeader,
  problems: FrameProblem[],
): FrameRow {
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
  const { targets } = header;
  for (let i = 0; i < targets.length; i++) {
    const target = targets[i]!;
    const cell = cells[i] ?? '';
    const value = cellText(cell, target !== null && 'field' in target && target.field === 'municipalityCode');
    if (value === null) continue; // an empty attribute is left out rather than stored as ''
    if (target === null) {
      problems.push({ line, column: `column ${i + 1}`, reason: 'a value in a column without a header' });
    } else if ('field' in target) row[target.field] = value;
    else row.attributes[target.attribute] = value;
  }
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
