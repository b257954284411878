// A seeded wave of the participant survey, answered in Arabic and Tigrinya, exported and read back by readers Svar
// did not write: R haven (.sav, .dta), GNU PSPP (.sav), hyparquet (Parquet), exceljs (XLSX). Values, labels and
// missing codes must come back as the CSV export has them, on both databases.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memorySink } from '../../server/exports/dataset.ts';
import type { ExportFormat } from '../../server/exports/formats.ts';
import { prepareExport } from '../../server/exports/service.ts';
import { addUnits, createWave, openWave } from '../../server/fieldwork/service.ts';
import { saveAnswers } from '../../server/responses/service.ts';
import { publishInstrument } from '../../server/surveys/service.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { pspp, readerPresent, readWithHaven, rHaven, run } from '../helpers/readers.ts';
import { realPaths } from '../helpers/surveys.ts';

const operator = {
  principal: { role: 'operator' as const, municipalityCode: null },
  actor: { kind: 'cli' as const },
};
const now = new Date('2026-11-26T09:00:00Z');
const arabic = 'البرنامج جيد، لكن الدروس قليلة';
const tigrinya = 'ኣብ ኖርወይ ምምሃር ጽቡቕ እዩ';
const haveR = readerPresent(rHaven, 'export round trip through R haven');
const havePspp = readerPresent(pspp, 'export round trip through GNU PSPP');

