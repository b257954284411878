// SPSS/PSPP syntax (.sps) that reads the CSV export and declares the same dictionary as the .sav: names, labels,
// value labels, missing values, formats, measurement levels and roles (all from savDictionary in sav.ts).
import type { Dataset } from './dataset.ts';
import { type ColumnStats, fileLabel, type SavFormat, type SavVariable, savDictionary } from './sav.ts';

/**
 * A string literal in double quotes, doubled inside. Long ones are split into "…" + "…" pieces of 40 characters
 * (at most 160 bytes of UTF-8), since SPSS reads syntax lines of limited length.
 */
function quote(s: string, piece = 40): string {
  const pieces = s.match(new RegExp(`[\\s\\S]{1,${piece}}`, 'gu')) ?? [''];
  return pieces.map((p) => `"${p.replaceAll('"', '""')}"`).join(' +\n    ');
}

const spell = (f: SavFormat) => `${f.type}${f.width}${f.type === 'F' ? `.${f.decimals}` : ''}`;

/**
 * A command and its items, the first on the command's line and each further one on its own line after a slash.
 * No line starts with a variable name: PSPP takes a line starting with COMMENT, TITLE, DOCUMENT… for a new command,
 * indented or not, and "comment" or "title" are ordinary question codes.
 */
function command(head: string, items: string[], slash = '/'): string[] {
  if (!items.length) return [];
  const lines = [`${head} ${items[0]}`, ...items.slice(1).map((item) => `  ${slash}${item}`)];
  return [...lines.slice(0, -1), `${lines.at(-1)}.`];
}

/** A name for the text of each datetime column that no column has. */
function scratchNames(vars: SavVariable[]): Map<SavVariable, string> {
  const taken = new Set(vars.map((v) => v.name.toUpperCase()));
  const out = new Map<SavVariable, string>();
  for (const v of vars.filter((v) => v.type === 'datetime')) {
    let name = `${v.name.slice(0, 60)}_iso`;
    for (let i = 2; taken.has(name.toUpperCase()); i += 1) name = `${v.name.slice(0, 56)}_iso${i}`;
    taken.add(name.toUpperCase());
    out.set(v, name);
  }
  return out;
}

/**
 * Numbers are read as F40.0 and given their format afterwards: a format with decimals would put an implied decimal
 * point into a number written without one. Datetimes come as 'YYYY-MM-DDTHH:MM:SS.sssZ', which no SPSS input format
 * reads, so they are read as text and become DATETIME values from the date (SDATE10) and the time (TIME12).
 */
function getData(vars: SavVariable[], scratch: Map<SavVariable, string>, csvFileName: string): string[] {
  const fields = vars.map((v): [string, string] => {
    if (v.type === 'datetime') return [scratch.get(v)!, 'A24'];
    return [v.name, v.type === 'string' ? `A${v.width}` : 'F40.0'];
  });
  const lines = [
    'GET DATA /TYPE=TXT',
    `  /FILE=${quote(csvFileName, 1000)}`,
    "  /ENCODING='UTF8'",
    '  /ARRANGEMENT=DELIMITED',
    '  /DELCASE=LINE',
    '  /FIRSTCASE=2',
    '  /DELIMITERS=","',
    `  /QUALIFIER='"'`,
    // Each line ends with a name and the next line starts with its format (see command()).
    `  /VARIABLES=${fields.map(([name], i) => (i ? `${fields[i - 1]![1]} ${name}` : name)).join('\n    ')}`,
    `    ${fields.at(-1)?.[1] ?? ''}.`,
  ];
  for (const [v, text] of scratch)
    lines.push(
      `COMPUTE ${v.name} = NUMBER(SUBSTR(${text}, 1, 10), SDATE10) + NUMBER(SUBSTR(${text}, 12, 12), TIME12).`,
    );
  if (scratch.size) lines.push(`ADD FILES FILE=* /KEEP=${inOrder(vars)}.`);
  return lines;
}

