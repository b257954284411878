// The .sps syntax, run by GNU PSPP on the CSV export: what it builds must be the dictionary and data of the .sav.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pspp, readerPresent, run } from '../../tests/helpers/readers.ts';
import type { Cell, ExportColumn } from './columns.ts';
import { writeCsv } from './csv.ts';
import { type Dataset, datasetOf, memorySink } from './dataset.ts';
import { measureColumns, writeSav } from './sav.ts';
import { spsSyntax } from './sps.ts';

const arabic = 'ما مدى رضاك؟';
const tigrinya = 'ኣብ ኖርወይ';
const long = `${tigrinya} «${arabic}» "sitat" 'apostrof'. `.repeat(40).trim();
const longName = 'how_satisfied_are_you_with_the_services_of_the_municipality_where_you_live';
// No line breaks: GET DATA reads one case per line (the .sav test covers them).
const texts = [
  arabic,
  tigrinya,
  'Bra, men "for" dyrt',
  null,
  '-5 er for lite',
  '=SUM(A1)',
  `@${tigrinya}`,
  long,
];

function col(c: Partial<ExportColumn> & Pick<ExportColumn, 'name'>): ExportColumn {
  return { labels: {}, type: 'number', role: 'answer', valueLabels: [], missing: [], ...c };
}

const columns: ExportColumn[] = [
  col({ name: 'respondent_id', type: 'string', role: 'id', labels: { nb: 'Respondent' } }),
  col({ name: 'submitted_at', type: 'datetime', role: 'system', labels: { nb: 'Levert', ar: 'تاريخ' } }),
  col({
    name: 'q1',
    labels: { nb: 'Hvor fornøyd er du?', ar: arabic },
    valueLabels: [
      { value: 1, labels: { nb: 'Svært misfornøyd', ar: 'غير راض' } },
      { value: 2, labels: { nb: 'Misfornøyd "helt"' } },
      { value: 97, labels: { nb: 'Vet ikke', ar: 'لا أعرف' }, missing: 'dont_know' },
      { value: 98, labels: { nb: 'Ikke aktuelt' }, missing: 'does_not_apply' },
    ],
    missing: [97, 98],
  }),
  col({ name: longName, labels: { nb: `Lang etikett: ${tigrinya} `.repeat(12) } }),
  col({ name: 'comment', type: 'string', labels: { nb: 'Kommentar', ar: `${arabic} "fritekst"` } }),
  col({ name: 'by', labels: { nb: 'Reservert ord' }, missing: [95, 96, 97, 98, 99] }),
  col({ name: 'q6', labels: { nb: 'Spørsmål 6' }, missing: [-1, 97, 98, 99] }),
  col({
    name: 'q8',
    type: 'string',
    labels: { nb: 'Kontor' },
    valueLabels: [
      { value: 'municipal_office', labels: { nb: 'Kommunekontor' } },
      { value: 'other', labels: { nb: 'Annet' } },
    ],
  }),
];

function row(i: number): Cell[] {
  return [
    `R${String(i).padStart(5, '0')}`,
    i % 10 === 3 ? null : new Date(Date.UTC(2024, 0, 1) + i * 3_600_000 + (i % 2) * 250),
    [1, 2, 97, 98, null][i % 5]!,
    i === 5 ? 123_456_789.5 : i % 7 === 0 ? null : ((i * 37) % 1000) / 8 - 40,
    texts[i % texts.length]!,
    [1, 2, 95, 99, null][i % 5]!,
    [1, -1, 99, null][i % 4]!,
    ['other', 'municipal_office', null][i % 3]!,
  ];
}

const dataset = (n: number): Dataset =>
  datasetOf(
    columns,
    Array.from({ length: n }, (_, i) => row(i)),
    { labelLocale: 'ar', title: { nb: 'Innbyggerundersøkelsen', ar: arabic } },
  );

