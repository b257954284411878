// Reads an uploaded sampling frame (CSV or XLSX) as it streams: each row built and checked on its own, every
// problem reported with its line, so staff can fix the file in one go instead of uploading it again per error.
import { Readable } from 'node:stream';
import { checkRow, quoted } from './frame-checks.ts';
import {
  buildRow,
  type FrameHeader,
  type FrameProblem,
  type FrameRow,
  mapHeader,
  type UnitType,
} from './frame-columns.ts';
import { readCsv } from './frame-csv.ts';
import { ByteSource, type RawItem } from './frame-source.ts';
import { checkStorable } from './frame-storable.ts';
import { readXlsx } from './frame-xlsx.ts';

export type { FrameProblem, FrameRow } from './frame-columns.ts';

/** A row (built and checked, duplicates aside) with its problems, or problems of the file itself. */
export interface FrameItem {
  row?: FrameRow;
  problems: FrameProblem[];
}
export interface FrameReading {
  format: 'csv' | 'xlsx';
  delimiter?: string;
  /** Rows and problems in file order, then what only the end tells (an empty file, a header without rows). */
  items: AsyncGenerator<FrameItem>;
  /** The id column as the file's header writes it, to name it in problems found later (duplicates). */
  idColumn(): string;
}
export interface ParsedFrame {
  rows: FrameRow[];
  problems: FrameProblem[];
  format: 'csv' | 'xlsx';
  delimiter?: string;
}

const ZIP_MAGIC = Buffer.from('PK\x03\x04', 'latin1');

export async function readFrame(
  source: AsyncIterable<Uint8Array>,
  fileName: string,
  opts: { unitType: UnitType },
): Promise<FrameReading> {
  const bytes = new ByteSource(source);
  let header: FrameHeader | null = null;
  const idField = opts.unitType === 'municipality' ? 'municipalityCode' : 'externalId';
  const idColumn = () =>
    header?.written.get(idField) ?? (idField === 'externalId' ? 'external_id' : 'municipality_code');
  async function* items(raw: AsyncIterable<RawItem>): AsyncGenerator<FrameItem> {
    let headerLine = 1;
    let rows = 0;
    let fileProblems = 0;
    let fatal = false;
    try {
      for await (const item of raw) {
        if ('problem' in item) {
          fileProblems++;
          fatal ||= item.fatal === true;
          yield { problems: [item.problem] };
          continue;
        }
        const { line, cells } = item.record;
        if (!header) {
          header = mapHeader(cells, line, opts.unitType);
          headerLine = line;
          if (header.problems.length > 0) yield { problems: header.problems };
          continue;
        }
        // With a broken header every row check would be noise: only the reader's own problems follow.
        if (header.problems.length > 0) continue;
        const problems: FrameProblem[] = [];
        const row = buildRow(line, cells, header, problems);
        checkRow(row, header.written, opts.unitType, problems);
        checkStorable(row, header.written, problems);
        rows++;
        yield { row, problems };
      }
    } finally {
      await bytes.close();
    }
    if (!header) {
      if (fileProblems === 0) yield { problems: [{ line: 1, reason: 'the file is empty' }] };
    } else if (rows === 0 && !fatal && (header as FrameHeader).problems.length === 0) {
      yield { problems: [{ line: headerLine, reason: 'the file has a header but no rows' }] };
    }
  }
  if ((await bytes.peek(4)).equals(ZIP_MAGIC)) {
    return { format: 'xlsx', items: items(readXlsx(bytes.chunks(), fileName)), idColumn };
  }
  const csv = await readCsv(bytes);
  return { format: 'csv', delimiter: csv.delimiter, items: items(csv.items), idColumn };
}

/**
 * The whole file in memory, duplicate ids included in the checks: for small files and tests. The import streams
 * through `readFrame` and finds duplicates in SQL.
 */
export async function parseFrameFile(
  data: Buffer,
  fileName: string,
  opts: { unitType: UnitType },
): Promise<ParsedFrame> {
  const reading = await readFrame(Readable.from([data]), fileName, opts);
  const rows: FrameRow[] = [];
  const problems: FrameProblem[] = [];
  const firstLineOf = new Map<string, number>();
  for await (const item of reading.items) {
    if (item.row && item.row.externalId !== '') {
      const first = firstLineOf.get(item.row.externalId);
      if (first === undefined) firstLineOf.set(item.row.externalId, item.row.line);
      else
        item.problems.unshift(
          duplicateProblem(item.row.line, reading.idColumn(), item.row.externalId, first),
        );
    }
    if (item.row) rows.push(item.row);
    problems.push(...item.problems);
  }
  problems.sort((a, b) => a.line - b.line);
  return {
    rows,
    problems,
    format: reading.format,
    ...(reading.format === 'csv' ? { delimiter: reading.delimiter } : {}),
  };
}

export function duplicateProblem(line: number, column: string, id: string, first: number): FrameProblem {
  return { line, column, reason: `duplicate: ${quoted(id)} is already on line ${first}` };
}
