// Instruments and their immutable published versions.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('instrument')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('unit_type', 'text', (c) => c.notNull())
    .addColumn('source_locale', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('instrument_id_check', sql`id ~ '^[a-z][a-z0-9-]{1,62}$'`)
    .addCheckConstraint('instrument_unit_type_check', sql`unit_type in ('participant', 'municipality')`)
    .execute();

  await db.schema
    .createTable('instrument_version')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('instrument_id', 'text', (c) => c.notNull().references('instrument.id'))
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version > 0`))
    .addColumn('content_hash', 'text', (c) => c.notNull())
    // The compiled SurveyJS definition with every language merged in ({"default": …, "ar": …} strings).
    .addColumn('definition', 'jsonb', (c) => c.notNull())
    .addColumn('codebook', 'jsonb')
    // [{ "locale": "ar", "dir": "rtl", "status": "approved" }, …]
    .addColumn('locales', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('changelog', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('published_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('published_by', 'uuid', (c) => c.references('staff_user.id'))
    .addUniqueConstraint('instrument_version_number_key', ['instrument_id', 'version'])
    .addUniqueConstraint('instrument_version_content_hash_key', ['instrument_id', 'content_hash'])
    .execute();

  // A published version is immutable: waves pin it and responses are read against it for years.
  // The rule lives in the database so no code path (or psql session) can break it by accident.
  await sql`
    create function instrument_version_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'instrument versions are immutable (version %)', old.id
        using errcode = 'P0001', hint = 'publish a new version instead';
    end $$`.execute(db);
  await sql`
    create trigger instrument_version_immutable_trg
    before update or delete on instrument_version
    for each row execute function instrument_version_immutable()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('instrument_version').execute();
  await sql`drop function instrument_version_immutable()`.execute(db);
  await db.schema.dropTable('instrument').execute();
}
