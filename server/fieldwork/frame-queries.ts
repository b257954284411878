// The SQL of a bulk frame import: rows go into a TEMP staging table of the import's transaction (gone at commit
// or rollback), then set-based statements check, count and write them. Plain SQL that PGlite and PostgreSQL both
// run; on PostgreSQL the rows themselves arrive by COPY (frame-copy.ts), which node-postgres cannot send to PGlite.
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

export type Trx = Transaction<Database>;

/** A frame row as staged, under the id its unit gets if it is new (a UUID v7, made while staging). */
export interface StagedRow {
  id: string;
  line: number;
  externalId: string;
  municipalityCode: string | null;
  preferredLocale: string | null;
  attributes: Record<string, string>;
  name: string | null;
  email: string | null;
  phone: string | null;
}

// `known`: the wave already has a unit with this external id, `id` is that unit's, and `redesigned` and
// `recontacted` say whether the row changes its design fields or its contact (resolveKnownUnits).
const stageColumns = sql.raw(
  'id uuid, line integer, external_id text, municipality_code text, preferred_locale text, attributes jsonb, ' +
    'name text, email text, phone text, known boolean not null default false, redesigned boolean, ' +
    'recontacted boolean',
);

export async function createFrameStage(trx: Trx): Promise<void> {
  await sql`create temp table frame_stage (${stageColumns}) on commit drop`.execute(trx);
}

/** The tables rows are staged into: the whole frame, or one batch on its way to the wave (writeBatchUnits). */
export type StageTable = 'frame_stage' | 'frame_batch';

/** A batch's rows between arriving and becoming units, emptied after each (a first import on PGlite). */
export async function createFrameBatch(trx: Trx): Promise<void> {
  await sql`create temp table frame_batch (${stageColumns}) on commit drop`.execute(trx);
}

/** Whether the wave has any unit yet: a first import writes each batch straight to the wave. */
export async function waveHasUnits(trx: Trx, waveId: string): Promise<boolean> {
  const r = await sql<{ has: boolean }>`
    select exists (select 1 from frame_unit where wave_id = ${waveId}) as has`.execute(trx);
  return r.rows[0]!.has;
}

/**
 * A first import's batch becomes units and contacts in one statement while the next batch is read, so the
 * database writes as the file streams instead of after it (on PostgreSQL the same rows go by COPY, frame-stage.ts).
 * Plain INSERTs: the batch holds only ids the import has certainly not seen before (frame-id-filter.ts); the
 * others wait in frame_stage (insertDeferredUnits). Every row's id and line go on to frame_stage for the duplicate
 * check.
 */
export async function writeBatchUnits(trx: Trx, waveId: string, at: Date): Promise<void> {
  await sql`
    with unit as (
      insert into frame_unit (id, wave_id, external_id, municipality_code, preferred_locale, attributes)
      select id, ${waveId}::uuid, external_id, municipality_code, preferred_locale, attributes from frame_batch
    ),
    contact as (
      insert into unit_contact (frame_unit_id, name, email, phone, updated_at)
      select id, name, email, phone, ${at}::timestamptz from frame_batch
    )
    insert into frame_stage (line, external_id) select line, external_id from frame_batch`.execute(trx);
  await sql`truncate frame_batch`.execute(trx);
}

/**
 * A first import's rows whose id might have been seen, staged whole (with their id, unlike the batches' lines),
 * become units once the duplicate check found none.
 */
export async function insertDeferredUnits(trx: Trx, waveId: string, at: Date): Promise<void> {
  await sql`
    with unit as (
      insert into frame_unit (id, wave_id, external_id, municipality_code, preferred_locale, attributes)
      select id, ${waveId}::uuid, external_id, municipality_code, preferred_locale, attributes
      from frame_stage where id is not null
    )
    insert into unit_contact (frame_unit_id, name, email, phone, updated_at)
    select id, name, email, phone, ${at}::timestamptz from frame_stage where id is not null`.execute(trx);
}

