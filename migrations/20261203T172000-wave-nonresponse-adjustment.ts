// The non-response adjustment a wave was closed with (classes, the classes without respondents and who carries
// them, the weight sum against N), kept with the wave so its weights can be documented and redone; and an index
// for progress, which counts one wave's invitations per unit.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('wave').addColumn('nonresponse_adjustment', 'jsonb').execute();
  // Serves progress (server/fieldwork/progress-queries.ts): one wave's invitations grouped by unit, read in unit
  // order from the index alone (no heap visit per link, no hash of a million links). The included columns are
  // what progress reads; on 1 000 000 links this halved the query, while a plain (wave_id, frame_unit_id) index
  // made it slower (random heap reads). frame_unit_wave_external_id_key and response_wave_status_idx serve the
  // query's other two tables. Raw SQL: the schema builder has no INCLUDE.
  await sql`create index invitation_wave_id_frame_unit_id_idx on invitation (wave_id, frame_unit_id)
    include (opened_at, revoked_at, purpose, locale)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('invitation_wave_id_frame_unit_id_idx').execute();
  await db.schema.alterTable('wave').dropColumn('nonresponse_adjustment').execute();
}
