// XLSX read back with exceljs's (non-streaming) reader: types, neutralised formulas, codebook, Unicode, 20 000 rows.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Cell, ExportColumn } from './columns.ts';
import { datasetOf, memorySink, type Sink } from './dataset.ts';
import { writeXlsx } from './xlsx.ts';

function column(name: string, type: ExportColumn['type'], extra: Partial<ExportColumn> = {}): ExportColumn {
  return { name, labels: { nb: name }, type, role: 'answer', valueLabels: [], missing: [], ...extra };
}

const satisfaction = column('q1', 'number', {
  labels: { nb: 'Hvor fornøyd er du?', ar: 'ما مدى رضاك؟' },
  valueLabels: [
    { value: 1, labels: { nb: 'Lite fornøyd', ar: 'غير راضٍ' } },
    { value: 2, labels: { nb: 'Svært fornøyd', ar: 'راضٍ جدًا' } },
    { value: 98, labels: { nb: 'Vet ikke', ar: 'لا أعرف' }, missing: 'dont_know' },
  ],
  missing: [98],
  question: { code: 'q1', type: 'radiogroup', module: 'tilfredshet', page: 'p1', sourceName: 'Q 1' },
});
const columns = [
  column('id', 'string', { role: 'id' }),
  satisfaction,
  column('comment', 'string', { labels: { nb: '-Kommentar', ti: 'ኣብ ኖርወይ' } }),
  column('finished_at', 'datetime', { role: 'system', labels: { nb: 'Fullført' } }),
];

async function workbookOf(sinkBytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(sinkBytes as unknown as ExcelJS.Buffer);
  return wb;
}

async function xlsxOf(rows: Cell[][], valueLabels = false, extra = {}): Promise<ExcelJS.Workbook> {
  const sink = memorySink();
  await writeXlsx(datasetOf(columns, rows, extra), sink, { valueLabels });
  return workbookOf(sink.bytes());
}

function rowValues(sheet: ExcelJS.Worksheet, n: number): unknown[] {
  return (sheet.getRow(n).values as unknown[]).slice(1);
}

function everyCell(wb: ExcelJS.Workbook): ExcelJS.Cell[] {
  const cells: ExcelJS.Cell[] = [];
  for (const sheet of wb.worksheets)
    sheet.eachRow((row) => row.eachCell({ includeEmpty: false }, (c) => void cells.push(c)));
  return cells;
}

const t = new Date('2026-03-01T23:59:59.123Z');
const sample: Cell[][] = [
  ['r1', 1, 'ما مدى رضاك؟', t],
  ['r2', null, 'ኣብ ኖርወይ', null],
  ['r3', 2.5, '=1+1', new Date('1999-12-31T00:00:00.000Z')],
  ['r4', 98, '-5', null],
  ['@r5', -3, '+47 22 00 00 00', null],
];

