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
import type { Database } from '../db/schema.ts';
import { isDatabaseUnavailable } from '../http/errors.ts';

export interface SaveCall {
  tokenHash: string;
  main: boolean;
  now: Date;
  locale: string | null;
  answers: Record<string, unknown>;
  bases: Record<string, number>;
  sections: string[];
  hasPage: boolean;
  page: string | null;
  by: string;
  device: string;
  seq: number | null;
  deviceClass: string | null;
  /** The unit the save writes to: batches lock responses in unit order, so two batches cannot deadlock. */
  unitId: string;
}

type Revision = string | null;

/** One save alone: one statement, committed when it returns. */
export async function saveOne(db: Kysely<Database>, s: SaveCall): Promise<Revision> {
  const result = await sql<{ rev: string | null }>`select respondent_save(
    ${s.tokenHash}, ${s.main}, ${s.now}, ${s.now.toISOString()}, ${s.locale}::text,
    ${JSON.stringify(s.answers)}::jsonb, ${JSON.stringify(s.bases)}::jsonb, ${s.sections}::text[],
    ${s.hasPage}, ${s.page}::text, ${s.by}, ${s.device}, ${s.seq}::bigint,
    ${s.deviceClass}::text) as rev`.execute(db);
  return result.rows[0]?.rev ?? null;
}

/** Several saves as one statement, in the given order; all committed together, or none. */
async function saveMany(db: Kysely<Database>, saves: SaveCall[]): Promise<Revision[]> {
  const records = saves.map((s, i) => ({
    i,
    token_hash: s.tokenHash,
    main: s.main,
    now: s.now.toISOString(),
    locale: s.locale,
    answers: s.answers,
    bases: s.bases,
    sections: s.sections,
    has_page: s.hasPage,
    page: s.page,
    writer: s.by,
    device: s.device,
    seq: s.seq,
    device_class: s.deviceClass,
  }));
  // The function scan yields the records in array order, and each call sees the ones before it (it is volatile).
  const result = await sql<{ i: number; rev: string | null }>`select s.i, respondent_save(
      s.token_hash, s.main, s.now, s.now::text, s.locale, s.answers, s.bases,
      array(select jsonb_array_elements_text(s.sections)), s.has_page, s.page, s.writer, s.device, s.seq,
      s.device_class) as rev
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as s(i int, token_hash text, main boolean,
      now timestamptz, locale text, answers jsonb, bases jsonb, sections jsonb, has_page boolean, page text,
      writer text, device text, seq bigint, device_class text)`.execute(db);
  const revs: Revision[] = saves.map(() => null);
  for (const row of result.rows) revs[row.i] = row.rev;
  return revs;
}

interface Waiting {
  save: SaveCall;
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

  save(save: SaveCall): Promise<Revision> {
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
    if (batch.length === 1) {
      const [only] = batch as [Waiting];
      await saveOne(this.db, only.save).then(only.resolve, only.reject);
      return;
    }
    // Unit order is lock order; saves to the same unit keep their arrival order (the sort is stable).
    const ordered = [...batch].sort((a, b) =>
      a.save.unitId < b.save.unitId ? -1 : a.save.unitId > b.save.unitId ? 1 : 0,
    );
    try {
      const revs = await saveMany(
        this.db,
        ordered.map((w) => w.save),
      );
      for (const [i, w] of ordered.entries()) w.resolve(revs[i] ?? null);
    } catch (err) {
      // A database out of reach fails every save of the batch now: one by one, each would wait for it in turn.
      if (isDatabaseUnavailable(err)) {
        for (const w of ordered) w.reject(err);
        return;
      }
      // Rolled back whole: each save alone, in the same order, so the failing one fails by itself.
      for (const w of ordered) await saveOne(this.db, w.save).then(w.resolve, w.reject);
    }
  }
}

const batchers = new WeakMap<Kysely<Database>, SaveBatcher>();

/** The batcher of a database handle (one per handle, created on its first save). */
export function saveBatcherOf(db: Kysely<Database>, parallel: number): SaveBatcher {
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = new SaveBatcher(db, parallel);
    batchers.set(db, batcher);
  }
  return batcher;
}
