// Streams a CSV frame: strict UTF-8 (a Latin-1 export is refused, not mangled), the delimiter told from the header
// line (';' from Norwegian Excel, tab, ','), and csv-parse's streaming parser for quoted text (plain lines split
// faster by hand), one record at a time.
import { isUtf8 } from 'node:buffer';
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
  const skipped: { code: string; message: string }[] = [];
  let invalidFrom: number | null = null;
  const bytes = utf8Bytes(source.chunks(), (line) => (invalidFrom = line));
  let width: number | null = null;
  let line = 1; // the line the next record starts on
  for await (const batch of recordBatches(bytes, delimiter, skipped)) {
    for (const record of batch) {
      const start = line;
      line += 1 + record.reduce((n, field) => n + countNewlines(field), 0);
      if (!record.some((c) => c.trim() !== '')) continue;
      if (width === null) width = record.length;
      else if (record.length !== width) {
        yield {
          problem: { line: start, reason: `the row has ${record.length} fields but the header has ${width}` },
        };
      }
      yield { record: { line: start, cells: record } };
    }
  }
  // With these options the only record csv-parse can skip is the last (a quote still open at the end of the
  // file), so it starts on the line after the last record read.
  for (const err of skipped) {
    const reason =
      err.code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'a quoted field is never closed: a " is missing on this line or a later one'
        : err.message;
    yield { problem: { line, reason } };
  }
  if (invalidFrom !== null) yield { problem: { line: invalidFrom, reason: NOT_UTF8 }, fatal: true };
}

const QUOTE = 0x22;

/**
 * The records, a chunk's worth at a time. Text without a quote is split at newlines and delimiters by hand, which
 * is what csv-parse does with it at a fraction of the cost (a national register's extract usually has no quote
 * at all); from the first chunk with a quote on, csv-parse reads the rest. The switch happens between whole lines,
 * outside any quoted field, since none was opened before.
 */
async function* recordBatches(
  bytes: AsyncGenerator<Buffer>,
  delimiter: string,
  skipped: { code: string; message: string }[],
): AsyncGenerator<string[][]> {
  let pending = ''; // the text after the last newline so far
  let atStart = true;
  for await (const chunk of bytes) {
    if (chunk.includes(QUOTE)) {
      yield* parsed(bytes, Buffer.concat([Buffer.from(pending, 'utf8'), chunk]), delimiter, atStart, skipped);
      return;
    }
    let text = pending + chunk.toString('utf8');
    if (atStart && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    atStart = false;
    const end = text.lastIndexOf('\n');
    pending = text.slice(end + 1);
    // A few hundred records at a time: they are gone before the next young-generation collection, where a whole
    // chunk's worth would survive it and pile up in the old generation as the file goes on.
    let batch: string[][] = [];
    for (let from = 0; from <= end; ) {
      const to = text.indexOf('\n', from);
      batch.push(text.slice(from, to).split(delimiter));
      from = to + 1;
      if (batch.length === 256) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
  if (pending !== '') yield [pending.split(delimiter)];
}

/** The rest of the file through csv-parse's streaming parser, from `head` on. */
async function* parsed(
  rest: AsyncGenerator<Buffer>,
  head: Buffer,
  delimiter: string,
  atStart: boolean,
  skipped: { code: string; message: string }[],
): AsyncGenerator<string[][]> {
  const parser = parse({
    bom: atStart,
    delimiter,
    record_delimiter: '\n',
    relax_column_count: true,
    relax_quotes: true, // a stray " inside an unquoted field (Bjørn "Bear" Olsen) is kept as typed
    // Every line is a record, blank ones too, so each record's line is counted by the caller: csv-parse's own
    // count comes only through on_record, which builds an info object per record (a sixth of the parsing time).
    skip_empty_lines: false,
    skip_records_with_error: true,
    on_skip: (err) => void (err && skipped.push({ code: err.code, message: err.message })),
  });
  async function* all() {
    yield head;
    yield* rest;
  }
  pipeline(Readable.from(all()), parser, () => {}); // an error on either side ends the loop below with that error
  for await (const record of parser as AsyncIterable<string[]>) yield [record];
}

/**
 * The bytes, checked to be strictly UTF-8: at the first invalid byte it reports the first line of that chunk and
 * stops (the import refuses the file anyway). One line ending for all, so csv-parse's line count is the physical
 * line. Bytes, not text: csv-parse parses bytes and decodes each field itself, so text here would be encoded again.
 */
async function* utf8Bytes(
  chunks: AsyncIterable<Buffer>,
  invalid: (line: number) => void,
): AsyncGenerator<Buffer> {
  let carry: Buffer = Buffer.alloc(0); // a letter cut in two by the chunk's end, or a \r whose \n may come next
  let lines = 1;
  for await (const chunk of chunks) {
    const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let end = wholeLetters(bytes);
    if (end === bytes.length && bytes[end - 1] === CR) end--;
    if (!isUtf8(bytes.subarray(0, end))) {
      invalid(lines);
      return;
    }
    carry = bytes.subarray(end);
    const out = oneLineEnding(bytes.subarray(0, end));
    lines += countByte(out, LF);
    if (out.length > 0) yield out;
  }
  if (carry.length === 0) return;
  if (carry.length === 1 && carry[0] === CR) yield Buffer.from('\n');
  else invalid(lines);
}

const CR = 0x0d;
const LF = 0x0a;

/** How many bytes from the start end on a whole letter: a multi-byte letter cut by the chunk's end waits. */
function wholeLetters(b: Buffer): number {
  let i = b.length - 1;
  while (i >= 0 && b.length - i <= 3 && (b[i]! & 0xc0) === 0x80) i--; // continuation bytes
  if (i < 0 || b[i]! < 0xc0) return b.length; // ASCII, or nothing a later byte could complete
  const size = b[i]! >= 0xf0 ? 4 : b[i]! >= 0xe0 ? 3 : 2;
  return i + size <= b.length ? b.length : i;
}

/** \r\n and a lone \r become \n; most files have none, and pass without a copy. */
function oneLineEnding(b: Buffer): Buffer {
  let cr = b.indexOf(CR);
  if (cr === -1) return b;
  const out = Buffer.allocUnsafe(b.length);
  let n = 0;
  let from = 0;
  while (cr !== -1) {
    n += b.copy(out, n, from, cr);
    out[n++] = LF;
    from = b[cr + 1] === LF ? cr + 2 : cr + 1;
    cr = b.indexOf(CR, from);
  }
  n += b.copy(out, n, from);
  return out.subarray(0, n);
}

function countByte(b: Buffer, byte: number): number {
  let n = 0;
  for (let i = b.indexOf(byte); i !== -1; i = b.indexOf(byte, i + 1)) n++;
  return n;
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
