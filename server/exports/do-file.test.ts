// The Stata .do file for the CSV export: its statements, its quoting, and its dictionary against the .dta's (via R haven).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readerPresent, readWithHaven, rHaven } from '../../tests/helpers/readers.ts';
import type { Cell, ExportColumn } from './columns.ts';
import { datasetOf, memorySink } from './dataset.ts';
import { doFile, stataString } from './do-file.ts';
import { stataNames, writeDta } from './dta.ts';

const withR = readerPresent(rHaven, 'comparing the .do file with the .dta read by R haven');
const dir = mkdtempSync(join(tmpdir(), 'svar-do-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const longName = 'household_income_after_tax_last_twelve_months_total';

function column(c: Partial<ExportColumn> & Pick<ExportColumn, 'name' | 'type'>): ExportColumn {
  return { labels: { nb: c.name }, role: 'answer', valueLabels: [], missing: [], ...c };
}

const columns: ExportColumn[] = [
  column({ name: 'id', type: 'number', role: 'id', labels: { nb: 'Løpenummer' } }),
  column({
    name: 'q1',
    type: 'number',
    labels: { nb: 'Koster det $5 eller `mer`?', ti: 'ኣብ ኖርወይ' },
    valueLabels: [
      { value: 1, labels: { nb: 'Ja' } },
      { value: 2, labels: { nb: 'Han sa "nei"' } },
      { value: 97, labels: { nb: 'Ikke aktuelt' }, missing: 'does_not_apply' },
      { value: 98, labels: { nb: 'Vet ikke', ti: 'ኣይፈልጥን' }, missing: 'dont_know' },
    ],
    missing: [97, 98],
  }),
  column({ name: 'comment', type: 'string', labels: { nb: 'Kommentar', ti: 'ርእይቶ' } }),
  column({ name: 'finished_at', type: 'datetime', role: 'system', labels: { nb: 'Fullført' } }),
  column({
    name: longName,
    type: 'number',
    labels: { nb: 'Inntekt' },
    valueLabels: [{ value: 0, labels: { nb: 'Ingen' } }],
  }),
];
const rows: Cell[][] = Array.from({ length: 2500 }, (_, i) => [
  i + 1,
  [1, 2, 97, 98, null][i % 5]!,
  i % 2 ? 'ما مدى رضاك؟' : null,
  new Date(Date.UTC(2024, 4, 1) + i * 60_000),
  i % 3 ? i * 100 : 0,
]);
const dataset = datasetOf(columns, rows, {
  labelLocale: 'ti',
  title: { nb: 'Innbyggerundersøkelsen', ti: 'መጽናዕቲ' },
});
const text = doFile(dataset, 'svar-export.csv');
const lines = text.split('\n');

/** What Stata makes of a compound-quoted string in the file: the text, with the macro escapes removed. */
function unquote(s: string): string {
  expect(s.startsWith('`"') && s.endsWith(`"'`)).toBe(true);
  return s.slice(2, -2).replace(/\\([`$])/g, '$1');
}

describe('the .do file', () => {
  it('imports the CSV with names preserved and each column stored as the .dta stores it', () => {
    const imp = lines.find((l) => l.startsWith('import delimited'))!;
    expect(imp).toContain(
      'import delimited using "svar-export.csv", varnames(1) case(preserve) encoding("utf-8")',
    );
    expect(imp).toContain('bindquote(strict) stringcols(3 4) numericcols(1 2 5) clear');
    expect(lines).toContain('version 14');
    expect(lines).toContain('assert c(k) == 5');
  });

  it('renames by position to the .dta names, the long one shortened and written down', () => {
    const short = stataNames([longName])[0]!;
    expect(lines).toContain(`local names id q1 comment finished_at ${short}`);
    expect(lines).toContain(`*   ${short} = ${longName}`);
    expect(lines).toContain(`notes ${short}: Full name: ${longName}`);
  });

  it('recodes the missing codes to .a and .b with mvdecode, and says so at the top', () => {
    expect(lines).toContain('mvdecode q1, mv(97=.a \\ 98=.b)');
    expect(lines).toContain('*   q1: 97 = .a, 98 = .b');
  });

  it('turns ISO 8601 text into %tc milliseconds', () => {
    expect(text).toContain(
      'generate double __svar_t = clock(subinstr(subinstr(finished_at, "T", " ", 1), "Z", "", 1), "YMDhms")',
    );
    expect(lines).toContain('format finished_at %tc');
  });

  it('quotes with compound quotes and escapes what Stata would expand', () => {
    expect(stataString('Han sa "nei"')).toBe('`"Han sa "nei""\'');
    expect(stataString("$HOME `x'")).toBe('`"\\$HOME \\`x\'"\'');
    expect(stataString('to\nlinjer')).toBe('`"to linjer"\'');
    expect(stataString('ends "\'early')).toBe('`"ends "’early"\'');
    expect(lines).toContain('label variable q1 `"ኣብ ኖርወይ"\'');
    expect(lines).toContain('label define q1 2 `"Han sa "nei""\', add');
  });
});

/** The do-file's dictionary: variable labels, value labels (".a" for extended missing) and missing-code recodes. */
function dictionary(doText: string) {
  const labels = new Map<string, string>();
  const values = new Map<string, [string, string][]>();
  const recodes = new Map<string, Map<number, string>>();
  for (const line of doText.split('\n')) {
    let m = /^label variable (\S+) (.*)$/.exec(line);
    if (m) labels.set(m[1]!, unquote(m[2]!));
    m = /^label define (\S+) (\S+) (.*), add$/.exec(line);
    if (m) values.set(m[1]!, [...(values.get(m[1]!) ?? []), [m[2]!, unquote(m[3]!)]]);
    m = /^mvdecode (\S+), mv\((.*)\)$/.exec(line);
    if (m)
      recodes.set(
        m[1]!,
        new Map(
          m[2]!
            .split(' \\ ')
            .map((p) => p.split('='))
            .map(([c, t]) => [Number(c), t!]),
        ),
      );
  }
  return { labels, values, recodes };
}

describe.skipIf(!withR)('the .do file and the .dta, read by R haven', () => {
  it('have the same variable labels, value labels and missing values', async () => {
    const sink = memorySink();
    await writeDta(dataset, sink);
    const path = join(dir, 'same.dta');
    writeFileSync(path, sink.bytes());
    const dta = await readWithHaven(path);
    const d = dictionary(text);
    expect([...d.labels.keys()]).toEqual([...dta.columns.keys()]);
    for (const [name, col] of dta.columns) {
      expect(d.labels.get(name)).toBe(col.label);
      const sorted = (l: [string, string][]) => [...l].sort(([a], [b]) => a.localeCompare(b));
      expect(sorted(d.values.get(name) ?? [])).toEqual(sorted(col.labels));
    }
    expect(dta.label).toBe('መጽናዕቲ');
    expect(lines).toContain('label data `"መጽናዕቲ"\'');
    // The CSV carries the codes; the do-file's recodes must give what the .dta holds, row by row.
    const recode = d.recodes.get('q1')!;
    const fromCsv = rows.map((r) =>
      r[1] === null ? 'NA' : recode.has(r[1] as number) ? recode.get(r[1] as number)! : String(r[1]),
    );
    expect(fromCsv).toEqual(dta.columns.get('q1')!.values);
  });
});