describe('the syntax', () => {
  const sps = spsSyntax(dataset(10), 'export.csv');

  it('quotes labels with doubled double quotes and splits long ones', () => {
    expect(sps).toContain(`comment "${arabic} ""fritekst"""`);
    expect(sps).toContain('"Misfornøyd ""helt"""');
    expect(sps).toMatch(/Lang etikett[^\n]*" \+\n/);
  });

  it('declares missing codes, ranges, and says which codes did not fit', () => {
    expect(sps).toContain('q1 (97, 98)');
    expect(sps).toContain('by_ (95 THRU 99)');
    expect(sps).toContain('q6 (-1, 97, 98)');
    expect(sps).toContain('also missing, not declared: 99.');
  });

  it('reads every string 32 767 bytes wide when the widths were not measured', () => {
    expect(sps).toContain('comment\n    A32767 by_');
    expect(sps).toContain('submitted_at_iso\n    A24 q1');
  });
});

const dir = mkdtempSync(join(tmpdir(), 'svar-sps-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the .sav, the CSV and the .sps of a dataset; runs the .sps in PSPP and saves what it built. */
async function runSyntax(
  name: string,
  ds: Dataset,
  measured: boolean,
): Promise<{ sav: string; fromSps: string }> {
  const sav = memorySink();
  const csv = memorySink();
  await writeSav(ds, sav);
  await writeCsv(ds, csv);
  const paths = {
    sav: join(dir, `${name}.sav`),
    csv: join(dir, `${name}.csv`),
    fromSps: join(dir, `${name}-sps.sav`),
  };
  writeFileSync(paths.sav, sav.bytes());
  writeFileSync(paths.csv, csv.bytes());
  const stats = measured ? (await measureColumns(ds)).stats : undefined;
  const syntax = `${spsSyntax(ds, paths.csv, stats)}SAVE OUTFILE='${paths.fromSps}'.\n`;
  writeFileSync(join(dir, `${name}.sps`), syntax);
  const result = await run('pspp', [join(dir, `${name}.sps`)]);
  expect(result.code, result.stdout + result.stderr).toBe(0);
  expect(result.stdout + result.stderr).not.toMatch(/error|warning/i);
  return paths;
}

async function convert(sav: string): Promise<string> {
  const result = await run('pspp-convert', [sav, `${sav}.csv`]);
  expect(result.code, result.stderr).toBe(0);
  return readFileSync(`${sav}.csv`, 'utf8');
}

/** DISPLAY DICTIONARY as CSV, without what the syntax cannot know or set the same way (display widths). */
async function dictionary(sav: string): Promise<string[]> {
  const syntax = `${sav}.dictionary.sps`;
  writeFileSync(syntax, `GET FILE='${sav}'.\nSET TVARS=NAMES.\nDISPLAY DICTIONARY.\nDISPLAY FILE LABEL.\n`);
  const result = await run('pspp', [syntax, '-o', `${syntax}.csv`]);
  expect(result.code, result.stdout + result.stderr).toBe(0);
  return readFileSync(`${syntax}.csv`, 'utf8')
    .split('\n')
    .map((line) => line.replace(/^([^,]*,\d+,.*),\d+,(Left|Right),/, '$1,'));
}

describe.skipIf(!readerPresent(pspp, 'the .sps run by GNU PSPP'))(
  'GNU PSPP runs the .sps on the CSV export',
  () => {
    it('builds the same data and dictionary as the .sav, with measured widths', async () => {
      const { sav, fromSps } = await runSyntax('measured', dataset(2500), true);
      const data = await convert(fromSps);
      expect(data.split('\n')).toHaveLength(2502);
      expect(data).toContain('-5 er for lite');
      expect(data).toContain('=SUM(A1)');
      expect(data).toBe(await convert(sav));
      const dict = await dictionary(fromSps);
      expect(dict.join('\n')).toContain(`q1,3,${arabic},Nominal,Input,F8.0,F8.0,97; 98`);
      expect(dict).toEqual(await dictionary(sav));
    });

    it('reads the same data when every string is read at the widest width', async () => {
      const { sav, fromSps } = await runSyntax('unmeasured', dataset(60), false);
      expect(await convert(fromSps)).toBe(await convert(sav));
    });
  },
);
