// Staff accounts, their sessions and API tokens. Respondents never log in, so they have no rows here.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('staff_user')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('municipality_code', 'text')
    // null: the account has no password and can only use API tokens.
    .addColumn('password_hash', 'text')
    .addColumn('disabled_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('staff_user_email_key', ['email'])
    .addCheckConstraint('staff_user_email_lower_check', sql`email = lower(email)`)
    .addCheckConstraint('staff_user_role_check', sql`role in ('admin', 'analyst', 'municipality')`)
    // A municipality user is bound to exactly one municipality (or Oslo district); nobody else is.
    .addCheckConstraint(
      'staff_user_municipality_check',
      sql`(role = 'municipality') = (municipality_code is not null)
          and (municipality_code is null or municipality_code ~ '^[0-9]{4}([0-9]{2})?$')`,
    )
    .execute();

  // Sessions live in the database so any number of server processes share them.
  await db.schema
    .createTable('staff_session')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('staff_user_id', 'uuid', (c) => c.notNull().references('staff_user.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // Serves "end every session of this user" when an account is disabled.
  await db.schema
    .createIndex('staff_session_staff_user_id_idx')
    .on('staff_session')
    .column('staff_user_id')
    .execute();

  await db.schema
    .createTable('api_token')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('staff_user_id', 'uuid', (c) => c.notNull().references('staff_user.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz')
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addUniqueConstraint('api_token_token_hash_key', ['token_hash'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('api_token').execute();
  await db.schema.dropTable('staff_session').execute();
  await db.schema.dropTable('staff_user').execute();
}
