// The rotation-plan year a wave's themes were taken from, when it was created without an opening date and without
// themes chosen by hand (null otherwise). Its texts' years ({referenceYear}) follow the year it is opened in; a
// wave created in December and opened in January would otherwise ask about the new year with the old year's
// themes. Opening compares the two and takes the plan of the year it opens in (server/fieldwork/wave-year.ts).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('wave').addColumn('modules_year', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('wave').dropColumn('modules_year').execute();
}