/** The columns in their order (the computed datetimes came last), with runs read from the CSV as "a TO b". */
function inOrder(vars: SavVariable[]): string {
  const runs: SavVariable[][] = [];
  for (const [i, v] of vars.entries())
    if (v.type === 'datetime' || vars[i - 1]?.type === 'datetime' || !runs.length) runs.push([v]);
    else runs.at(-1)!.push(v);
  return runs.map((r) => (r.length > 1 ? `${r[0]!.name} TO ${r.at(-1)!.name}` : r[0]!.name)).join(' ');
}

/** The CSV export puts an apostrophe before text starting with = + - or @ (spreadsheet safety): take it away. */
function unneutralise(vars: SavVariable[]): string[] {
  return vars
    .filter((v) => v.type === 'string')
    .map(
      ({ name: s }) =>
        `IF (SUBSTR(${s}, 1, 1) = "'" AND INDEX("=+-@", SUBSTR(${s}, 2, 1)) > 0) ${s} = SUBSTR(${s}, 2).`,
    );
}

function dictionary(vars: SavVariable[]): string[] {
  const value = (x: number | string) => (typeof x === 'number' ? String(x) : quote(x));
  const missing = (m: SavVariable['missing']) =>
    m.range ? `${m.range[0]} THRU ${m.range[1]}` : m.discrete.join(', ');
  return [
    ...command(
      'VARIABLE LABELS',
      vars.filter((v) => v.label).map((v) => `${v.name} ${quote(v.label)}`),
    ),
    ...command(
      'VALUE LABELS',
      vars
        .filter((v) => v.valueLabels.length)
        .map(
          (v) =>
            `${v.name}${v.valueLabels.map((l) => `\n      ${value(l.value)} ${quote(l.label)}`).join('')}`,
        ),
    ),
    ...vars
      .filter((v) => v.missing.dropped.length)
      .map(
        (v) =>
          `* ${v.name}: only three codes fit; also missing, not declared: ${v.missing.dropped.join(', ')}.`,
      ),
    ...command(
      'MISSING VALUES',
      vars
        .filter((v) => v.missing.discrete.length || v.missing.range)
        .map((v) => `${v.name} (${missing(v.missing)})`),
    ),
    ...command(
      'FORMATS',
      vars.filter((v) => v.type !== 'string').map((v) => `${v.name} (${spell(v.format)})`),
    ),
    ...command(
      'VARIABLE LEVEL',
      vars.map((v) => `${v.name} (${v.measure.toUpperCase()})`),
    ),
    ...command(
      'VARIABLE ROLE',
      vars.map((v) => `/${v.role === 0 ? 'INPUT' : 'NONE'} ${v.name}`),
      '',
    ),
  ];
}

/**
 * The syntax that reads `csvFileName` (the default CSV export: UTF-8, comma-separated, a header row, codes as values)
 * and labels it as the .sav is labelled. Give it `stats` from measureColumns (sav.ts) to read strings as wide as the
 * widest value; without them every string is read 32 767 bytes wide, so nothing is cut, at a cost in memory. Text
 * with line breaks cannot be read this way (GET DATA takes one case per line): the .sav keeps it.
 */
export function spsSyntax(dataset: Dataset, csvFileName: string, stats?: ColumnStats[]): string {
  const vars = savDictionary(dataset, stats);
  const lines = [
    '* Encoding: UTF-8.',
    `* ${fileLabel(dataset)}: reads the CSV export and labels it as the .sav export is.`,
    '* A relative file name is read from the working directory: CD to the folder of the CSV first, e.g.',
    "* CD 'C:/data'.",
    ...getData(vars, scratchNames(vars), csvFileName),
    '* The CSV puts an apostrophe before text starting with = + - or @ (spreadsheet safety): take it away.',
    ...unneutralise(vars),
    `FILE LABEL ${quote(fileLabel(dataset))}.`,
    ...dictionary(vars),
    'EXECUTE.',
    "* SAVE OUTFILE='export.sav'.",
  ];
  // The byte order mark tells SPSS the syntax is UTF-8, as its own "* Encoding" line does.
  return `\uFEFF${lines.join('\n')}\n`;
}
