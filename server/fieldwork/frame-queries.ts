// The SQL of a bulk frame import: rows go into a TEMP staging table of the import's transaction (gone at commit
// or rollback), then one set-based statement each checks, counts and upserts them. Plain SQL that PGlite and
// PostgreSQL both run; no COPY, which node-postgres cannot send to PGlite.
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Trx = Transaction<Database>;

/** A frame row as staged: snake_case, because json_to_recordset maps keys to the staging table's columns. */
export interface StagedRow {
  line: number;
  external_id: string;
  municipality_code: string | null;
  preferred_locale: string | null;
  attributes: Record<string, string>;
  name: string | null;
  email: string | null;
  phone: string | null;
}

const stageColumns = sql.raw(
  'line integer, external_id text, municipality_code text, preferred_locale text, attributes jsonb, ' +
    'name text, email text, phone text',
);

export async function createFrameStage(trx: Trx): Promise<void> {
  await sql`create temp table frame_stage (${stageColumns}) on commit drop`.execute(trx);
}

/**
 * Many rows in one statement with one parameter: a JSON array the server unpacks (`StagedRow`s, each already
 * JSON, so the row objects die young instead of piling up in the heap while a batch waits). A multi-row VALUES
 * list would take eight parameters a row (and stop at 65 535), and building it costs more than the JSON.
 */
export async function stageFrameRows(trx: Trx, rowsAsJson: string[]): Promise<void> {
  if (rowsAsJson.length === 0) return;
  await sql`insert into frame_stage
    select * from json_to_recordset(${`[${rowsAsJson.join(',')}]`}::json) as r(${stageColumns})`.execute(trx);
}

/** Temp tables are never analysed by autovacuum: without this the planner guesses a few rows and nests loops. */
export async function analyzeFrameStage(trx: Trx): Promise<void> {
  await sql`analyze frame_stage`.execute(trx);
}

/** How many rows repeat an id of an earlier row. */
export async function countDuplicateRows(trx: Trx): Promise<number> {
  const r = await sql<{ n: string }>`
    select coalesce(sum(n - 1), 0) as n
    from (select count(*) as n from frame_stage group by external_id having count(*) > 1) d`.execute(trx);
  return Number(r.rows[0]!.n);
}

/** The first `limit` rows (by line) that repeat an earlier row's id, each with that earlier row's line. */
export async function listDuplicateRows(trx: Trx, limit: number) {
  const r = await sql<{ line: number; external_id: string; first: number }>`
    with repeated as (
      select external_id, min(line) as first from frame_stage group by external_id having count(*) > 1
    )
    select s.line, s.external_id, r.first
    from frame_stage s join repeated r using (external_id)
    where s.line > r.first
    order by s.line
    limit ${limit}`.execute(trx);
  return r.rows;
}

/**
 * Counts, before writing, what the import will do: units added, units updated (anything changed, contact
 * included), and of those how many changed what a sample is drawn on (municipality, language, attributes).
 */
export async function classifyStagedRows(trx: Trx, waveId: string) {
  const r = await sql<{ rows: string; added: string; updated: string; redesigned: string }>`
    select
      count(*) as rows,
      count(*) filter (where f.id is null) as added,
      count(*) filter (where f.id is not null and (
        (f.municipality_code, f.preferred_locale, f.attributes)
          is distinct from (s.municipality_code, s.preferred_locale, s.attributes)
        or (c.name, c.email, c.phone) is distinct from (s.name, s.email, s.phone))) as updated,
      count(*) filter (where f.id is not null and
        (f.municipality_code, f.preferred_locale, f.attributes)
          is distinct from (s.municipality_code, s.preferred_locale, s.attributes)) as redesigned
    from frame_stage s
    left join frame_unit f on f.wave_id = ${waveId} and f.external_id = s.external_id
    left join unit_contact c on c.frame_unit_id = f.id`.execute(trx);
  const row = r.rows[0]!;
  return {
    rows: Number(row.rows),
    added: Number(row.added),
    updated: Number(row.updated),
    redesigned: Number(row.redesigned),
  };
}

/** One upsert by (wave, external id); a unit that did not change is not written at all. */
export async function upsertStagedUnits(trx: Trx, waveId: string): Promise<void> {
  await sql`
    insert into frame_unit (wave_id, external_id, municipality_code, preferred_locale, attributes)
    select ${waveId}::uuid, external_id, municipality_code, preferred_locale, attributes from frame_stage
    on conflict on constraint frame_unit_wave_external_id_key do update set
      municipality_code = excluded.municipality_code,
      preferred_locale = excluded.preferred_locale,
      attributes = excluded.attributes
    where (frame_unit.municipality_code, frame_unit.preferred_locale, frame_unit.attributes)
      is distinct from (excluded.municipality_code, excluded.preferred_locale, excluded.attributes)`.execute(
    trx,
  );
}

/** The contacts, kept apart from units and answers; one upsert after the units exist. */
export async function upsertStagedContacts(trx: Trx, waveId: string, at: Date): Promise<void> {
  await sql`
    insert into unit_contact (frame_unit_id, name, email, phone, updated_at)
    select f.id, s.name, s.email, s.phone, ${at}::timestamptz
    from frame_stage s join frame_unit f on f.wave_id = ${waveId} and f.external_id = s.external_id
    on conflict (frame_unit_id) do update set
      name = excluded.name, email = excluded.email, phone = excluded.phone, updated_at = excluded.updated_at
    where (unit_contact.name, unit_contact.email, unit_contact.phone)
      is distinct from (excluded.name, excluded.email, excluded.phone)`.execute(trx);
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
