// What the respondent flow needs beyond the first schema: pilot waves may offer draft languages, and responses
// keep paradata (languages used, device class, last save; never an IP address).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('wave')
    .addColumn('allow_draft_locales', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await db.schema
    .alterTable('response')
    .addColumn('locales_used', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('device_class', 'text')
    .addColumn('last_saved_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('response')
    .dropColumn('locales_used')
    .dropColumn('device_class')
    .dropColumn('last_saved_at')
    .execute();
  await db.schema.alterTable('wave').dropColumn('allow_draft_locales').execute();
}
