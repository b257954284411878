// A round is issued page by page (server/fieldwork/queue-rounds.ts); each page asks, per unit, whether a mail of
// the unit still waits to go out. Without an index on the unit that question reads the whole queue for every page,
// and a national round with mail (a million queued rows) grows quadratic. Partial: only waiting mail is asked for.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('mail_queue_waiting_frame_unit_idx')
    .on('mail_queue')
    .column('frame_unit_id')
    .where(sql.ref('status'), 'in', sql`('pending', 'sending')`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('mail_queue_waiting_frame_unit_idx').execute();
}