/** A batch of a file already refused: only its ids and lines are kept, to count and list duplicates. */
export async function stageBatchLines(trx: Trx): Promise<void> {
  await sql`insert into frame_stage (line, external_id) select line, external_id from frame_batch`.execute(
    trx,
  );
  await sql`truncate frame_batch`.execute(trx);
}

/**
 * A staged row as a JSON array, its values by position: half the server's work of an object per row (no keys to
 * match to columns), and the caller keeps strings, not row objects, while a batch waits.
 */
export function stagedRowJson(r: StagedRow): string {
  return JSON.stringify([
    r.id,
    r.line,
    r.externalId,
    r.municipalityCode,
    r.preferredLocale,
    r.attributes,
    r.name,
    r.email,
    r.phone,
  ]);
}

/**
 * Many rows in one statement with one parameter, a JSON array of `stagedRowJson`s that the server unpacks. A
 * multi-row VALUES list would take nine parameters a row (and stop at 65 535), and building it costs more.
 */
export async function stageFrameRows(
  trx: Trx,
  rowsAsJson: string[],
  table: StageTable = 'frame_stage',
): Promise<void> {
  if (rowsAsJson.length === 0) return;
  await sql`insert into ${sql.table(table)} (id, line, external_id, municipality_code, preferred_locale, attributes,
      name, email, phone)
    select (r ->> 0)::uuid, (r ->> 1)::int, r ->> 2, r ->> 3, r ->> 4, r -> 5, r ->> 6, r ->> 7, r ->> 8
    from jsonb_array_elements(${`[${rowsAsJson.join(',')}]`}::jsonb) as r`.execute(trx);
}

/**
 * Memory for sorting and hashing a whole frame, for the rest of the transaction only: the duplicate check, the
 * lookup of known units and a draw's ranking each hash or sort up to a frame's worth of rows, and PostgreSQL's
 * default of 4 MB sends a 1 000 000-unit frame to temporary files in batches.
 */
export async function allowFrameSizedWork(trx: Trx): Promise<void> {
  await sql`set local work_mem = '64MB'`.execute(trx);
}

/** Temp tables are never analysed by autovacuum: without this the planner guesses a few rows and nests loops. */
export async function analyzeFrameStage(trx: Trx): Promise<void> {
  await sql`analyze frame_stage`.execute(trx);
}

/**
 * The staged rows a duplicate check looks at. After a first import only ids held back as possible repeats can
 * repeat (frame-id-filter.ts), and they are the staged rows with an id: a scan for those few ids instead of a
 * grouping of the whole frame.
 */
function checkedRows(onlyHeld: boolean) {
  return onlyHeld
    ? sql`select line, external_id from frame_stage
        where external_id in (select external_id from frame_stage where id is not null)`
    : sql`select line, external_id from frame_stage`;
}

/** How many rows repeat an id of an earlier row. */
export async function countDuplicateRows(trx: Trx, onlyHeld = false): Promise<number> {
  const r = await sql<{ n: string }>`
    select coalesce(sum(n - 1), 0) as n
    from (select count(*) as n from (${checkedRows(onlyHeld)}) s group by external_id having count(*) > 1) d`.execute(
    trx,
  );
  return Number(r.rows[0]!.n);
}

/** The first `limit` rows (by line) that repeat an earlier row's id, each with that earlier row's line. */
export async function listDuplicateRows(trx: Trx, limit: number, onlyHeld = false) {
  const r = await sql<{ line: number; external_id: string; first: number }>`
    with checked as (${checkedRows(onlyHeld)}),
    repeated as (
      select external_id, min(line) as first from checked group by external_id having count(*) > 1
    )
    select s.line, s.external_id, r.first
    from checked s join repeated r using (external_id)
    where s.line > r.first
    order by s.line
    limit ${limit}`.execute(trx);
  return r.rows;
}

