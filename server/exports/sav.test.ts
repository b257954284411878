// The .sav writer, read back by programs we did not write: GNU PSPP (pspp, pspp-convert) and R's haven (ReadStat).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pspp, readerPresent, rHaven, run } from '../../tests/helpers/readers.ts';
import type { Cell, ExportColumn } from './columns.ts';
import { type Dataset, datasetOf, memorySink } from './dataset.ts';
import { missingOf, spssNames, writeSav } from './sav.ts';

const arabic = 'ما مدى رضاك؟';
const tigrinya = 'ኣብ ኖርወይ';
const medium = `${arabic} — ${tigrinya}. `.repeat(8).trim();
const long = `${tigrinya} «${arabic}» "sitat" 'apostrof'. `.repeat(40).trim();
const longName1 = 'how_satisfied_are_you_with_the_services_of_the_municipality_where_you_live';
const longName2 = 'how_satisfied_are_you_with_the_services_of_the_municipality_where_you_work';
const comments = [arabic, tigrinya, 'Bra, men "for" dyrt', null, '-5 er for lite', '=SUM(A1)', 'Ja\nnei'];

function col(c: Partial<ExportColumn> & Pick<ExportColumn, 'name'>): ExportColumn {
  return { labels: {}, type: 'number', role: 'answer', valueLabels: [], missing: [], ...c };
}

const vl = (value: number | string, labels: Record<string, string>, missing?: string) => ({
  value,
  labels,
  ...(missing ? { missing } : {}),
});

const columns: ExportColumn[] = [
  col({ name: 'respondent_id', type: 'string', role: 'id', labels: { nb: 'Respondent' } }),
  col({ name: 'submitted_at', type: 'datetime', role: 'system', labels: { nb: 'Levert', ar: 'تاريخ' } }),
  col({
    name: 'q1',
    labels: { nb: 'Hvor fornøyd er du?', ar: arabic },
    valueLabels: [
      vl(1, { nb: 'Svært misfornøyd', ar: 'غير راض' }),
      vl(2, { nb: 'Misfornøyd' }),
      vl(3, { nb: 'Nøytral' }),
      vl(97, { nb: 'Vet ikke', ar: 'لا أعرف' }, 'dont_know'),
      vl(98, { nb: 'Ikke aktuelt' }, 'does_not_apply'),
    ],
    missing: [97, 98],
  }),
  col({
    name: 'satisfaction_services_chosen',
    labels: { nb: 'Tjenester: valgt', ti: tigrinya },
    valueLabels: [vl(0, { nb: 'Ikke valgt' }), vl(1, { nb: 'Valgt' })],
  }),
  col({ name: longName1, labels: { nb: 'Bor' } }),
  col({ name: longName2, labels: { nb: 'Jobber' } }),
  col({ name: 'comment', type: 'string', labels: { nb: 'Kommentar', ar: `${arabic} "fritekst"` } }),
  col({ name: 'q5', labels: { nb: 'Spørsmål 5' }, missing: [95, 96, 97, 98, 99] }),
  col({ name: 'q6', labels: { nb: 'Spørsmål 6' }, missing: [-1, 97, 98, 99] }),
  col({
    name: 'q7',
    type: 'string',
    labels: { nb: 'Kanal' },
    valueLabels: [vl('a', { nb: 'Nett' }), vl('other', { nb: 'Annet', ar: 'آخر' })],
  }),
  col({
    name: 'q8',
    type: 'string',
    labels: { nb: 'Kontor' },
    valueLabels: [vl('municipal_office', { nb: 'Kommunekontor' }), vl('other', { nb: 'Annet' })],
  }),
  col({ name: 'weight', role: 'weight', labels: { nb: 'Vekt' } }),
];

