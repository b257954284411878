// Links that are never lost: numbered rounds of links per wave, a send queue that survives a crash (a token is
// issued only when its mail goes out, as tokens are stored as hashes and cannot wait in a queue), one sender per
// wave at a time, and a send log that keeps a classified error instead of the SMTP text (which echoes addresses).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Round 1 is the opening; each reminder, and each later opening that issues links, is the next number.
  await db.schema
    .createTable('wave_round')
    .addColumn('wave_id', 'uuid', (c) => c.notNull().references('wave.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('wave_round_pkey', ['wave_id', 'number'])
    .addCheckConstraint('wave_round_kind_check', sql`kind in ('invitation', 'reminder')`)
    .execute();
  // Null for reissued links and for links issued before rounds were numbered.
  await db.schema.alterTable('invitation').addColumn('round', 'integer').execute();
  // Serves "the live links of round n" when a round's distribution list is produced again.
  await db.schema
    .createIndex('invitation_wave_round_idx')
    .on('invitation')
    .columns(['wave_id', 'round'])
    .where(sql.ref('round'), 'is not', null)
    .execute();

  await db.schema
    .createTable('mail_queue')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('wave_id', 'uuid', (c) => c.notNull())
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('frame_unit_id', 'uuid', (c) => c.notNull().references('frame_unit.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    // The language of the link and mail; null means the wave's first language.
    .addColumn('locale', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // The link of the latest attempt (its token went into the mail, and only there).
    .addColumn('invitation_id', 'uuid', (c) => c.references('invitation.id').onDelete('set null'))
    .addColumn('error_class', 'text')
    .addColumn('smtp_code', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .addForeignKeyConstraint(
      'mail_queue_round_fkey',
      ['wave_id', 'round'],
      'wave_round',
      ['wave_id', 'number'],
      (fk) => fk.onDelete('cascade'),
    )
    .addUniqueConstraint('mail_queue_round_unit_key', ['wave_id', 'round', 'frame_unit_id'])
    .addCheckConstraint('mail_queue_kind_check', sql`kind in ('invitation', 'reminder')`)
    .addCheckConstraint(
      'mail_queue_status_check',
      sql`status in ('pending', 'sending', 'sent', 'failed', 'skipped')`,
    )
    .execute();
  // Serves the sender's "due rows of this wave" and the per-status counts of its summary.
  await db.schema
    .createIndex('mail_queue_wave_status_due_idx')
    .on('mail_queue')
    .columns(['wave_id', 'status', 'next_attempt_at'])
    .execute();

  // Serves "has this unit a mail still to go out" (an opening or a reminder round skips such units) and the
  // cascade when a unit is deleted.
  await db.schema
    .createIndex('mail_queue_frame_unit_id_idx')
    .on('mail_queue')
    .column('frame_unit_id')
    .execute();

  // One sender per wave: a row here is a lease its holder renews with every mail it claims; a sender that died
  // leaves it to expire, and the next one resends what the dead one left in doubt.
  await db.schema
    .createTable('mail_send_lease')
    .addColumn('wave_id', 'uuid', (c) => c.primaryKey().references('wave.id').onDelete('cascade'))
    .addColumn('holder', 'uuid', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // The raw error text echoed recipients' addresses: it goes, with what it held, for a class and the SMTP code.
  await db.schema.alterTable('mail_log').dropColumn('error').execute();
  await db.schema.alterTable('mail_log').addColumn('error_class', 'text').execute();
  await db.schema.alterTable('mail_log').addColumn('smtp_code', 'integer').execute();
  await db.schema.alterTable('mail_log').addColumn('round', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_log').dropColumn('round').execute();
  await db.schema.alterTable('mail_log').dropColumn('smtp_code').execute();
  await db.schema.alterTable('mail_log').dropColumn('error_class').execute();
  await db.schema.alterTable('mail_log').addColumn('error', 'text').execute();
  await db.schema.dropTable('mail_send_lease').execute();
  await db.schema.dropTable('mail_queue').execute();
  await db.schema.dropIndex('invitation_wave_round_idx').execute();
  await db.schema.alterTable('invitation').dropColumn('round').execute();
  await db.schema.dropTable('wave_round').execute();
}