/**
 * Units the wave has already take their own id, found once by external id, and what each row would change is
 * decided in the same pass: later statements write by primary key, only where something changes. Returns the
 * known rows, those that change anything (contact included), and those that change what a sample is drawn on
 * (municipality, language, attributes). A unit without a contact row compares as one with an empty contact.
 */
export async function resolveKnownUnits(trx: Trx, waveId: string) {
  const r = await sql<{ known: string; updated: string; redesigned: string }>`
    with resolved as (
      update frame_stage s set id = f.id, known = true,
        redesigned = (f.municipality_code, f.preferred_locale, f.attributes)
          is distinct from (s.municipality_code, s.preferred_locale, s.attributes),
        recontacted = (c.name, c.email, c.phone) is distinct from (s.name, s.email, s.phone)
      from frame_unit f left join unit_contact c on c.frame_unit_id = f.id
      where f.wave_id = ${waveId} and f.external_id = s.external_id
      returning s.redesigned, s.recontacted
    )
    select count(*) as known, count(*) filter (where redesigned or recontacted) as updated,
      count(*) filter (where redesigned) as redesigned
    from resolved`.execute(trx);
  const row = r.rows[0]!;
  return { known: Number(row.known), updated: Number(row.updated), redesigned: Number(row.redesigned) };
}

/**
 * New units by plain INSERT under the ids made while staging: time-ordered (UUID v7), so the primary key grows
 * at its right edge instead of splitting pages at random, and no conflict to check (the wave is locked and the
 * known rows were found).
 */
export async function insertNewUnits(trx: Trx, waveId: string): Promise<void> {
  await sql`
    insert into frame_unit (id, wave_id, external_id, municipality_code, preferred_locale, attributes)
    select id, ${waveId}::uuid, external_id, municipality_code, preferred_locale, attributes
    from frame_stage where not known`.execute(trx);
}

/** The new units' contacts, from the same staged rows: the ids are known, no join needed. */
export async function insertNewContacts(trx: Trx, at: Date): Promise<void> {
  await sql`
    insert into unit_contact (frame_unit_id, name, email, phone, updated_at)
    select id, name, email, phone, ${at}::timestamptz from frame_stage where not known`.execute(trx);
}

/** Known units whose design fields change, by id; the others are not written at all. */
export async function updateKnownUnits(trx: Trx, waveId: string): Promise<void> {
  await sql`
    update frame_unit f set
      municipality_code = s.municipality_code, preferred_locale = s.preferred_locale, attributes = s.attributes
    from frame_stage s
    where s.known and s.redesigned and f.wave_id = ${waveId} and f.id = s.id`.execute(trx);
}

/** Known units' changed contacts; an upsert, since a unit built from the reference list has none until a file. */
export async function upsertKnownContacts(trx: Trx, at: Date): Promise<void> {
  await sql`
    insert into unit_contact (frame_unit_id, name, email, phone, updated_at)
    select id, name, email, phone, ${at}::timestamptz from frame_stage where known and recontacted
    on conflict (frame_unit_id) do update set
      name = excluded.name, email = excluded.email, phone = excluded.phone, updated_at = excluded.updated_at`.execute(
    trx,
  );
}

/**
 * Fresh statistics after a bulk load: autovacuum analyses the table a while later, and until then the planner
 * takes the wave for a few hundred units and plans the next draw or open as nested loops over a million.
 */
export async function analyzeFrameTables(trx: Trx): Promise<void> {
  await sql`analyze frame_unit, unit_contact`.execute(trx);
}

/** Forgets a drawn sample: selection, strata, probabilities and weights, and the wave's stored design. */
export async function clearSampleDraw(trx: Trx, waveId: string): Promise<void> {
  await trx
    .updateTable('frame_unit')
    .set({ selected: false, stratum: null, inclusion_probability: null, design_weight: null })
    .where('wave_id', '=', waveId)
    .execute();
  await trx.updateTable('wave').set({ sampling: null }).where('id', '=', waveId).execute();
}