/** Row i of the fixture: every kind of cell, nulls in every column now and then, long texts in some rows. */
function row(i: number, texts: readonly (string | null)[] = comments): Cell[] {
  const comment = i % 50 === 7 ? long : i % 50 === 8 ? medium : texts[i % texts.length]!;
  return [
    `R${String(i).padStart(5, '0')}`,
    i % 10 === 3 ? null : new Date(Date.UTC(2024, 0, 1) + i * 3_600_000 + (i % 2) * 250),
    [1, 2, 3, 97, 98, null][i % 6]!,
    i % 3 === 0 ? null : i % 2,
    i % 7 === 0 ? null : ((i * 37) % 1000) / 8 - 40,
    i === 5 ? 123_456_789.5 : i % 5 === 0 ? null : i,
    comment,
    [1, 2, 95, 99, null][i % 5]!,
    [1, -1, 99, null][i % 4]!,
    ['a', 'b', 'other', null][i % 4]!,
    ['other', 'municipal_office', null][i % 3]!,
    0.5 + (i % 4) * 0.25,
  ];
}

const rows = Array.from({ length: 2500 }, (_, i) => row(i));
const dataset = (): Dataset =>
  datasetOf(columns, rows, {
    labelLocale: 'ar',
    title: { nb: 'Innbyggerundersøkelsen', ar: `${arabic} ${long}` },
  });

const utf8Bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('names and missing codes', () => {
  it('keeps names up to 64 bytes, shortens longer ones apart, and avoids reserved words and case clashes', () => {
    const names = spssNames([longName1, longName2, 'to', 'Q1', 'q1', 'q1_2'].map((name) => col({ name })));
    expect(names[0]).toHaveLength(64);
    expect(names[0]!.slice(0, 56)).toBe(longName1.slice(0, 56));
    expect(names[1]).toHaveLength(64);
    expect(names[0]).not.toBe(names[1]);
    expect(names.slice(2)).toEqual(['to_', 'Q1', 'q1_2', 'q1_2_2']);
    expect(spssNames([col({ name: longName1 })])[0]).toBe(names[0]);
  });

  it('declares up to three codes, a range when more are contiguous, and otherwise the first three', () => {
    expect(missingOf([97, 98])).toEqual({ discrete: [97, 98], dropped: [] });
    expect(missingOf([99, 95, 96, 97, 98])).toEqual({ discrete: [], range: [95, 99], dropped: [] });
    expect(missingOf([-1, 97, 98, 99])).toEqual({ discrete: [-1, 97, 98], dropped: [99] });
  });
});

describe('the file header', () => {
  it('states the case count and the title (cut to 64 bytes), and writes per batch', async () => {
    const sink = memorySink();
    const writes: number[] = [];
    await writeSav(dataset(), {
      async write(chunk) {
        writes.push(chunk.length);
        await sink.write(chunk);
      },
    });
    const bytes = sink.bytes();
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('$FL2');
    expect(bytes.readInt32LE(80)).toBe(2500);
    expect(bytes.readDoubleLE(84)).toBe(100);
    const label = bytes.subarray(109, 173).toString('utf8');
    expect(label.startsWith(`${arabic} ${tigrinya}`)).toBe(true);
    expect(label).not.toContain('\uFFFD');
    expect(writes).toHaveLength(1 + 3); // the dictionary, then one write per batch of 1 000 rows
  });

  it('refuses to finish when the rows change between the two passes', async () => {
    let pass = 0;
    const changing: Dataset = {
      ...dataset(),
      async *batches() {
        pass += 1;
        yield rows.slice(0, pass === 1 ? 10 : 11);
      },
    };
    await expect(writeSav(changing, memorySink())).rejects.toThrow(/10 measured, 11 read/);
  });
});

