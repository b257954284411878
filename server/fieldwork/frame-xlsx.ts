// Streams an XLSX frame with exceljs's WorkbookReader: the first worksheet, row by row. The workbook's shared
// strings are held in memory (XLSX keeps every distinct text in one table), the rows are not.
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Cell } from './frame-columns.ts';
import type { RawItem } from './frame-source.ts';

interface SheetReader {
  id?: number | string;
  [Symbol.asyncIterator](): AsyncGenerator<ExcelJS.Row>;
}

export async function* readXlsx(chunks: AsyncIterable<Buffer>, fileName: string): AsyncGenerator<RawItem> {
  // exceljs pipes its input into the unzipper, and a pipe does not pass errors on: feed it by hand, and end it
  // when the source fails so the reader finishes, then throw the source's error (a refused upload, say).
  const input = new PassThrough();
  input.on('error', () => {}); // a write racing the destroy below must not crash the process
  const stop = new AbortController();
  let sourceError: unknown = null;
  const feeding = (async () => {
    try {
      for await (const chunk of chunks) {
        if (stop.signal.aborted) break;
        if (!input.write(chunk)) await once(input, 'drain', { signal: stop.signal });
      }
    } catch (err) {
      if (!stop.signal.aborted) sourceError = err;
    } finally {
      if (!input.destroyed) input.end();
    }
  })();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache', // dates are told by their number format
    hyperlinks: 'ignore', // a hyperlinked e-mail is read as the text the sheet shows
    entries: 'ignore',
  });
  let sheets = 0;
  let read = false;
  try {
    for await (const sheet of reader as unknown as AsyncIterable<SheetReader>) {
      sheets++;
      // The first tab as workbook.xml lists the tabs; without that list, the first worksheet in the file.
      const firstTab = (reader.model as { sheets?: { id: number | string }[] } | undefined)?.sheets?.[0]?.id;
      if (read || (firstTab !== undefined && String(sheet.id) !== String(firstTab))) continue;
      read = true;
      yield* rowsOf(sheet);
    }
  } catch {
    if (sourceError) throw sourceError;
    yield { problem: { line: 1, reason: `could not read '${fileName}' as an Excel workbook` }, fatal: true };
    return;
  } finally {
    // Not awaited: the feeder may wait on a slow client; closing the source (frame-file.ts) ends it.
    stop.abort();
    input.destroy();
    void feeding;
  }
  if (sourceError) throw sourceError;
  if (sheets === 0) {
    const isWorkbook = (reader.model as { sheets?: unknown } | undefined)?.sheets !== undefined;
    const reason = isWorkbook
      ? 'the workbook has no worksheet'
      : `could not read '${fileName}' as an Excel workbook`;
    yield { problem: { line: 1, reason }, fatal: true };
  }
}

async function* rowsOf(sheet: SheetReader): AsyncGenerator<RawItem> {
  let width = 0;
  for await (const row of sheet) {
    const cells: Cell[] = [];
    row.eachCell((cell, col) => {
      cells[col - 1] = cellValue(cell.value);
    });
    const filled = Array.from(cells, (c) => c ?? '');
    if (!filled.some((c) => String(c).trim() !== '')) continue;
    if (width === 0) width = filled.length;
    for (let i = width; i < filled.length; i++) {
      if (String(filled[i]).trim() === '') continue;
      yield {
        problem: {
          line: row.number,
          column: columnLetter(i + 1),
          reason: 'a value in a column without a header',
        },
      };
    }
    yield { record: { line: row.number, cells: filled } };
  }
}

function columnLetter(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

/** Cell values as the sheet shows them: hyperlinked e-mails by their text, formulas by their result. */
function cellValue(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) {
    const iso = value.toISOString(); // exceljs gives the sheet's local date as UTC midnight
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if ('richText' in value) return value.richText.map((t) => t.text).join('');
  if ('hyperlink' in value) return cellValue(value.text as ExcelJS.CellValue);
  if ('formula' in value || 'sharedFormula' in value) return cellValue(value.result as ExcelJS.CellValue);
  if ('error' in value) return value.error;
  return '';
}