describe('writeXlsx', () => {
  it('writes a data sheet with typed cells: numbers as numbers, times as dates, text exact', async () => {
    const wb = await xlsxOf(sample);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['data', 'codebook']);
    const data = wb.getWorksheet('data')!;
    expect(data.rowCount).toBe(6);
    expect(rowValues(data, 1)).toEqual(['id', 'q1', 'comment', 'finished_at']);
    expect(rowValues(data, 2)).toEqual(['r1', 1, 'ما مدى رضاك؟', t]);
    expect(data.getCell('B2').type).toBe(ExcelJS.ValueType.Number);
    expect(data.getCell('D2').type).toBe(ExcelJS.ValueType.Date);
    expect((data.getCell('D2').value as Date).getTime()).toBe(t.getTime());
    expect(data.getCell('D2').numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(data.getCell('C3').value).toBe('ኣብ ኖርወይ');
    expect(data.getCell('B3').type).toBe(ExcelJS.ValueType.Null);
    expect(data.getCell('D3').type).toBe(ExcelJS.ValueType.Null);
    expect(data.getCell('B4').value).toBe(2.5);
    expect(data.getCell('B6').value).toBe(-3);
  });

  it('neutralises text a spreadsheet would run as a formula, in both sheets, and writes no formula', async () => {
    const wb = await xlsxOf(sample);
    const data = wb.getWorksheet('data')!;
    expect(data.getCell('C4').value).toBe("'=1+1");
    expect(data.getCell('C4').type).toBe(ExcelJS.ValueType.String);
    expect(data.getCell('C5').value).toBe("'-5");
    expect(data.getCell('A6').value).toBe("'@r5");
    expect(data.getCell('C6').value).toBe("'+47 22 00 00 00");
    const comment = wb.getWorksheet('codebook')!.getRow(4);
    expect(comment.getCell(2).value).toBe("'-Kommentar");
    const cells = everyCell(wb);
    expect(cells.length).toBeGreaterThan(40);
    for (const c of cells) {
      expect(c.type).not.toBe(ExcelJS.ValueType.Formula);
      expect(c.formula).toBeFalsy();
      if (typeof c.value === 'string') expect(c.value).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it('writes label text instead of codes where a value label exists, when asked', async () => {
    const wb = await xlsxOf(sample, true, { labelLocale: 'ar' });
    const data = wb.getWorksheet('data')!;
    expect(data.getCell('B2').value).toBe('غير راضٍ');
    expect(data.getCell('B5').value).toBe('لا أعرف');
    // No label for 2.5 or -3: the number stays a number.
    expect(data.getCell('B4').value).toBe(2.5);
    expect(data.getCell('B6').value).toBe(-3);
    expect(data.getCell('B3').type).toBe(ExcelJS.ValueType.Null);
  });

  it('writes a codebook sheet: one row per column with labels, value labels, missing values, question, module', async () => {
    const wb = await xlsxOf(sample);
    const codebook = wb.getWorksheet('codebook')!;
    expect(codebook.rowCount).toBe(1 + columns.length);
    expect(rowValues(codebook, 1)).toEqual([
      'name',
      'label',
      'type',
      'role',
      'value labels',
      'missing values',
      'question code',
      'module',
      'source name',
    ]);
    expect(rowValues(codebook, 3)).toEqual([
      'q1',
      'Hvor fornøyd er du?',
      'number',
      'answer',
      '1 = Lite fornøyd; 2 = Svært fornøyd; 98 = Vet ikke',
      '98 (dont_know)',
      'q1',
      'tilfredshet',
      'Q 1',
    ]);
    expect(codebook.getRow(5).getCell(1).value).toBe('finished_at');
    expect(codebook.getRow(5).getCell(3).value).toBe('datetime');
    expect(codebook.getRow(5).getCell(4).value).toBe('system');
  });

  it('writes labels in the label language (Arabic, Tigrinya) exactly, falling back to bokmål', async () => {
    const ar = (await xlsxOf(sample, false, { labelLocale: 'ar' })).getWorksheet('codebook')!;
    expect(ar.getRow(3).getCell(2).value).toBe('ما مدى رضاك؟');
    expect(ar.getRow(3).getCell(5).value).toBe('1 = غير راضٍ; 2 = راضٍ جدًا; 98 = لا أعرف');
    expect(ar.getRow(4).getCell(2).value).toBe("'-Kommentar");
    const ti = (await xlsxOf(sample, false, { labelLocale: 'ti' })).getWorksheet('codebook')!;
    expect(ti.getRow(4).getCell(2).value).toBe('ኣብ ኖርወይ');
  });

  it('writes 20 000 rows', async () => {
    const n = 20_000;
    const base = Date.UTC(2026, 0, 1);
    const rows: Cell[][] = Array.from({ length: n }, (_, i) => [
      `r${i}`,
      i % 7 === 0 ? null : i % 5,
      i % 2 ? 'ما مدى رضاك؟' : 'ኣብ ኖርወይ',
      new Date(base + i * 1001),
    ]);
    const data = (await xlsxOf(rows)).getWorksheet('data')!;
    expect(data.rowCount).toBe(n + 1);
    for (const i of [0, 1, 7, 9_999, n - 1])
      expect(rowValues(data, i + 2).slice(0, 4)).toEqual([
        `r${i}`,
        ...(i % 7 === 0 ? [undefined] : [i % 5]),
        i % 2 ? 'ما مدى رضاك؟' : 'ኣብ ኖርወይ',
        new Date(base + i * 1001),
      ]);
  });

  it('waits for a slow sink instead of reading the whole dataset ahead of it', async () => {
    const n = 60_000;
    let pulled = 0;
    const rows = (from: number, k: number): Cell[][] =>
      Array.from({ length: k }, (_, j) => {
        const i = from + j;
        // Hard to compress, so the zip has to push real bytes through the sink.
        return [`r${i}`, i, (i * 2_654_435_761).toString(36).repeat(3), null];
      });
    const dataset = {
      ...datasetOf(columns, []),
      rowCount: n,
      async *batches() {
        for (let i = 0; i < n; i += 1000) {
          pulled += 1000;
          yield rows(i, 1000);
        }
      },
    };
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const inner = memorySink();
    const sink: Sink = {
      async write(chunk) {
        await gate;
        await inner.write(chunk);
      },
    };
    const done = writeXlsx(dataset, sink, {});
    // Let it run until it stalls on the closed sink.
    let before = -1;
    while (before !== pulled) {
      before = pulled;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(pulled).toBeLessThan(n);
    release();
    await done;
    const data = (await workbookOf(inner.bytes())).getWorksheet('data')!;
    expect(data.rowCount).toBe(n + 1);
    expect(data.getCell(`A${n + 1}`).value).toBe(`r${n - 1}`);
  });

  it('fails when the sink fails instead of hanging', async () => {
    const sink: Sink = {
      async write() {
        throw new Error('client went away');
      },
    };
    await expect(writeXlsx(datasetOf(columns, sample), sink, {})).rejects.toThrow('client went away');
  });
});
