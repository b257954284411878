// The .R script: run with Rscript on the CSV export of the same dataset, it yields factors, labels, NA for missing
// codes with the reason beside, and UTC times.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Reader, readerPresent, run } from '../../tests/helpers/readers.ts';
import { answerColumns, type Cell, type ExportColumn } from './columns.ts';
import { type CsvOptions, writeCsv } from './csv.ts';
import { datasetOf, memorySink } from './dataset.ts';
import { rScript, rString } from './r-script.ts';

const rscript: Reader = {
  name: 'Rscript',
  available: spawnSync('Rscript', ['--version'], { stdio: 'ignore' }).status === 0,
};
const hasR = readerPresent(rscript, 'server/exports/r-script.test.ts (running the .R export)');

const dir = mkdtempSync(join(tmpdir(), 'svar-r-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const answers = answerColumns(
  {
    pages: [
      {
        name: 'p1',
        svarModule: 'core',
        elements: [
          {
            type: 'radiogroup',
            name: 'q_sat',
            title: { default: 'Hvor fornøyd er du?', ar: 'ما مدى رضاك؟' },
            choices: [
              { value: 1, text: { default: 'Fornøyd', ar: 'راضٍ' } },
              { value: 2, text: { default: 'Misfornøyd "svært"', ar: 'غير راضٍ' } },
              { value: 97, text: { default: 'Gjelder ikke', ar: 'لا ينطبق' } },
              { value: 98, text: { default: 'Vet ikke', ar: 'لا أعرف' } },
            ],
          },
          {
            type: 'checkbox',
            name: 'q_help',
            title: 'Hvem hjalp?',
            choices: [{ value: 'family', text: 'Familie' }],
          },
          { type: 'comment', name: 'q_why', title: { default: 'Hvorfor?', ar: 'لماذا؟' } },
        ],
      },
    ],
  },
  { sourceLocale: 'nb', missingCodes: { '97': 'does_not_apply', '98': 'dont_know' } },
);

const system: ExportColumn[] = [
  {
    name: 'response_id',
    labels: { nb: 'Svar-id' },
    type: 'string',
    role: 'id',
    valueLabels: [],
    missing: [],
  },
  {
    name: 'status',
    labels: { nb: 'Status' },
    type: 'string',
    role: 'system',
    valueLabels: [
      { value: 'in_progress', labels: { nb: 'Påbegynt', ar: 'قيد التقدم' } },
      { value: 'completed', labels: { nb: 'Fullført', ar: 'مكتمل' } },
    ],
    missing: [],
  },
  {
    name: 'started_at',
    labels: { nb: 'Startet' },
    type: 'datetime',
    role: 'system',
    valueLabels: [],
    missing: [],
  },
  { name: 'nr_weight', labels: { nb: 'Vekt' }, type: 'number', role: 'weight', valueLabels: [], missing: [] },
];
// A number whose missing code has a label but whose answers have none: it stays numeric.
const hours: ExportColumn = {
  name: 'q_hours',
  labels: { nb: 'Timer per uke' },
  type: 'number',
  role: 'answer',
  valueLabels: [{ value: 98, labels: { nb: 'Vet ikke' }, missing: 'dont_know' }],
  missing: [98],
};
const columns = [...system, ...answers, hours];
const t = (s: string) => new Date(s);
const rows: Cell[][] = [
  ['00017', 'completed', t('2025-03-01T08:15:30.250Z'), 1.25, 1, 1, '=SUM(A1) og "mer"\nlinje to', 4.5],
  ['00018', 'in_progress', t('2025-03-02T23:59:59.000Z'), 0.8, 98, 0, 'NA', 98],
  ['00019', 'completed', null, null, 97, null, 'لأن البرنامج جيد', null],
  ['00020', 'completed', t('2025-03-03T00:00:00.000Z'), 2, 2, 1, null, 97],
];

/** Prints each column: name, class, label, levels, values; texts hex-encoded UTF-8 ("-" empty, "NA" missing). */
const probe = `
hx <- function(s) if (is.null(s) || is.na(s)) "NA" else if (!nzchar(s)) "-" else paste(as.character(charToRaw(enc2utf8(s))), collapse = "")
for (n in names(svar_data)) {
  x <- svar_data[[n]]
  v <- if (inherits(x, "POSIXct")) format(x, "%Y-%m-%dT%H:%M:%OS3Z", tz = "UTC") else as.character(x)
  cat(hx(n), class(x)[1], hx(attr(x, "label")), paste(vapply(levels(x), hx, ""), collapse = ","),
    paste(vapply(v, hx, "", USE.NAMES = FALSE), collapse = ","), sep = " ")
  cat("\\n")
}
cat("--str--\\n")
str(svar_data)
`;

interface Column {
  cls: string;
  label: string | null;
  levels: string[];
  /** null for NA */
  values: (string | null)[];
}

const unhex = (s: string) => (s === 'NA' ? null : s === '-' ? '' : Buffer.from(s, 'hex').toString('utf8'));
const list = (s: string | undefined) => (s ? s.split(',').map(unhex) : []);

async function runScript(
  labelLocale: string,
  csv: CsvOptions,
): Promise<{ cols: Record<string, Column>; out: string; err: string }> {
  const dataset = datasetOf(columns, rows, { labelLocale, title: { nb: 'Testundersøkelse' } });
  const sink = memorySink();
  await writeCsv(dataset, sink, csv);
  writeFileSync(join(dir, 'data.csv'), sink.bytes());
  writeFileSync(join(dir, 'labels.R'), `${rScript(dataset, 'data.csv')}${probe}`);
  const r = await run('sh', ['-c', `cd "${dir}" && Rscript labels.R`]);
  if (r.code !== 0) throw new Error(`Rscript failed (${r.code}):\n${r.stderr}`);
  const [table = '', str = ''] = r.stdout.split('--str--\n');
  const cols: Record<string, Column> = {};
  for (const line of table.trim().split('\n')) {
    const [name = '', cls = '', label = '', levels, values] = line.split(' ');
    cols[unhex(name)!] = { cls, label: unhex(label), levels: list(levels) as string[], values: list(values) };
  }
  return { cols, out: str, err: r.stderr };
}

describe.skipIf(!hasR)('rScript, run by Rscript', () => {
  it('labels columns, makes factors, keeps missing reasons beside and parses UTC times', async () => {
    const { cols, out, err } = await runScript('nb', {});
    expect(err).not.toMatch(/warning|error/i);
    // The reason columns follow their variables.
    expect(Object.keys(cols)).toEqual([
      'response_id',
      'status',
      'started_at',
      'nr_weight',
      'q_sat',
      'q_sat_missing',
      'q_help_family',
      'q_why',
      'q_hours',
      'q_hours_missing',
    ]);
    expect(cols.response_id).toMatchObject({
      cls: 'character',
      label: 'Svar-id',
      values: ['00017', '00018', '00019', '00020'],
    });
    expect(cols.status).toMatchObject({ cls: 'factor', levels: ['Påbegynt', 'Fullført'] });
    expect(cols.status!.values).toEqual(['Fullført', 'Påbegynt', 'Fullført', 'Fullført']);
    expect(cols.started_at).toMatchObject({
      cls: 'POSIXct',
      label: 'Startet',
      values: ['2025-03-01T08:15:30.250Z', '2025-03-02T23:59:59.000Z', null, '2025-03-03T00:00:00.000Z'],
    });
    expect(cols.nr_weight).toMatchObject({ cls: 'numeric', values: ['1.25', '0.8', null, '2'] });
    expect(cols.q_sat).toMatchObject({
      cls: 'factor',
      label: 'Hvor fornøyd er du?',
      levels: ['Fornøyd', 'Misfornøyd "svært"'],
      values: ['Fornøyd', null, null, 'Misfornøyd "svært"'],
    });
    expect(cols.q_sat_missing).toMatchObject({
      cls: 'factor',
      label: 'Hvor fornøyd er du? (why missing)',
      levels: ['does_not_apply', 'dont_know'],
      values: [null, 'dont_know', 'does_not_apply', null],
    });
    expect(cols.q_help_family).toMatchObject({ cls: 'factor', levels: ['Ikke valgt', 'Valgt'] });
    expect(cols.q_help_family!.values).toEqual(['Valgt', 'Ikke valgt', null, 'Valgt']);
    // Formula guard undone, the text "NA" kept as text, line breaks and Arabic intact.
    expect(cols.q_why).toMatchObject({
      cls: 'character',
      values: ['=SUM(A1) og "mer"\nlinje to', 'NA', 'لأن البرنامج جيد', null],
    });
    // 97 is not one of q_hours' missing codes: it stays a number.
    expect(cols.q_hours).toMatchObject({
      cls: 'numeric',
      levels: [],
      values: ['4.5', null, null, '97'],
    });
    expect(cols.q_hours_missing!.values).toEqual([null, 'dont_know', null, null]);
    expect(out).toContain("'data.frame':\t4 obs. of  10 variables:");
    expect(out).toContain(
      '$ q_sat          : Factor w/ 2 levels "Fornøyd","Misfornøyd \\"svært\\"": 1 NA NA 2',
    );
  });

  it('reads a semicolon CSV with a BOM, and labels in Arabic', async () => {
    const { cols, err } = await runScript('ar', { bom: true, delimiter: ';' });
    expect(err).not.toMatch(/warning|error/i);
    expect(Object.keys(cols)[0]).toBe('response_id');
    expect(cols.q_sat).toMatchObject({ label: 'ما مدى رضاك؟', levels: ['راضٍ', 'غير راضٍ'] });
    expect(cols.status!.levels).toEqual(['قيد التقدم', 'مكتمل']);
    // No Arabic for the checkbox: bokmål is the fallback.
    expect(cols.q_help_family!.levels).toEqual(['Ikke valgt', 'Valgt']);
  });

  it('reads the text whole in a C locale too', async () => {
    const dataset = datasetOf(columns, rows, { labelLocale: 'ar' });
    const sink = memorySink();
    await writeCsv(dataset, sink, { bom: true });
    writeFileSync(join(dir, 'c.csv'), sink.bytes());
    const check = `
stopifnot(nrow(svar_data) == 4, svar_data$q_why[3] == "\\u{644}\\u{623}\\u{646} \\u{627}\\u{644}\\u{628}\\u{631}\\u{646}\\u{627}\\u{645}\\u{62c} \\u{62c}\\u{64a}\\u{62f}")
stopifnot(levels(svar_data$status)[2] == "\\u{645}\\u{643}\\u{62a}\\u{645}\\u{644}", svar_data$response_id[1] == "00017")
cat("ok\\n")`;
    writeFileSync(join(dir, 'c.R'), `${rScript(dataset, 'c.csv')}${check}`);
    const r = await run('env', ['LANG=C', 'LC_ALL=C', 'sh', '-c', `cd "${dir}" && Rscript c.R`]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('ok\n');
  });

  it('warns about a coded value without a label instead of losing it silently', async () => {
    const dataset = datasetOf(columns, [['1', 'archived', null, null, 5, null, null, null]]);
    const sink = memorySink();
    await writeCsv(dataset, sink);
    writeFileSync(join(dir, 'odd.csv'), sink.bytes());
    writeFileSync(join(dir, 'odd.R'), rScript(dataset, 'odd.csv'));
    const r = await run('sh', ['-c', `cd "${dir}" && Rscript odd.R`]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('status: values without a label become NA: archived');
    expect(r.stderr).toContain('q_sat: values without a label become NA: 5');
  });
});

describe('rScript', () => {
  it('writes pure ASCII, whatever the labels', () => {
    const script = rScript(datasetOf(columns, [], { labelLocale: 'ar' }), 'data.csv');
    const code = script
      .split('\n')
      .filter((l) => !l.startsWith('#'))
      .join('\n');
    expect(code).toMatch(/^[\x20-\x7e\n]*$/);
    expect(script).toContain('encoding = "UTF-8"');
    expect(script).not.toMatch(/fileEncoding *=/);
    expect(script).toContain('na.strings = ""');
  });

  it('escapes R strings', () => {
    expect(rString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
    expect(rString('ø')).toBe('"\\u{f8}"');
    expect(rString('😀')).toBe('"\\U{1f600}"');
  });
});