describe.each(backends())('exports read back by other tools on $name', (backend) => {
  let t: TestDatabase;
  let dir: string;
  let waveId: string;
  let csv: Record<string, string>[];
  const file = async (format: ExportFormat, labelLocale = 'nb') => {
    const prepared = await prepareExport(t.db, { waveIds: [waveId], format, labelLocale }, operator, now);
    const sink = memorySink();
    await prepared.write(sink);
    const path = join(dir, `${format}-${labelLocale}.${format}`);
    writeFileSync(path, sink.bytes());
    return { path, bytes: sink.bytes() };
  };

  beforeAll(async () => {
    if (backend.skip) return;
    t = await backend.open();
    dir = mkdtempSync(join(tmpdir(), 'svar-export-'));
    // Published under its own id in this database; the real instrument with its real translations.
    await publishInstrument(t.db, realPaths, 'participant-survey', { kind: 'cli' });
    const wave = await createWave(
      t.db,
      {
        instrumentId: 'participant-survey',
        version: 1,
        name: 'Round trip',
        mode: 'census',
        locales: ['nb', 'nn', 'en', 'ar', 'ti'],
        allowDraftLocales: true,
      },
      { kind: 'cli' },
    );
    waveId = wave.id;
    await addUnits(t.db, wave.id, [
      { externalId: 'a1', municipalityCode: '0301', preferredLocale: 'ar' },
      { externalId: 't1', municipalityCode: '4601', preferredLocale: 'ti' },
      { externalId: 'n1', municipalityCode: '5001', preferredLocale: 'nb' },
    ]);
    const links = await openWave(t.db, wave.id, { kind: 'cli' }, now);
    const token = (id: string) => links.find((l) => l.externalId === id)!.token;
    await saveAnswers(
      t.db,
      token('a1'),
      {
        answers: { p_nor_sat: 98, p_comment: arabic, p_prog_content: [1, 3], p_prog_months: 14 },
        locale: 'ar',
      },
      { now },
    );
    await saveAnswers(
      t.db,
      token('t1'),
      { answers: { p_nor_sat: 4, p_comment: tigrinya, p_prog_months: 7 }, locale: 'ti' },
      { now },
    );
    await saveAnswers(t.db, token('n1'), { answers: { p_nor_sat: 2 }, locale: 'nb' }, { now });
    csv = parse((await file('csv')).bytes.toString('utf8'), { columns: true }) as Record<string, string>[];
  });
  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await t?.close();
  });

  const byLocale = (rows: Record<string, unknown>[], locale: string) =>
    rows.find((r) => r.locale === locale)!;

  it.skipIf(backend.skip || !haveR)(
    '.sav through R haven: values, English labels, 98 as user-missing',
    async () => {
      const { path } = await file('sav', 'en');
      const { columns } = await readWithHaven(path);
      const locales = columns.get('locale')!.values;
      const row = (code: string, locale: string) => columns.get(code)!.values[locales.indexOf(locale)];
      expect(row('p_comment', 'ar')).toBe(arabic);
      expect(row('p_comment', 'ti')).toBe(tigrinya);
      expect(row('p_nor_sat', 'ti')).toBe('4');
      expect(row('p_nor_sat', 'ar')).toBe('NA'); // 98 is user-missing: haven turns it into NA by default
      expect(row('p_prog_content_3', 'ar')).toBe('1');
      expect(row('p_prog_months', 'ar')).toBe('14');
      const sat = columns.get('p_nor_sat')!;
      expect(sat.label).toMatch(/Norwegian/i);
      expect(sat.labels.map(([v]) => v)).toContain('98');
      expect(columns.has('response_id')).toBe(true);
      expect([...columns.keys()].filter((n) => /email|phone|token/.test(n))).toEqual([]);
    },
  );

  it.skipIf(backend.skip || !haveR)(
    '.dta through R haven: 98 as the extended missing value .b, labels in bokmål',
    async () => {
      const { path } = await file('dta');
      const { columns } = await readWithHaven(path);
      const locales = columns.get('locale')!.values;
      const row = (code: string, locale: string) => columns.get(code)!.values[locales.indexOf(locale)];
      expect(row('p_nor_sat', 'ar')).toBe('.b');
      expect(row('p_nor_sat', 'nb')).toBe('2');
      expect(row('p_comment', 'ti')).toBe(tigrinya);
      expect(columns.get('p_nor_sat')!.label).toMatch(/norsk/i);
    },
  );

  it.skipIf(backend.skip || !havePspp)('.sav through GNU PSPP gives the CSV export back', async () => {
    const { path } = await file('sav');
    const out = join(dir, 'pspp.csv');
    const r = await run('pspp-convert', [path, out]);
    expect(r.code, r.stderr).toBe(0);
    const { readFileSync } = await import('node:fs');
    const back = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    for (const locale of ['ar', 'ti', 'nb']) {
      const a = byLocale(back, locale);
      const b = byLocale(csv, locale);
      for (const code of ['p_comment', 'p_prog_months', 'p_prog_content_1', 'response_id', 'municipality'])
        expect(String(a[code] ?? '').trim(), `${locale} ${code}`).toBe(b[code]);
    }
  });

  it.skipIf(backend.skip)(
    'Parquet through hyparquet and XLSX through exceljs give the CSV export back',
    async () => {
      const parquet = await file('parquet');
      const ab = parquet.bytes.buffer.slice(
        parquet.bytes.byteOffset,
        parquet.bytes.byteOffset + parquet.bytes.byteLength,
      );
      const rows = (await parquetReadObjects({ file: ab as ArrayBuffer })) as Record<string, unknown>[];
      expect(byLocale(rows, 'ar').p_comment).toBe(arabic);
      expect(byLocale(rows, 'ar').p_nor_sat).toBe(98);
      expect(byLocale(rows, 'ti').p_prog_months).toBe(7);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load((await file('xlsx')).bytes as unknown as ArrayBuffer);
      const sheet = book.getWorksheet('data')!;
      const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
      const values = [2, 3, 4].map((i) =>
        Object.fromEntries(header.map((h, j) => [h, sheet.getRow(i).getCell(j + 1).value])),
      );
      expect(byLocale(values, 'ti').p_comment).toBe(tigrinya);
      expect(byLocale(values, 'ar').p_nor_sat).toBe(98);
      expect(csv).toHaveLength(3);
    },
  );
});
