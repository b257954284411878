// Waves, their frames, the contact data kept apart from answers, invitations and responses.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('wave')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('instrument_id', 'text', (c) => c.notNull().references('instrument.id'))
    .addColumn('instrument_version_id', 'uuid', (c) => c.notNull().references('instrument_version.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('unit_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('locales', sql`text[]`, (c) => c.notNull())
    .addColumn('opens_at', 'timestamptz')
    .addColumn('closes_at', 'timestamptz')
    // Sampling design, seed and allocation, kept so a sample can be reproduced and documented.
    .addColumn('sampling', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('opened_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addCheckConstraint('wave_mode_check', sql`mode in ('census', 'sample')`)
    .addCheckConstraint('wave_unit_type_check', sql`unit_type in ('participant', 'municipality')`)
    .addCheckConstraint('wave_status_check', sql`status in ('draft', 'open', 'closed')`)
    .addCheckConstraint(
      'wave_period_check',
      sql`opens_at is null or closes_at is null or opens_at < closes_at`,
    )
    .execute();

  await db.schema
    .createTable('frame_unit')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('wave_id', 'uuid', (c) => c.notNull().references('wave.id').onDelete('cascade'))
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('municipality_code', 'text')
    .addColumn('preferred_locale', 'text')
    // Extra frame columns, kept as stratification and analysis variables.
    .addColumn('attributes', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('selected', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('stratum', 'text')
    .addColumn('inclusion_probability', 'double precision')
    .addColumn('design_weight', 'double precision')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('frame_unit_wave_external_id_key', ['wave_id', 'external_id'])
    .execute();

  // Contact data lives apart from answers so a closed wave's contacts can be purged by deleting rows here.
  await db.schema
    .createTable('unit_contact')
    .addColumn('frame_unit_id', 'uuid', (c) => c.primaryKey().references('frame_unit.id').onDelete('cascade'))
    .addColumn('name', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('invitation')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('wave_id', 'uuid', (c) => c.notNull().references('wave.id').onDelete('cascade'))
    .addColumn('frame_unit_id', 'uuid', (c) => c.notNull().references('frame_unit.id').onDelete('cascade'))
    // SHA-256 of the access token; the token itself is never stored.
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('locale', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('opened_at', 'timestamptz')
    .addColumn('opted_out_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addUniqueConstraint('invitation_token_hash_key', ['token_hash'])
    .execute();
  // Reissuing a link revokes the old invitation: at most one live invitation per unit.
  await db.schema
    .createIndex('invitation_live_frame_unit_key')
    .unique()
    .on('invitation')
    .column('frame_unit_id')
    .where(sql.ref('revoked_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('response')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('wave_id', 'uuid', (c) => c.notNull().references('wave.id').onDelete('cascade'))
    .addColumn('frame_unit_id', 'uuid', (c) => c.notNull().references('frame_unit.id').onDelete('cascade'))
    .addColumn('instrument_version_id', 'uuid', (c) => c.notNull().references('instrument_version.id'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('in_progress'))
    // Question code → value, as SurveyJS writes it.
    .addColumn('answers', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    // Question code → { by, at, seq }: who set each value and when, so concurrent writers merge per question.
    .addColumn('answer_meta', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('current_page', 'text')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('completed_at', 'timestamptz')
    .addColumn('nonresponse_weight', 'double precision')
    .addUniqueConstraint('response_frame_unit_key', ['frame_unit_id'])
    .addCheckConstraint('response_status_check', sql`status in ('in_progress', 'completed')`)
    .execute();
  // Serves progress counts and exports, which always read one wave's responses.
  await db.schema
    .createIndex('response_wave_status_idx')
    .on('response')
    .columns(['wave_id', 'status'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['response', 'invitation', 'unit_contact', 'frame_unit', 'wave']) {
    await db.schema.dropTable(table).execute();
  }
}
