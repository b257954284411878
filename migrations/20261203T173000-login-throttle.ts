// Failed-login counters per (e-mail, source) and per source, one row each per time window. A counter row updated
// with INSERT … ON CONFLICT DO UPDATE … RETURNING is atomic, so parallel attempts cannot all read "under the limit";
// and the table stays bounded (one row per key, old windows purged) where the audit log would grow with every guess.
// Also an index for deleting expired sessions in one statement.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('login_throttle')
    // 'account': key is "<e-mail> <source>"; 'source': key is the client address (IPv6 by its /64).
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('window_started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('login_throttle_pkey', ['scope', 'key'])
    .addCheckConstraint('login_throttle_scope_check', sql`scope in ('account', 'source', 'unknown_email')`)
    .execute();
  // Serves the purge of finished windows (staff/queries.ts purgeLoginThrottle).
  await db.schema
    .createIndex('login_throttle_window_started_at_idx')
    .on('login_throttle')
    .column('window_started_at')
    .execute();
  // Serves deleteExpiredSessions, run at every login.
  await db.schema
    .createIndex('staff_session_expires_at_idx')
    .on('staff_session')
    .column('expires_at')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('staff_session_expires_at_idx').execute();
  await db.schema.dropTable('login_throttle').execute();
}
