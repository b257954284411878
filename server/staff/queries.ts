// All SQL for staff accounts, sessions and API tokens. Every function takes the executor first.
import { sql } from 'kysely';
import type { Executor } from '../audit/queries.ts';
import type { LoginThrottleTable, StaffRole } from '../db/schema.ts';

export function findStaffUserByEmail(db: Executor, email: string) {
  return db.selectFrom('staff_user').selectAll().where('email', '=', email).executeTakeFirst();
}

export function findStaffUserById(db: Executor, id: string) {
  return db.selectFrom('staff_user').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listStaffUsers(db: Executor) {
  return db.selectFrom('staff_user').selectAll().orderBy('email').execute();
}

export function insertStaffUser(
  db: Executor,
  row: {
    email: string;
    displayName: string;
    role: StaffRole;
    municipalityCode: string | null;
    passwordHash: string | null;
  },
) {
  return db
    .insertInto('staff_user')
    .values({
      email: row.email,
      display_name: row.displayName,
      role: row.role,
      municipality_code: row.municipalityCode,
      password_hash: row.passwordHash,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function markStaffUserDisabled(db: Executor, id: string, at: Date) {
  return db
    .updateTable('staff_user')
    .set({ disabled_at: at })
    .where('id', '=', id)
    .where('disabled_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export function updateStaffUserRole(
  db: Executor,
  id: string,
  change: { role: StaffRole; municipalityCode: string | null },
) {
  return db
    .updateTable('staff_user')
    .set({ role: change.role, municipality_code: change.municipalityCode })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The enabled admins, locked: two admins demoting each other at once cannot both pass the last-admin check. */
export function lockEnabledAdmins(db: Executor) {
  return db
    .selectFrom('staff_user')
    .select('id')
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .forUpdate()
    .execute();
}

export async function deleteSessionsOfUser(db: Executor, staffUserId: string): Promise<void> {
  await db.deleteFrom('staff_session').where('staff_user_id', '=', staffUserId).execute();
}

export async function revokeApiTokensOfUser(db: Executor, staffUserId: string, at: Date): Promise<void> {
  await db
    .updateTable('api_token')
    .set({ revoked_at: at })
    .where('staff_user_id', '=', staffUserId)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function insertSession(
  db: Executor,
  row: { tokenHash: string; staffUserId: string; csrfToken: string; expiresAt: Date; now: Date },
): Promise<void> {
  await db
    .insertInto('staff_session')
    .values({
      token_hash: row.tokenHash,
      staff_user_id: row.staffUserId,
      csrf_token: row.csrfToken,
      expires_at: row.expiresAt,
      created_at: row.now,
      last_seen_at: row.now,
    })
    .execute();
}

const principalColumns = [
  'staff_user.id',
  'staff_user.email',
  'staff_user.display_name',
  'staff_user.role',
  'staff_user.municipality_code',
] as const;

/** A live session and its enabled user, or nothing. */
export function findLiveSession(db: Executor, tokenHash: string, now: Date) {
  return db
    .selectFrom('staff_session')
    .innerJoin('staff_user', 'staff_user.id', 'staff_session.staff_user_id')
    .select([...principalColumns, 'staff_session.csrf_token', 'staff_session.token_hash'])
    .where('staff_session.token_hash', '=', tokenHash)
    .where('staff_session.expires_at', '>', now)
    .where('staff_user.disabled_at', 'is', null)
    .executeTakeFirst();
}

export async function deleteSession(db: Executor, tokenHash: string): Promise<void> {
  await db.deleteFrom('staff_session').where('token_hash', '=', tokenHash).execute();
}

export async function deleteExpiredSessions(db: Executor, now: Date): Promise<number> {
  const r = await db.deleteFrom('staff_session').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export function insertApiToken(
  db: Executor,
  row: { tokenHash: string; staffUserId: string; name: string; expiresAt: Date | null },
) {
  return db
    .insertInto('api_token')
    .values({
      token_hash: row.tokenHash,
      staff_user_id: row.staffUserId,
      name: row.name,
      expires_at: row.expiresAt,
    })
    .returning(['id', 'name', 'created_at', 'expires_at'])
    .executeTakeFirstOrThrow();
}

/** A live API token and its enabled user, or nothing. */
export function findLiveApiToken(db: Executor, tokenHash: string, now: Date) {
  return db
    .selectFrom('api_token')
    .innerJoin('staff_user', 'staff_user.id', 'api_token.staff_user_id')
    .select([...principalColumns, 'api_token.id as token_id'])
    .where('api_token.token_hash', '=', tokenHash)
    .where('api_token.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('api_token.expires_at', 'is', null), eb('api_token.expires_at', '>', now)]))
    .where('staff_user.disabled_at', 'is', null)
    .executeTakeFirst();
}

type ThrottleScope = LoginThrottleTable['scope'];

/**
 * Counts one attempt against a key and returns the count in its window, in one statement: the row lock of
 * ON CONFLICT DO UPDATE serialises parallel attempts, so each sees its own number. A window that has ended starts
 * again at 1.
 */
export function countLoginAttempt(db: Executor, scope: ThrottleScope, key: string, now: Date, since: Date) {
  const ended = sql<boolean>`login_throttle.window_started_at <= ${since}::timestamptz`;
  return db
    .insertInto('login_throttle')
    .values({ scope, key, window_started_at: now, attempts: 1 })
    .onConflict((oc) =>
      oc.columns(['scope', 'key']).doUpdateSet({
        window_started_at: sql`case when ${ended} then ${now}::timestamptz else login_throttle.window_started_at end`,
        attempts: sql`case when ${ended} then 1 else login_throttle.attempts + 1 end`,
      }),
    )
    .returning(['attempts', 'window_started_at'])
    .executeTakeFirstOrThrow();
}

/** Takes back one counted attempt (a login that succeeded was no failure). */
export async function uncountLoginAttempt(db: Executor, scope: ThrottleScope, key: string): Promise<void> {
  await db
    .updateTable('login_throttle')
    .set({ attempts: sql`greatest(attempts - 1, 0)` })
    .where('scope', '=', scope)
    .where('key', '=', key)
    .execute();
}

export async function forgetLoginAttempts(db: Executor, scope: ThrottleScope, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('scope', '=', scope).where('key', '=', key).execute();
}

/** Drops the counters whose window has ended, so the table holds only the current window's keys. */
export async function purgeLoginThrottle(db: Executor, since: Date): Promise<void> {
  await db.deleteFrom('login_throttle').where('window_started_at', '<=', since).execute();
}
