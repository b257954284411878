// Fieldwork rounds: a unit may hold several live links (the invitation's, and a reminder's, so a link already in
// use keeps working), opting out is per unit, and every mail sent is logged (without the address).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('invitation_live_frame_unit_key').execute();
  // Serves "the live links of this unit" (reissue revokes them all) and progress counts per unit.
  await db.schema
    .createIndex('invitation_frame_unit_id_idx')
    .on('invitation')
    .column('frame_unit_id')
    .execute();
  await db.schema
    .alterTable('invitation')
    .addColumn('purpose', 'text', (c) => c.notNull().defaultTo('invitation'))
    .execute();
  await db.schema
    .alterTable('invitation')
    .addCheckConstraint('invitation_purpose_check', sql`purpose in ('invitation', 'reminder', 'reissue')`)
    .execute();
  await db.schema.alterTable('frame_unit').addColumn('opted_out_at', 'timestamptz').execute();
  await db.schema
    .createTable('mail_log')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('wave_id', 'uuid', (c) => c.notNull().references('wave.id').onDelete('cascade'))
    .addColumn('frame_unit_id', 'uuid', (c) => c.notNull().references('frame_unit.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('error', 'text')
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('mail_log_kind_check', sql`kind in ('invitation', 'reminder')`)
    .addCheckConstraint('mail_log_status_check', sql`status in ('sent', 'failed')`)
    .execute();
  // Serves the send log of a wave.
  await db.schema.createIndex('mail_log_wave_id_idx').on('mail_log').column('wave_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mail_log').execute();
  await db.schema.alterTable('frame_unit').dropColumn('opted_out_at').execute();
  await db.schema.alterTable('invitation').dropColumn('purpose').execute();
  await db.schema.dropIndex('invitation_frame_unit_id_idx').execute();
  await db.schema
    .createIndex('invitation_live_frame_unit_key')
    .unique()
    .on('invitation')
    .column('frame_unit_id')
    .where(sql.ref('revoked_at'), 'is', null)
    .execute();
}
