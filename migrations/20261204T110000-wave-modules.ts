// The modules a wave runs: the core modules plus the theme modules of its year's rotation plan (or the themes
// chosen at creation). Null runs every module of the version, as waves did before and as the participant survey and
// instruments without a plan still do. Set once at creation and never changed, so a link's cached view of its wave
// (server/responses/links.ts) stays true.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('wave').addColumn('modules', sql`text[]`).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('wave').dropColumn('modules').execute();
}
