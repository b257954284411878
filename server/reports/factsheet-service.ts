// Fact sheets as documents: load the wave once, publish its figures for the viewer, render each unit's sheet as
// HTML in its language, and print it to PDF when asked. Shared by the API and `svar report factsheet`.
import type { Db } from '../db/connect.ts';
import { ConflictError } from '../http/errors.ts';
import { type FactSheet, factSheetMaker, sheetUnit, sheetUnits } from './factsheet.ts';
import { renderFactSheet } from './factsheet-html.ts';
import { officialLanguageOf, type ReportLanguage, reportTexts } from './factsheet-language.ts';
import { openPdfPrinter, type PdfPrinter } from './pdf.ts';
import { loadWaveData, type WaveData } from './regions-data.ts';
import type { Viewer } from './suppression.ts';

export type SheetFormat = 'html' | 'pdf';

export interface SheetOptions {
  waveId: string;
  format: SheetFormat;
  /** Omitted: the unit's official written form (nb or nn). */
  lang?: ReportLanguage | undefined;
  /** Whose eyes: a municipality gets suppressed figures; admins, analysts and the operator see all, marked. */
  viewer: Viewer;
  localesDir: string;
  now: Date;
}

export interface SheetDocument {
  code: string;
  filename: string;
  contentType: string;
  body: string | Buffer;
}

async function participantWave(db: Db, waveId: string): Promise<WaveData> {
  const data = await loadWaveData(db, waveId);
  if (data.wave.unitType !== 'participant')
    throw new ConflictError(
      'wave_not_participant',
      'Fact sheets are made from the participant survey; for the municipal survey use `svar report regions`.',
    );
  return data;
}

async function render(sheet: FactSheet, o: SheetOptions, printer: PdfPrinter | null): Promise<SheetDocument> {
  const lng = o.lang ?? officialLanguageOf(sheet.unit.code);
  const markup = await renderFactSheet(sheet, { lng, t: reportTexts(o.localesDir, lng), now: o.now });
  const base = `faktaark-${sheet.unit.code}-${lng}`;
  if (!printer)
    return {
      code: sheet.unit.code,
      filename: `${base}.html`,
      contentType: 'text/html; charset=utf-8',
      body: markup,
    };
  return {
    code: sheet.unit.code,
    filename: `${base}.pdf`,
    contentType: 'application/pdf',
    body: await printer.print(markup),
  };
}

/** One unit's sheet. */
export async function factSheetDocument(db: Db, code: string, o: SheetOptions): Promise<SheetDocument> {
  sheetUnit(code); // 404 before any work for a code that names nothing
  const data = await participantWave(db, o.waveId);
  const sheet = factSheetMaker(data, o.viewer)(code);
  const printer = o.format === 'pdf' ? await openPdfPrinter() : null;
  try {
    return await render(sheet, o, printer);
  } finally {
    await printer?.close();
  }
}

/**
 * Every municipality's sheet (and every Oslo district's that anyone answered in), one at a time, handed to
 * `write` as it is ready, so memory holds one document. `progress` is told after each.
 */
export async function allFactSheets(
  db: Db,
  o: SheetOptions,
  write: (doc: SheetDocument) => Promise<void>,
  progress: (done: number, total: number) => void = () => {},
): Promise<number> {
  const data = await participantWave(db, o.waveId);
  const answered = new Set(data.unitCode.filter((u): u is string => u !== null));
  // Districts only where the frame uses them; every municipality gets a sheet, answered or not.
  const codes = sheetUnits()
    .map((u) => u.code)
    .filter((code) => code.length === 4 || answered.has(code));
  const make = factSheetMaker(data, o.viewer);
  const printer = o.format === 'pdf' ? await openPdfPrinter() : null;
  try {
    for (const [i, code] of codes.entries()) {
      await write(await render(make(code), o, printer));
      progress(i + 1, codes.length);
    }
  } finally {
    await printer?.close();
  }
  return codes.length;
}
