// The .dta writer: its bytes against help dta (format 118), and the file read back by R haven, an independent reader.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pspp, readerPresent, readWithHaven, rHaven, run } from '../../tests/helpers/readers.ts';
import type { Cell, ExportColumn } from './columns.ts';
import { datasetOf, memorySink } from './dataset.ts';
import { clip, stataNames, stataVariables, writeDta } from './dta.ts';

const withR = readerPresent(rHaven, 'reading .dta exports back with R haven');
const dir = mkdtempSync(join(tmpdir(), 'svar-dta-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const longName = 'household_income_after_tax_last_twelve_months_total';
const arabic = 'ما مدى رضاك؟';
const tigrinya = 'ኣብ ኖርወይ';
/** 20 bytes a time: 6 Ge'ez characters of 3 bytes and 2 spaces, so 300 of them make 6 000 bytes, well past str2045. */
const strl = `${tigrinya} `.repeat(300);

function column(c: Partial<ExportColumn> & Pick<ExportColumn, 'name' | 'type'>): ExportColumn {
  return { labels: { nb: c.name }, role: 'answer', valueLabels: [], missing: [], ...c };
}

const columns: ExportColumn[] = [
  column({ name: 'id', type: 'number', role: 'id', labels: { nb: 'Løpenummer' } }),
  column({
    name: 'q1',
    type: 'number',
    labels: { nb: 'Hvor fornøyd er du?', ar: arabic },
    valueLabels: [
      { value: 1, labels: { nb: 'Svært fornøyd', ar: 'راضٍ جدًا' } },
      { value: 2, labels: { nb: 'Han sa "nei"' } },
      { value: 97, labels: { nb: 'Ikke aktuelt', ar: 'لا ينطبق' }, missing: 'does_not_apply' },
      { value: 98, labels: { nb: 'Vet ikke', ar: 'لا أعرف' }, missing: 'dont_know' },
    ],
    missing: [98, 97],
  }),
  column({ name: 'comment', type: 'string', labels: { nb: 'Kommentar', ar: arabic } }),
  column({ name: 'story', type: 'string', labels: { nb: 'Fortelling' } }),
  column({ name: 'finished_at', type: 'datetime', role: 'system', labels: { nb: 'Fullført' } }),
  column({ name: longName, type: 'number', labels: { nb: 'Inntekt' } }),
  column({ name: 'weight', type: 'number', role: 'weight', labels: { ar: 'الوزن' } }),
];

function rowOf(i: number): Cell[] {
  const texts = [arabic, tigrinya, null, 'Linje 1\nLinje 2 "sitat" \'x\'', ''];
  const story = i % 500 === 0 ? strl : i % 7 === 0 ? null : i % 11 === 0 ? '' : `kort ${i}`;
  const when = i % 13 === 0 ? null : new Date(Date.UTC(2024, 0, 1) + i * 3_600_123);
  return [i + 1, [1, 2, 97, 98, null][i % 5]!, texts[i % 5]!, story, when, i * 1.25, 1 / (i + 3)];
}
const rows = Array.from({ length: 2500 }, (_, i) => rowOf(i));
const dataset = datasetOf(columns, rows, { labelLocale: 'ar', title: { nb: 'Innbyggerundersøkelsen 2024' } });

async function dtaBytes(): Promise<Buffer> {
  const sink = memorySink();
  await writeDta(dataset, sink, new Date(Date.UTC(2024, 2, 4, 9, 5)));
  return sink.bytes();
}

describe('Stata names and labels', () => {
  it('shortens long names to 32 characters, deterministically and uniquely', () => {
    const names = stataNames([longName, `${longName}_b`, 'q1', 'q-1', 'q_1', '2nd', 'in', 'strL']);
    expect(names[0]).toMatch(/^household_income_after_tax_[0-9a-z]{5}$/);
    expect(names[0]).toBe(stataNames([longName])[0]);
    expect(new Set(names).size).toBe(names.length);
    expect(names.slice(2)).toEqual([
      'q1',
      'q_1',
      expect.stringMatching(/^q_1_[0-9a-z]{5}$/),
      '_2nd',
      'in_',
      'strL_',
    ]);
    for (const n of names) expect(n).toMatch(/^[A-Za-z_][A-Za-z0-9_]{0,31}$/);
  });

  it('clips labels to 80 characters on a character boundary, however many bytes they take', () => {
    const label = clip(`${tigrinya}`.repeat(20), 80);
    expect(Array.from(label)).toHaveLength(80);
    expect(Buffer.from(label).toString('utf8')).toBe(label);
    expect(clip('😀'.repeat(3), 80, 9)).toBe('😀😀');
  });

  it('maps missing codes in ascending order to .a, .b and keeps their labels', () => {
    const q1 = stataVariables(dataset)[1]!;
    expect(q1.missing).toEqual([
      { code: 97, tag: 'a' },
      { code: 98, tag: 'b' },
    ]);
    expect(q1.valueLabels).toContainEqual({ value: 98, tag: 'b', text: 'لا أعرف' });
    expect(q1.notes).toEqual(['Missing codes: 97 = .a, 98 = .b']);
  });
});

describe('the .dta bytes (help dta, format 118)', () => {
  it('has a map whose 14 offsets point at the section tags', async () => {
    const b = await dtaBytes();
    expect(b.subarray(0, 50).toString('latin1')).toBe(
      '<stata_dta><header><release>118</release><byteorder>LSF</byteorder>'.slice(0, 50),
    );
    const mapAt = b.indexOf('<map>');
    const map = Array.from({ length: 14 }, (_, i) => Number(b.readBigUInt64LE(mapAt + 5 + 8 * i)));
    const tags = [
      '<stata_dta>',
      '<map>',
      '<variable_types>',
      '<varnames>',
      '<sortlist>',
      '<formats>',
      '<value_label_names>',
      '<variable_labels>',
      '<characteristics>',
      '<data>',
      '<strls>',
      '<value_labels>',
      '</stata_dta>',
    ];
    expect(tags.map((tag, i) => b.subarray(map[i], map[i]! + tag.length).toString('latin1'))).toEqual(tags);
    expect(map[13]).toBe(b.length);
    expect(b.indexOf('<timestamp>\x1104 Mar 2024 09:05</timestamp>', 0, 'latin1')).toBeGreaterThan(0);
  });

  it('writes 97 and 98 as .a and .b, null as ., with the documented double bit patterns', async () => {
    const b = await dtaBytes();
    const mapAt = b.indexOf('<map>');
    const dataAt = Number(b.readBigUInt64LE(mapAt + 5 + 8 * 9)) + '<data>'.length;
    const typesAt = Number(b.readBigUInt64LE(mapAt + 5 + 16)) + '<variable_types>'.length;
    const width = (t: number) => (t <= 2045 ? t : 8);
    const types = columns.map((_, i) => b.readUInt16LE(typesAt + 2 * i));
    expect(types[0]).toBe(65526);
    expect(types[3]).toBe(32768);
    const rowWidth = types.reduce((s, t) => s + width(t), 0);
    const q1 = (row: number) => b.readBigUInt64LE(dataAt + row * rowWidth + 8);
    expect([q1(2), q1(3), q1(4)]).toEqual([0x7fe0010000000000n, 0x7fe0020000000000n, 0x7fe0000000000000n]);
  });

  it('reads the rows three times with a strL column and twice without, holding only a batch at a time', async () => {
    let passes = 0;
    const counted = (d: typeof dataset) => ({
      ...d,
      batches: () => {
        passes += 1;
        return d.batches();
      },
    });
    await writeDta(counted(dataset), memorySink());
    expect(passes).toBe(3);
    passes = 0;
    await writeDta(
      counted(
        datasetOf(
          columns.slice(0, 3),
          rows.map((r) => r.slice(0, 3)),
        ),
      ),
      memorySink(),
    );
    expect(passes).toBe(2);
  });
});

describe.skipIf(!withR)('read back by R haven', () => {
  it('gives every column, label, value label, extended missing value and string exactly', async () => {
    const path = join(dir, 'full.dta');
    writeFileSync(path, await dtaBytes());
    const { label, columns } = await readWithHaven(path);
    const got = Object.fromEntries(columns);
    const short = stataNames([longName])[0]!;
    expect(label).toBe('Innbyggerundersøkelsen 2024');
    expect(Object.keys(got)).toEqual(['id', 'q1', 'comment', 'story', 'finished_at', short, 'weight']);

    expect(got.q1!.cls).toBe('haven_labelled,vctrs_vctr,double');
    expect(got.q1!.label).toBe(arabic);
    expect(got.q1!.labels).toEqual([
      ['1', 'راضٍ جدًا'],
      ['2', 'Han sa "nei"'],
      ['.a', 'لا ينطبق'],
      ['.b', 'لا أعرف'],
    ]);
    expect(got.q1!.values).toEqual(
      rows.map((r) => ({ 97: '.a', 98: '.b' })[r[1] as number] ?? (r[1] === null ? 'NA' : String(r[1]))),
    );

    expect(got.id!.cls).toBe('numeric');
    expect(got.id!.label).toBe('Løpenummer');
    expect(got.id!.values).toEqual(rows.map((r) => String(r[0])));
    expect(got.weight!.label).toBe('الوزن');
    expect(got.weight!.values.map(Number)).toEqual(rows.map((r) => r[6]));
    expect(got[short]!.label).toBe(`Inntekt [${longName}]`);
    expect(got[short]!.values.map(Number)).toEqual(rows.map((r) => r[5]));

    for (const name of ['comment', 'story']) {
      const i = name === 'comment' ? 2 : 3;
      expect(got[name]!.cls).toBe('character');
      expect(got[name]!.values).toEqual(rows.map((r) => (r[i] as string | null) ?? ''));
    }
    expect(got.comment!.format).toBe(`%-${Buffer.byteLength('Linje 1\nLinje 2 "sitat" \'x\'')}s`);
    expect(got.comment!.label).toBe(arabic);
    expect(got.story!.values.filter((s) => s === strl)).toHaveLength(5);

    expect(got.finished_at!.cls).toBe('POSIXct,POSIXt');
    expect(got.finished_at!.format).toBe('%tc');
    expect(got.finished_at!.values).toEqual(
      rows.map((r) => (r[4] === null ? 'NA' : String((r[4] as Date).getTime()))),
    );
  });

  it('reads a file with no rows and no strings', async () => {
    const path = join(dir, 'empty.dta');
    const sink = memorySink();
    await writeDta(datasetOf(columns.slice(0, 2), []), sink);
    writeFileSync(path, sink.bytes());
    const got = Object.fromEntries((await readWithHaven(path)).columns);
    expect(Object.keys(got)).toEqual(['id', 'q1']);
    expect(got.q1!.labels.map(([v]) => v)).toEqual(['1', '2', '.a', '.b']);
  });
});

// PSPP reads SPSS and its own formats, not Stata's: pspp-convert refuses a .dta, so PSPP is no second reader here.
describe.skipIf(!readerPresent(pspp, 'checking that PSPP does not read .dta'))('PSPP', () => {
  it('does not read .dta (so R haven is the only independent reader)', async () => {
    const path = join(dir, 'pspp.dta');
    writeFileSync(path, await dtaBytes());
    const r = await run('pspp-convert', [path, join(dir, 'pspp.csv')]);
    expect(r.code).not.toBe(0);
  });
});
