// Streams a CSV frame: strict UTF-8 (a Latin-1 export is refused, not mangled), the delimiter told from the header
// line (';' from Norwegian Excel, tab, ','), and csv-parse's streaming parser, one record at a time.
import { pipeline, Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { FrameProblem } from './frame-columns.ts';
import type { ByteSource, RawItem } from './frame-source.ts';

const DELIMITERS = [';', '\t', ','];
/** How much of the file the delimiter is told from: the header line and the rows that fit. */
const PEEK_BYTES = 64 * 1024;
const NOT_UTF8 = "the file is not UTF-8: save it as 'CSV UTF-8'";

export async function readCsv(
  source: ByteSource,
): Promise<{ delimiter?: string; items: AsyncGenerator<RawItem> }> {
  const prefix = await source.peek(PEEK_BYTES);
  const complete = prefix.length < PEEK_BYTES;
  const text = normalizeLines(new TextDecoder('utf-8').decode(prefix)).replace(/^\uFEFF/, '');
  // A cut-off last line could have a quote opened and not yet closed: tell the delimiter from whole lines only.
  const lines = (complete ? text : text.slice(0, Math.max(text.lastIndexOf('\n'), 0))).split('\n');
  const detected = detectDelimiter(lines.filter((l) => l.trim() !== ''));
  if ('problem' in detected) {
    return { items: only({ problem: detected.problem, fatal: true }) };
  }
  return { delimiter: detected.delimiter, items: records(source, detected.delimiter ?? ';') };
}

async function* only(item: RawItem): AsyncGenerator<RawItem> {
  yield item;
}

async function* records(source: ByteSource, delimiter: string): AsyncGenerator<RawItem> {
  const skipped: { code: string; message: string; line: number }[] = [];
  let parsedUpTo = 0; // the line the last good record ends on, as the parser (ahead of this loop) sees it
  let invalidFrom: number | null = null;
  const parser = parse({
    delimiter,
    record_delimiter: '\n',
    relax_column_count: true,
    relax_quotes: true, // a stray " inside an unquoted field (Bjørn "Bear" Olsen) is kept as typed
    skip_empty_lines: true,
    skip_records_with_error: true,
    // The line a record ends on; its embedded newlines tell where it started. (Cheaper than `info: true`.)
    on_record: (record, context) => {
      parsedUpTo = context.lines;
      return { record, lines: context.lines } as unknown as string[]; // the typings allow records only
    },
    on_skip: (err) =>
      void (err && skipped.push({ code: err.code, message: err.message, line: parsedUpTo + 1 })),
  });
  const text = Readable.from(decodeUtf8(source.chunks(), (line) => (invalidFrom = line)));
  pipeline(text, parser, () => {}); // an error on either side ends the loop below with that error
  let width: number | null = null;
  const problemsOfSkipped = function* (): Generator<RawItem> {
    for (const err of skipped.splice(0)) {
      const reason =
        err.code === 'CSV_QUOTE_NOT_CLOSED'
          ? 'a quoted field is never closed: a " is missing on this line or a later one'
          : err.message;
      yield { problem: { line: err.line, reason } };
    }
  };
  // csv-parse's typings don't model a record that on_record turned into an object.
  for await (const { record, lines } of parser as AsyncIterable<{ record: string[]; lines: number }>) {
    yield* problemsOfSkipped();
    const line = lines - record.reduce((n, field) => n + countNewlines(field), 0);
    if (!record.some((c) => c.trim() !== '')) continue;
    if (width === null) width = record.length;
    else if (record.length !== width) {
      yield { problem: { line, reason: `the row has ${record.length} fields but the header has ${width}` } };
    }
    yield { record: { line, cells: record } };
  }
  yield* problemsOfSkipped();
  if (invalidFrom !== null) yield { problem: { line: invalidFrom, reason: NOT_UTF8 }, fatal: true };
}

/**
 * Text from bytes, strictly UTF-8: at the first invalid byte it reports the first line of that chunk and stops
 * (the import refuses the file anyway). One line ending for all, so csv-parse's line count is the physical line.
 */
async function* decodeUtf8(
  chunks: AsyncIterable<Buffer>,
  invalid: (line: number) => void,
): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true }); // also drops a leading BOM
  let carry = ''; // a trailing \r waits for the next chunk's \n
  let lines = 1;
  const emit = (raw: string, last: boolean) => {
    let s = carry + raw;
    carry = '';
    if (!last && s.endsWith('\r')) {
      carry = '\r';
      s = s.slice(0, -1);
    }
    s = normalizeLines(s);
    lines += countNewlines(s);
    return s;
  };
  for await (const chunk of chunks) {
    let s: string;
    try {
      s = decoder.decode(chunk, { stream: true });
    } catch {
      invalid(lines);
      return;
    }
    const out = emit(s, false);
    if (out) yield out;
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch {
    invalid(lines);
    return;
  }
  const out = emit(rest, true);
  if (out) yield out;
}

function normalizeLines(s: string): string {
  return s.replace(/\r\n?/g, '\n');
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** Picks the delimiter the header line uses most; ties go to ';' (Norwegian Excel), then tab, then ','. */
function detectDelimiter(lines: string[]): { delimiter?: string } | { problem: FrameProblem } {
  const counts = DELIMITERS.map((d) => countOutsideQuotes(lines[0] ?? '', d));
  const best = counts.indexOf(Math.max(...counts));
  if (counts[best]! > 0) return { delimiter: DELIMITERS[best] };
  // A one-column header is fine (a list of ids) unless the rows do have columns.
  const inRows = DELIMITERS.find((d) => lines.slice(1).some((l) => countOutsideQuotes(l, d) > 0));
  if (inRows === undefined) return {};
  const shown = inRows === '\t' ? 'tabs' : `'${inRows}'`;
  const reason = `could not tell the delimiter: the header line has one column, but the rows are split by ${shown}`;
  return { problem: { line: 1, reason } };
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) count++;
  }
  return count;
}