const dir = mkdtempSync(join(tmpdir(), 'svar-sav-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const savPath = join(dir, 'export.sav');

beforeAll(async () => {
  const sink = memorySink();
  await writeSav(dataset(), sink);
  writeFileSync(savPath, sink.bytes());
});

/** A CSV text as records of strings. */
const records = (text: string): string[][] => parse(text, { relax_column_count: true });

/** What PSPP's CSV output gives for a cell: plain numbers, SYSMIS blank, DATETIME as mm/dd/yyyy hh:mm:ss. */
function psppText(cell: Cell): string {
  if (cell === null) return '';
  if (!(cell instanceof Date)) return String(cell);
  const [date, time] = cell.toISOString().split('T') as [string, string];
  const [y, m, d] = date.split('-');
  return `${m}/${d}/${y} ${time.slice(0, 8)}`;
}

const expectedLabels = [
  'Respondent',
  'تاريخ',
  arabic,
  'Tjenester: valgt',
  'Bor',
  'Jobber',
  `${arabic} "fritekst"`,
  'Spørsmål 5',
  'Spørsmål 6',
  'Kanal',
  'Kontor',
  'Vekt',
];

describe.skipIf(!readerPresent(pspp, 'the .sav read back by GNU PSPP'))('GNU PSPP reads the .sav', () => {
  it('gives back every value exactly (pspp-convert)', async () => {
    const csvPath = join(dir, 'pspp.csv');
    const result = await run('pspp-convert', [savPath, csvPath]);
    expect(result.stderr).toBe('');
    const [header, ...data] = records(readFileSync(csvPath, 'utf8'));
    expect(header).toEqual(spssNames(columns));
    expect(data).toHaveLength(2500);
    for (const [i, got] of data.entries())
      expect(
        got.map((v) => v.trim()),
        `row ${i}`,
      ).toEqual(rows[i]!.map(psppText));
  });

  it('shows the variable labels, value labels, missing values, formats and string widths', async () => {
    const syntax = join(dir, 'dictionary.sps');
    const output = join(dir, 'dictionary.csv');
    writeFileSync(syntax, `GET FILE='${savPath}'.\nSET TVARS=NAMES.\nDISPLAY DICTIONARY.\n`);
    const result = await run('pspp', [syntax, '-o', output]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const tables = readFileSync(output, 'utf8').split('\n\n');
    const variables = records(tables.find((t) => t.startsWith('Table: Variables'))!.replace(/^.*\n/, ''));
    const byName = new Map(variables.slice(1).map((r) => [r[0]!, r]));
    const names = spssNames(columns);
    expect([...byName.keys()]).toEqual(names);
    expect(names.map((n) => byName.get(n)![2])).toEqual(expectedLabels);
    const widest = (i: number) => Math.max(...rows.map((r) => utf8Bytes((r[i] as string | null) ?? '')));
    expect(names.map((n) => byName.get(n)![7])).toEqual([
      'A6',
      'DATETIME20.0',
      'F8.0',
      'F8.0',
      'F8.2',
      'F12.2',
      `A${widest(6)}`,
      'F8.0',
      'F8.0',
      'A5',
      'A16',
      'F8.2',
    ]);
    expect(widest(6)).toBeGreaterThan(2000);
    expect(byName.get('q1')![9]).toBe('97; 98');
    expect(byName.get('q5')![9]).toBe('95 THRU 99');
    expect(byName.get('q6')![9]).toBe('-1; 97; 98');
    expect(byName.get('q1')![3]).toBe('Nominal');
    expect(byName.get(names[4]!)![3]).toBe('Scale');
    expect(byName.get('respondent_id')![4]).toBe('None');
    expect(byName.get('q1')![4]).toBe('Input');
    const labels = records(tables.find((t) => t.startsWith('Table: Value Labels'))!.replace(/^.*\n/, ''));
    let variable = '';
    const pairs = labels
      .slice(1)
      .filter((r) => r.length === 3)
      .map(([v, value, label]) => {
        variable = v || variable;
        return `${variable} ${value!.replace(/\[a\]$/, '')} ${label}`;
      });
    expect(pairs).toEqual([
      'q1 1 غير راض',
      'q1 2 Misfornøyd',
      'q1 3 Nøytral',
      'q1 97 لا أعرف',
      'q1 98 Ikke aktuelt',
      'satisfaction_services_chosen 0 Ikke valgt',
      'satisfaction_services_chosen 1 Valgt',
      'q7 a Nett',
      'q7 other آخر',
      'q8 municipal_office Kommunekontor',
      'q8 other Annet',
    ]);
  });
});

const rScript = `
library(haven)
args <- commandArgs(trailingOnly = TRUE)
d <- read_sav(args[1], user_na = TRUE)
cell <- function(x) {
  v <- if (inherits(x, 'POSIXct')) as.numeric(x) else unclass(x)
  attributes(v) <- NULL
  if (is.numeric(v)) ifelse(is.na(v), '', sprintf('%.17g', v)) else v
}
write.csv(as.data.frame(lapply(d, cell)), args[2], row.names = FALSE, fileEncoding = 'UTF-8')
meta <- function(n) {
  x <- d[[n]]
  labs <- attr(x, 'labels')
  or <- function(a, b) if (is.null(a)) b else a
  rbind(
    data.frame(name = n, key = 'label', value = or(attr(x, 'label'), ''), text = ''),
    data.frame(name = n, key = 'class', value = class(x)[1], text = ''),
    if (!is.null(labs)) data.frame(name = n, key = 'labels', value = as.character(labs), text = names(labs)),
    if (!is.null(attr(x, 'na_values'))) data.frame(name = n, key = 'na_values', value = as.character(attr(x, 'na_values')), text = ''),
    if (!is.null(attr(x, 'na_range'))) data.frame(name = n, key = 'na_range', value = paste(attr(x, 'na_range'), collapse = ' '), text = '')
  )
}
write.csv(do.call(rbind, lapply(names(d), meta)), args[3], row.names = FALSE, fileEncoding = 'UTF-8')
cat(attr(d, 'label'))
`;

/** What haven gives for a cell: numbers as numbers, datetimes as seconds since 1970, no value as empty text. */
function havenValue(cell: Cell): number | string {
  if (cell === null) return '';
  return cell instanceof Date ? cell.getTime() / 1000 : cell;
}

describe.skipIf(!readerPresent(rHaven, 'the .sav read back by R haven'))('R haven reads the .sav', () => {
  let values: string[][] = [];
  let meta: string[][] = [];
  let fileLabel = '';

  beforeAll(async () => {
    writeFileSync(join(dir, 'read.R'), rScript);
    const result = await run('Rscript', [
      join(dir, 'read.R'),
      savPath,
      join(dir, 'r.csv'),
      join(dir, 'r-meta.csv'),
    ]);
    expect(result.code, result.stderr).toBe(0);
    values = records(readFileSync(join(dir, 'r.csv'), 'utf8'));
    meta = records(readFileSync(join(dir, 'r-meta.csv'), 'utf8')).slice(1);
    fileLabel = result.stdout;
  }, 60_000);

  it('gives back every value exactly, datetimes to the millisecond', () => {
    const [header, ...data] = values;
    expect(header).toEqual(spssNames(columns));
    expect(data).toHaveLength(2500);
    for (const [i, got] of data.entries())
      expect(
        got.map((v, j) => (columns[j]!.type === 'string' || v === '' ? v : Number(v))),
        `row ${i}`,
      ).toEqual(rows[i]!.map(havenValue));
  });

  it('gives the variable labels, value labels, user-missing values and the file label', () => {
    const names = spssNames(columns);
    const of = (name: string, key: string) => meta.filter((m) => m[0] === name && m[1] === key);
    expect(names.map((n) => of(n, 'label')[0]![2])).toEqual(expectedLabels);
    expect(of('q1', 'class')[0]![2]).toBe('haven_labelled_spss');
    expect(of('submitted_at', 'class')[0]![2]).toBe('POSIXct');
    expect(of('q1', 'labels').map((m) => `${m[2]} ${m[3]}`)).toEqual([
      '1 غير راض',
      '2 Misfornøyd',
      '3 Nøytral',
      '97 لا أعرف',
      '98 Ikke aktuelt',
    ]);
    expect(of('q8', 'labels').map((m) => `${m[2]} ${m[3]}`)).toEqual([
      'municipal_office Kommunekontor',
      'other Annet',
    ]);
    expect(of('q1', 'na_values').map((m) => m[2])).toEqual(['97', '98']);
    expect(of('q5', 'na_range').map((m) => m[2])).toEqual(['95 99']);
    expect(of('q6', 'na_values').map((m) => m[2])).toEqual(['-1', '97', '98']);
    expect(utf8Bytes(fileLabel)).toBeLessThanOrEqual(64);
    expect(fileLabel.startsWith(`${arabic} ${tigrinya}`)).toBe(true);
  });
});
