// Saves that arrive together are written together (issue 12). Each save was its own statement, round trip,
// transaction and commit (a flush of the write-ahead log), and at 50 concurrent respondents that cost about as much
// as the save itself, on both the server and PostgreSQL. So while earlier saves are being written, the saves that
// arrive meanwhile wait in a queue, and go to PostgreSQL as one statement: one round trip, one commit, the same
// `respondent_save` per save, in arrival order. Nothing is acknowledged before its batch has committed, so a 200
// still means durable.
//
// Only the requests in flight are held here, never anything another request needs: a second server process keeps
// its own queue, and the database decides everything (ADR 5). A batch that fails as a whole (a deadlock between
// two batches, a save that raises) is rolled back whole and each of its saves is then tried alone, so one save's
// error is never another's; when the database cannot be reached, every save of the batch fails at once (a 503).
import { type Kysely, sql } from 'kysely';
import type { Executor } from '../audit/queries.ts';
import { connectionsOf } from '../db/connect.ts';
import type { Database } from '../db/schema.ts';
import { isDatabaseUnavailable } from '../http/errors.ts';
import type { MergeSave } from './queries.ts';

/** The revision a save took, or null when the function refused it (the caller asks why). */
type Revision = string | null;

/**
 * Saves as one statement, in the given order (a single save the same way): all committed together, or none.
 * `respondent_save` is migrations/20261204T120000-respondent-save-merge-loop.ts.
 */
async function writeSaves(db: Executor, saves: MergeSave[]): Promise<Revision[]> {
  const records = saves.map((s, i) => ({
    i,
    token_hash: s.tokenHash,
    main: s.link === 'invitation',
    now: s.now.toISOString(),
    locale: s.locale,
    answers: s.answers,
    bases: s.bases,
    sections: s.sections,
    has_page: s.page !== undefined,
    page: s.page ?? null,
    writer: s.by,
    device: s.device,
    seq: s.seq,
    device_class: s.deviceClass,
  }));
  // The function scan yields the records in array order, and each call sees the ones before it (it is volatile).
  // The time a save records (`at`, shown to writers in conflicts and provenance) is the ISO text it was sent as.
  const result = await sql<{ i: number; rev: string | null }>`select s.i, respondent_save(
      s.token_hash, s.main, s.now::timestamptz, s.now, s.locale, s.answers, s.bases,
      array(select jsonb_array_elements_text(s.sections)), s.has_page, s.page, s.writer, s.device, s.seq,
      s.device_class) as rev
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as s(i int, token_hash text, main boolean,
      now text, locale text, answers jsonb, bases jsonb, sections jsonb, has_page boolean, page text,
      writer text, device text, seq bigint, device_class text)`.execute(db);
  const revs: Revision[] = saves.map(() => null);
  for (const row of result.rows) revs[row.i] = row.rev;
  return revs;
}

interface Waiting {
  save: MergeSave;
  resolve: (rev: Revision) => void;
  reject: (err: unknown) => void;
}

/** The most saves in one statement: beyond this a batch holds its row locks longer than it saves in commits. */
const maxBatch = 100;
/**
 * While a batch is being written, a second starts only when this many saves wait; fewer wait for the first to
 * finish. Sent at once, a save arriving just after a batch left went alone: measured at 50 concurrent respondents,
 * half of all statements were single saves, each paying a commit. With 20: 15 % more saves per second, and an
 * unloaded server still writes each save the moment it arrives.
 */
const secondBatchFrom = 20;

export class SaveBatcher {
  private queue: Waiting[] = [];
  private inFlight = 0;

  constructor(
    private readonly db: Kysely<Database>,
    /** Batches written at once; PGlite has one connection, so one. */
    private readonly parallel: number,
  ) {}

  save(save: MergeSave): Promise<Revision> {
    return new Promise((resolve, reject) => {
      this.queue.push({ save, resolve, reject });
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.parallel && this.queue.length > 0) {
      if (this.inFlight > 0 && this.queue.length < secondBatchFrom) return;
      const batch = this.queue.splice(0, maxBatch);
      this.inFlight += 1;
      this.write(batch).finally(() => {
        this.inFlight -= 1;
        this.flush();
      });
    }
  }

  private async write(batch: Waiting[]): Promise<void> {
    // Unit order is lock order; saves to the same unit keep their arrival order (the sort is stable).
    const ordered = [...batch].sort((a, b) =>
      a.save.unitId < b.save.unitId ? -1 : a.save.unitId > b.save.unitId ? 1 : 0,
    );
    try {
      const revs = await writeSaves(
        this.db,
        ordered.map((w) => w.save),
      );
      for (const [i, w] of ordered.entries()) w.resolve(revs[i] ?? null);
    } catch (err) {
      // A lone save's error is its own; a database out of reach fails every save of the batch now (one by one,
      // each would wait for it in turn).
      if (ordered.length === 1 || isDatabaseUnavailable(err)) {
        for (const w of ordered) w.reject(err);
        return;
      }
      // Rolled back whole: each save alone, in the same order, so the failing one fails by itself.
      for (const w of ordered)
        await writeSaves(this.db, [w.save]).then(([rev]) => w.resolve(rev ?? null), w.reject);
    }
  }
}

const batchers = new WeakMap<Kysely<Database>, SaveBatcher>();

/**
 * A save, committed when it resolves: inside a caller's transaction, as part of it; otherwise with the saves
 * arriving with it, through the handle's batcher (one per handle, made on its first save). Two batches at a time:
 * measured at 50 concurrent respondents, 1–2 gave the most saves per second, 5 and 9 fewer (smaller batches, more
 * commits); two keeps one slow batch from holding up every save. PGlite has one connection, so one.
 */
export async function writeSave(db: Executor, save: MergeSave): Promise<Revision> {
  if (db.isTransaction) return (await writeSaves(db, [save]))[0] ?? null;
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = new SaveBatcher(db, Math.min(2, connectionsOf(db)));
    batchers.set(db, batcher);
  }
  return batcher.save(save);
}
