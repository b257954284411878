// XLSX: a 'data' sheet (one row per response) and a 'codebook' sheet, streamed with exceljs's WorkbookWriter.
import { EventEmitter, once } from 'node:events';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { type Cell, type Dataset, type ExportColumn, labelOf, type Sink } from './dataset.ts';
import { neutraliseFormula } from './spreadsheet-safe.ts';

export interface XlsxOptions {
  /** Label text (in the dataset's label language) instead of the code, where a value label exists. */
  valueLabels?: boolean;
}

/** Excel refuses (offers to "repair") a file with a longer cell text. */
const maxCellText = 32_767;
/** Cells committed between backpressure checks: bounds what exceljs buffers ahead of a slow sink (~a few MB XML). */
const cellsPerCheck = 50_000;

/** A text cell: inert for spreadsheets, and short enough for Excel to open the file. */
function text(s: string): string {
  const safe = neutraliseFormula(s);
  return safe.length > maxCellText ? `${safe.slice(0, maxCellText - 1)}…` : safe;
}

function xlsxCell(value: Cell): ExcelJS.CellValue {
  if (value === null) return null;
  if (typeof value === 'string') return text(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return Number.isNaN(value.getTime()) ? null : value;
}

function labelMap(column: ExportColumn, locale: string): Map<string, string> | null {
  if (!column.valueLabels.length) return null;
  return new Map(
    column.valueLabels.map((v) => [String(v.value), labelOf(v.labels, locale, String(v.value))]),
  );
}

/**
 * The codebook row of a column: name, label, type, role, value labels, missing values, question code, module, and
 * the name an imported question had in its SurveyJS definition where that was not a usable code.
 */
function codebookRow(c: ExportColumn, locale: string): string[] {
  const valueLabels = c.valueLabels.map((v) => `${v.value} = ${labelOf(v.labels, locale, String(v.value))}`);
  const meaning = new Map(c.valueLabels.filter((v) => v.missing).map((v) => [String(v.value), v.missing!]));
  const missing = [...new Set([...c.missing.map(String), ...meaning.keys()])].map((v) =>
    meaning.has(v) ? `${v} (${meaning.get(v)})` : v,
  );
  return [
    c.name,
    labelOf(c.labels, locale, c.name),
    c.type,
    c.role,
    valueLabels.join('; '),
    missing.join('; '),
    c.question?.code ?? '',
    c.question?.module ?? '',
    c.question?.sourceName ?? '',
  ].map(text);
}

/** What a sheet's zip input is: a readable-stream 2.x PassThrough, not a Node stream, so no public getters. */
interface ZipInput extends EventEmitter {
  _writableState: { needDrain: boolean };
}

/**
 * The stream a streamed sheet's XML waits in until the zip compresses it (archiver's PassThrough behind exceljs
 * 4.4's StreamBuf). Internal to exceljs, hence the guard: if it moves, only the sink's backpressure is seen and the
 * slow-sink test fails.
 */
function zipInput(sheet: ExcelJS.Worksheet): ZipInput | undefined {
  const first = (sheet as unknown as { _stream?: { pipes?: unknown[] } })._stream?.pipes?.[0];
  const ok =
    first instanceof EventEmitter && typeof (first as ZipInput)._writableState?.needDrain === 'boolean';
  return ok ? (first as ZipInput) : undefined;
}

/** The sink as a Node stream for exceljs: each chunk is acknowledged only once the sink has taken it. */
function sinkStream(sink: Sink): Writable {
  return new Writable({
    highWaterMark: 1 << 20,
    write(chunk: Buffer, _encoding, done) {
      sink.write(chunk).then(() => done(), done);
    },
  });
}

export async function writeXlsx(dataset: Dataset, sink: Sink, opts: XlsxOptions = {}): Promise<void> {
  const out = sinkStream(sink);
  // A sink error must end the export, not leave it waiting for a 'finish' that never comes.
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => {});
  // Inline strings: shared strings would hold every distinct text in memory until the end.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const locale = dataset.labelLocale;

  // exceljs writes a sheet's XML into its zip without waiting (it ignores the zip's backpressure), so every so
  // many cells wait until the zip has taken what is queued and the sink has taken what the zip made.
  const settle = async (sheet: ExcelJS.Worksheet) => {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      const zipIn = zipInput(sheet);
      if (zipIn?._writableState.needDrain) await Promise.race([once(zipIn, 'drain'), failed]);
      else if (out.writableNeedDrain) await Promise.race([once(out, 'drain'), failed]);
      else return;
    }
  };

  const data = workbook.addWorksheet('data', { views: [{ state: 'frozen', ySplit: 1 }] });
  data.columns = dataset.columns.map((c) => ({
    key: c.name,
    width: Math.min(40, Math.max(10, c.name.length + 2)),
    ...(c.type === 'datetime' ? { style: { numFmt: 'yyyy-mm-dd hh:mm:ss' } } : {}),
  }));
  const header = data.addRow(dataset.columns.map((c) => text(c.name)));
  header.font = { bold: true };
  header.commit();

  const labels = dataset.columns.map((c) => (opts.valueLabels ? labelMap(c, locale) : null));
  let cells = 0;
  for await (const batch of dataset.batches()) {
    for (const row of batch) {
      const values = row.map((value, i) => {
        const label = value !== null && labels[i]?.get(String(value));
        return label ? text(label) : xlsxCell(value);
      });
      data.addRow(values).commit();
      cells += values.length;
      if (cells >= cellsPerCheck) {
        cells = 0;
        await settle(data);
      }
    }
  }
  data.commit();

  const codebook = workbook.addWorksheet('codebook', { views: [{ state: 'frozen', ySplit: 1 }] });
  codebook.columns = [16, 50, 10, 10, 60, 24, 16, 16, 16].map((width) => ({ width }));
  const head = codebook.addRow([
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
  head.font = { bold: true };
  head.commit();
  for (const c of dataset.columns) codebook.addRow(codebookRow(c, locale)).commit();
  codebook.commit();

  await Promise.race([workbook.commit(), failed]);
}
