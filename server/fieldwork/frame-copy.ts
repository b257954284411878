// Frame rows as PostgreSQL's COPY text format, streamed on the import transaction's own connection
// (pg-copy-streams): the server parses tab-separated text, and COPY writes a table's rows a page at a time
// instead of one INSERT row after another. PGlite cannot take COPY FROM STDIN over its pg adapter; there the rows
// go as JSON batches (frame-queries.ts).
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { StagedRow } from './frame-queries.ts';

/** Where COPY writes, with the columns each line gives, in the order of the line functions below. */
export const copyTargets = {
  stage:
    'frame_stage (id, line, external_id, municipality_code, preferred_locale, attributes, name, email, phone)',
  stageLines: 'frame_stage (line, external_id)',
  units: 'frame_unit (id, wave_id, external_id, municipality_code, preferred_locale, attributes)',
  contacts: 'unit_contact (frame_unit_id, name, email, phone, updated_at)',
} as const;
export type CopyTarget = keyof typeof copyTargets;

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * A value as COPY text reads it: backslash, tab, newline and carriage return escaped, null as \N. A NUL cannot be
 * sent at all; frame-storable.ts strips it from every row before staging (and the file is refused anyway).
 */
export function copyValue(v: string | null): string {
  if (v === null) return '\\N';
  return NEEDS_ESCAPE.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => ESCAPED[c]!) : v;
}

/** A whole staged row (copyTargets.stage); the attributes as JSON text, which jsonb reads back exactly. */
export function stagedRowCopyLine(r: StagedRow): string {
  return (
    `${r.id}\t${r.line}\t${copyValue(r.externalId)}\t${copyValue(r.municipalityCode)}\t` +
    `${copyValue(r.preferredLocale)}\t${copyValue(JSON.stringify(r.attributes))}\t${copyValue(r.name)}\t` +
    `${copyValue(r.email)}\t${copyValue(r.phone)}\n`
  );
}

/** A row's line and id (copyTargets.stageLines), for the duplicate check. */
export function stageLineCopyLine(r: StagedRow): string {
  return `${r.line}\t${copyValue(r.externalId)}\n`;
}

/** A row as a new unit of the wave (copyTargets.units). */
export function unitCopyLine(r: StagedRow, waveId: string): string {
  return (
    `${r.id}\t${waveId}\t${copyValue(r.externalId)}\t${copyValue(r.municipalityCode)}\t` +
    `${copyValue(r.preferredLocale)}\t${copyValue(JSON.stringify(r.attributes))}\n`
  );
}

/** A new unit's contact (copyTargets.contacts), stamped `at` (an ISO time). */
export function contactCopyLine(r: StagedRow, at: string): string {
  return `${r.id}\t${copyValue(r.name)}\t${copyValue(r.email)}\t${copyValue(r.phone)}\t${at}\n`;
}

/** Sends lines of COPY text into a target on the transaction's client; resolves once the server stored them. */
export async function copyLines(client: pg.PoolClient, target: CopyTarget, lines: Buffer): Promise<void> {
  if (lines.length === 0) return;
  const stream = client.query(copyFrom(`copy ${copyTargets[target]} from stdin`));
  stream.end(lines);
  await finished(stream);
}

/**
 * COPY text gathered in a Buffer as rows arrive: a batch waits outside the JavaScript heap, unseen by the GC. Two
 * buffers take turns (one filled while the other is sent), so memory stays the same however long the file: a
 * fresh buffer per batch lived long enough to reach the old generation and piled up until a full collection.
 */
export class CopyBuffer {
  private bytes: Buffer = Buffer.allocUnsafe(0);
  private spare: Buffer | null = null;
  private used = 0;

  add(line: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8: room for that is room enough.
    if (this.used + line.length * 3 > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + line.length * 3, 1 << 16));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    this.used += this.bytes.write(line, this.used);
  }

  /**
   * The lines so far, taken out while new lines go to the other buffer. The caller must be done sending the lines
   * it took before (FrameStager awaits each batch before the next), since that buffer is filled again next.
   */
  take(): Buffer {
    const taken = this.bytes;
    const lines = taken.subarray(0, this.used);
    this.bytes = this.spare ?? Buffer.allocUnsafe(Math.min(taken.length, MAX_KEPT));
    this.spare = taken.length <= MAX_KEPT ? taken : null; // a buffer grown for one huge row is not kept
    this.used = 0;
    return lines;
  }
}

const MAX_KEPT = 1 << 22;
