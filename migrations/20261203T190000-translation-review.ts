// The translation review workflow: a working translation per instrument, language and string (the database twin
// of locales/<lng>/surveys/<instrument>.json), every change to it, comments, and the translator staff role.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table staff_user drop constraint staff_user_role_check`.execute(db);
  await sql`alter table staff_user add constraint staff_user_role_check
    check (role in ('admin', 'analyst', 'municipality', 'translator'))`.execute(db);

  // One working text per string, keyed like the locale files: the source hash says which source wording it
  // translates, so a version whose source differs sees it as stale. No row: the version's own text counts.
  await db.schema
    .createTable('translation_string')
    .addColumn('instrument_id', 'text', (c) => c.notNull().references('instrument.id'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('source_hash', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // Who wrote the current text; null for a machine draft that came with the version.
    .addColumn('edited_by', 'uuid', (c) => c.references('staff_user.id'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('translation_string_pkey', ['instrument_id', 'locale', 'key'])
    .addCheckConstraint('translation_string_status_check', sql`status in ('draft', 'reviewed', 'approved')`)
    .execute();

  await db.schema
    .createTable('translation_event')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('instrument_id', 'text', (c) => c.notNull().references('instrument.id'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('staff_user_id', 'uuid', (c) => c.notNull().references('staff_user.id'))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('translation_event_action_check', sql`action in ('edited', 'imported', 'status')`)
    .execute();
  // Serves a language's history on the strings page.
  await db.schema
    .createIndex('translation_event_string_idx')
    .on('translation_event')
    .columns(['instrument_id', 'locale', 'key', 'at'])
    .execute();

  await db.schema
    .createTable('translation_comment')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('instrument_id', 'text', (c) => c.notNull().references('instrument.id'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('staff_user_id', 'uuid', (c) => c.notNull().references('staff_user.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Serves a language's comments on the strings page.
  await db.schema
    .createIndex('translation_comment_string_idx')
    .on('translation_comment')
    .columns(['instrument_id', 'locale', 'key', 'created_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('translation_comment').execute();
  await db.schema.dropTable('translation_event').execute();
  await db.schema.dropTable('translation_string').execute();
  await sql`alter table staff_user drop constraint staff_user_role_check`.execute(db);
  await sql`alter table staff_user add constraint staff_user_role_check
    check (role in ('admin', 'analyst', 'municipality'))`.execute(db);
}
