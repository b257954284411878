// Each wave's small-cell threshold K (ADR 6): figures based on fewer respondents are suppressed for municipality
// users. 5 unless a wave asks for more (a small census may need a higher K).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('wave')
    .addColumn('small_cell_k', 'integer', (c) => c.notNull().defaultTo(5))
    .execute();
  await db.schema
    .alterTable('wave')
    .addCheckConstraint('wave_small_cell_k_check', sql`small_cell_k between 2 and 100`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('wave').dropColumn('small_cell_k').execute();
}
