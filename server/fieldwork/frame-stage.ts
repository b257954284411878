// Staging a frame's rows as the file streams, in batches of bounded size, one batch written while the next is read
// (the database and the parser work at the same time). A first import writes each batch straight to the wave's
// units and contacts, save rows whose id may repeat an earlier one (IdFilter), which wait whole in frame_stage
// until the duplicate check; a re-import stages every row for the set-based statements of the re-import rule.
// On PostgreSQL the rows go by COPY (frame-copy.ts); on PGlite as JSON through a batch table.
import type pg from 'pg';
import { pgClientOf } from '../db/connect.ts';
import {
  CopyBuffer,
  contactCopyLine,
  copyLines,
  stagedRowCopyLine,
  stageLineCopyLine,
  unitCopyLine,
} from './frame-copy.ts';
import { IdFilter } from './frame-id-filter.ts';
import * as fq from './frame-queries.ts';

/** Rows per batch: big enough to amortise a round trip and a statement, small enough to stay a few MB. */
const BATCH_ROWS = 10_000;
/** Rows parsed between two turns of the event loop (about a millisecond of work). */
const YIELD_EVERY_ROWS = 500;

/** A first import: batches become units of this wave, their contacts stamped `at`. */
type Direct = { waveId: string; at: Date } | null;

interface Batch {
  /** Adds a row: `held` (its id may repeat an earlier one) waits in frame_stage, as every row of a re-import. */
  add(row: fq.StagedRow, held: boolean): void;
  /** Takes the rows out at once and writes them; units only if `writeUnits` (the file is still valid). */
  write(writeUnits: boolean): Promise<void>;
}

/** PostgreSQL: COPY into frame_unit, unit_contact and frame_stage, each from a buffer of its own. */
class CopyBatch implements Batch {
  private readonly units = new CopyBuffer();
  private readonly contacts = new CopyBuffer();
  private readonly lines = new CopyBuffer();
  private readonly held = new CopyBuffer();
  private readonly at: string;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly direct: Direct,
  ) {
    this.at = direct?.at.toISOString() ?? '';
  }

  add(row: fq.StagedRow, held: boolean): void {
    if (!this.direct || held) this.held.add(stagedRowCopyLine(row));
    else {
      this.units.add(unitCopyLine(row, this.direct.waveId));
      this.contacts.add(contactCopyLine(row, this.at));
      this.lines.add(stageLineCopyLine(row));
    }
  }

  async write(writeUnits: boolean): Promise<void> {
    const [units, contacts, lines, held] = [this.units, this.contacts, this.lines, this.held].map((b) =>
      b.take(),
    );
    // Once the file is known to be refused, units would only be rolled back: keep the ids for the duplicate count.
    if (writeUnits) {
      await copyLines(this.client, 'units', units!);
      await copyLines(this.client, 'contacts', contacts!);
    }
    await copyLines(this.client, 'stageLines', lines!);
    await copyLines(this.client, 'stage', held!);
  }
}

/** PGlite: JSON batches, through frame_batch to the units on a first import, else into frame_stage. */
class JsonBatch implements Batch {
  private rows: string[] = [];
  private held: string[] = [];

  constructor(
    private readonly trx: fq.Trx,
    private readonly direct: Direct,
  ) {}

  add(row: fq.StagedRow, held: boolean): void {
    (this.direct && !held ? this.rows : this.held).push(fq.stagedRowJson(row));
  }

  async write(writeUnits: boolean): Promise<void> {
    const [rows, held] = [this.rows, this.held];
    [this.rows, this.held] = [[], []];
    await fq.stageFrameRows(this.trx, held);
    if (!this.direct || rows.length === 0) return;
    await fq.stageFrameRows(this.trx, rows, 'frame_batch');
    if (writeUnits) await fq.writeBatchUnits(this.trx, this.direct.waveId, this.direct.at);
    else await fq.stageBatchLines(this.trx);
  }
}

export class FrameStager {
  /** Rows of a first import held back because their id may repeat an earlier row's. */
  deferred = 0;
  private rows = 0;
  /** The ids a first import has seen (8 MiB, made only for one). */
  private readonly ids: IdFilter | null;
  private writing: Promise<void> | null = null;

  private constructor(
    private readonly trx: fq.Trx,
    private readonly batch: Batch,
    private readonly direct: Direct,
    idFilterBits?: number,
  ) {
    this.ids = direct ? new IdFilter(idFilterBits) : null;
  }

  static async open(trx: fq.Trx, direct: Direct, idFilterBits?: number): Promise<FrameStager> {
    await fq.createFrameStage(trx);
    const client = await pgClientOf(trx);
    if (direct && !client) await fq.createFrameBatch(trx);
    const batch = client ? new CopyBatch(client, direct) : new JsonBatch(trx, direct);
    return new FrameStager(trx, batch, direct, idFilterBits);
  }

  /** Adds a row; when a batch is full, waits for the previous batch and starts writing this one (true). */
  async add(row: fq.StagedRow, fileStillValid: () => boolean): Promise<boolean> {
    const held = this.ids?.addAndCheck(row.externalId) ?? false;
    if (held) this.deferred++;
    this.batch.add(row, held);
    if (++this.rows < BATCH_ROWS) {
      // Parsing buffered text never waits for I/O, so without a turn of the event loop now and then the server's
      // answer to a COPY is only read at the next read of the file, and the database idles until then.
      if (this.rows % YIELD_EVERY_ROWS === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      return false;
    }
    await this.flush(fileStillValid());
    return true;
  }

  /** Writes what is left and waits for every batch: its errors are thrown here. */
  async finish(fileStillValid: boolean): Promise<void> {
    await this.flush(fileStillValid);
    await this.writing;
  }

  /** A first import's held-back rows, once the duplicate check found none: they become units too. */
  async writeDeferred(): Promise<void> {
    if (this.direct && this.deferred > 0)
      await fq.insertDeferredUnits(this.trx, this.direct.waveId, this.direct.at);
  }

  private async flush(writeUnits: boolean): Promise<void> {
    await this.writing;
    this.rows = 0;
    this.writing = this.batch.write(writeUnits);
    this.writing.catch(() => {}); // awaited before the next batch or in finish(), which throws it
  }
}
