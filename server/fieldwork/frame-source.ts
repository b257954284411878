// The bytes of an uploaded frame as they arrive (a file, an HTTP body), with a look at the start before reading:
// the first bytes say CSV or XLSX, the first lines say the delimiter.
import type { Cell, FrameProblem } from './frame-columns.ts';

/** What a format reader yields, in file order: a non-blank record, or a problem of the file itself. */
export type RawItem =
  | { record: { line: number; cells: Cell[] } }
  | {
      problem: FrameProblem;
      /** The reader gave up here (not UTF-8, not a workbook): what follows was not read. */
      fatal?: boolean;
    };

export class ByteSource {
  private readonly head: Buffer[] = [];
  private readonly it: AsyncIterator<Uint8Array>;
  private ended = false;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.it = source[Symbol.asyncIterator]();
  }

  /** Up to `n` bytes from the start, read ahead but not consumed. */
  async peek(n: number): Promise<Buffer> {
    let size = this.head.reduce((s, b) => s + b.length, 0);
    while (size < n && !this.ended) {
      const r = await this.it.next();
      if (r.done) this.ended = true;
      else {
        this.head.push(Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength));
        size += r.value.byteLength;
      }
    }
    return Buffer.concat(this.head).subarray(0, n);
  }

  /** Every chunk once, the peeked ones first. Leaving the loop early closes the source (a file, a request). */
  async *chunks(): AsyncGenerator<Buffer> {
    try {
      while (this.head.length > 0) yield this.head.shift()!;
      while (!this.ended) {
        const r = await this.it.next();
        if (r.done) this.ended = true;
        else yield Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
      }
    } finally {
      await this.close();
    }
  }

  /** Stops reading: the rest of the source is not needed (the file was refused on its first lines). */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.it.return?.();
  }
}

/**
 * Counts the bytes that pass and throws `tooLarge()` past `limit`, so an upload is refused while it streams
 * instead of after it has filled the disk or the memory.
 */
export async function* limitBytes(
  source: AsyncIterable<Uint8Array>,
  limit: number,
  tooLarge: () => Error,
): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.byteLength;
    if (total > limit) throw tooLarge();
    yield chunk;
  }
}
