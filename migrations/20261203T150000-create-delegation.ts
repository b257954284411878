// Delegation in the municipal survey: the chief executive hands sections (delegable pages) to colleagues, each with
// a link of its own; and a server-side revision counter that orders saves (ADR 5) instead of any device's clock.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // One delegate is one colleague with one link; the sections it may answer are its live delegation rows.
  await db.schema
    .createTable('delegate')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('wave_id', 'uuid', (c) => c.notNull().references('wave.id').onDelete('cascade'))
    .addColumn('frame_unit_id', 'uuid', (c) => c.notNull().references('frame_unit.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('revoked_at', 'timestamptz')
    .addUniqueConstraint('delegate_token_hash_key', ['token_hash'])
    .execute();
  // Serves "the delegates of this municipality" (overview, revocation).
  await db.schema.createIndex('delegate_frame_unit_id_idx').on('delegate').column('frame_unit_id').execute();

  // A colleague's name and address are contact data: kept apart, purged with the wave's other contacts.
  await db.schema
    .createTable('delegate_contact')
    .addColumn('delegate_id', 'uuid', (c) => c.primaryKey().references('delegate.id').onDelete('cascade'))
    .addColumn('name', 'text')
    .addColumn('email', 'text')
    .execute();

  await db.schema
    .createTable('delegation')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('wave_id', 'uuid', (c) => c.notNull().references('wave.id').onDelete('cascade'))
    .addColumn('frame_unit_id', 'uuid', (c) => c.notNull().references('frame_unit.id').onDelete('cascade'))
    .addColumn('section', 'text', (c) => c.notNull())
    .addColumn('delegate_id', 'uuid', (c) => c.notNull().references('delegate.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('done_at', 'timestamptz')
    .addColumn('ended_at', 'timestamptz')
    .addColumn('ended_reason', 'text')
    .addCheckConstraint('delegation_ended_reason_check', sql`ended_reason in ('redelegated', 'taken_back')`)
    .execute();
  // At most one live delegation per section of a municipality; serves the scope check on every save.
  await db.schema
    .createIndex('delegation_live_section_key')
    .unique()
    .on('delegation')
    .columns(['frame_unit_id', 'section'])
    .where(sql.ref('ended_at'), 'is', null)
    .execute();
  // Serves "the live sections of this delegate" on every delegate request.
  await db.schema
    .createIndex('delegation_delegate_id_idx')
    .on('delegation')
    .column('delegate_id')
    .where(sql.ref('ended_at'), 'is', null)
    .execute();

  // Each save takes the next value: answers remember the revision that set them, and a writer says which
  // revision it last saw. Global, so it keeps working whatever shape stored answers take later.
  await sql`create sequence answer_revision`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop sequence answer_revision`.execute(db);
  await db.schema.dropTable('delegation').execute();
  await db.schema.dropTable('delegate_contact').execute();
  await db.schema.dropTable('delegate').execute();
}
