// Staff accounts: creating, disabling, logging out, API tokens, and who is behind a request (login.ts logs in).
import { type AuditEntry, recordAudit } from '../audit/queries.ts';
import type { Db } from '../db/connect.ts';
import type { StaffPrincipal } from '../http/context.ts';
import { ConflictError, isUniqueViolation, NotFoundError } from '../http/errors.ts';
import { hashPassword } from '../security/password.ts';
import { hashSecretToken, newSecretToken } from '../security/secret-token.ts';
import * as q from './queries.ts';
import { type NewStaffUser, type StaffRoleChange, toPublicStaffUser } from './schemas.ts';

export type Actor = AuditEntry['actor'];

export const apiTokenPrefix = 'svar_';
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function createStaffUser(db: Db, input: NewStaffUser, actor: Actor, requestId?: string) {
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  try {
    return await db.transaction().execute(async (trx) => {
      const user = await q.insertStaffUser(trx, {
        email: input.email,
        displayName: input.displayName,
        role: input.role,
        municipalityCode: input.municipalityCode ?? null,
        passwordHash,
      });
      await recordAudit(trx, {
        actor,
        action: 'staff.user_created',
        subject: { kind: 'staff_user', id: user.id },
        details: { email: user.email, role: user.role, municipalityCode: user.municipality_code },
        requestId: requestId ?? null,
      });
      return toPublicStaffUser(user);
    });
  } catch (err) {
    if (isUniqueViolation(err, 'staff_user_email_key')) {
      throw new ConflictError(
        'email_taken',
        `A staff account with the e-mail ${input.email} already exists.`,
      );
    }
    throw err;
  }
}

export async function listStaff(db: Db) {
  return (await q.listStaffUsers(db)).map(toPublicStaffUser);
}

/**
 * The last enabled admin can be neither demoted nor disabled, or nobody could administer accounts any more
 * (`svar staff create --role admin` on the server stays the way back). Called with the enabled admins locked.
 */
function refuseLosingLastAdmin(
  user: { role: string; disabled_at: Date | null },
  enabledAdmins: number,
  staysAdmin: boolean,
) {
  const losesAdmin = user.role === 'admin' && !user.disabled_at && !staysAdmin;
  if (losesAdmin && enabledAdmins <= 1) {
    throw new ConflictError('last_admin', 'This is the only enabled admin: make another admin first.');
  }
}

/** Disables an account and ends its sessions and API tokens at once. The last enabled admin stays. */
export async function disableStaffUser(
  db: Db,
  idOrEmail: string,
  actor: Actor,
  now: Date,
  requestId?: string,
) {
  return db.transaction().execute(async (trx) => {
    const admins = await q.lockEnabledAdmins(trx);
    const user = idOrEmail.includes('@')
      ? await q.findStaffUserByEmail(trx, idOrEmail.toLowerCase())
      : uuidPattern.test(idOrEmail)
        ? await q.findStaffUserById(trx, idOrEmail)
        : undefined;
    if (!user) throw new NotFoundError(`No staff account ${idOrEmail}.`, 'staff_user_not_found');
    refuseLosingLastAdmin(user, admins.length, false);
    const disabled = (await q.markStaffUserDisabled(trx, user.id, now)) ?? user;
    await q.deleteSessionsOfUser(trx, user.id);
    await q.revokeApiTokensOfUser(trx, user.id, now);
    await recordAudit(trx, {
      actor,
      action: 'staff.user_disabled',
      subject: { kind: 'staff_user', id: user.id },
      requestId: requestId ?? null,
    });
    return toPublicStaffUser(disabled);
  });
}

/**
 * Changes an account's role (and municipality). The new role applies from the account's next request: sessions
 * read the role from the account, not from the login. The last enabled admin cannot be demoted.
 */
export async function changeStaffRole(
  db: Db,
  id: string,
  change: StaffRoleChange,
  actor: Actor,
  requestId?: string,
) {
  return db.transaction().execute(async (trx) => {
    const admins = await q.lockEnabledAdmins(trx);
    const user = uuidPattern.test(id) ? await q.findStaffUserById(trx, id) : undefined;
    if (!user) throw new NotFoundError(`No staff account ${id}.`, 'staff_user_not_found');
    refuseLosingLastAdmin(user, admins.length, change.role === 'admin');
    const municipalityCode = change.municipalityCode ?? null;
    const changed = await q.updateStaffUserRole(trx, user.id, { role: change.role, municipalityCode });
    await recordAudit(trx, {
      actor,
      action: 'staff.role_changed',
      subject: { kind: 'staff_user', id: user.id },
      details: {
        from: { role: user.role, municipalityCode: user.municipality_code },
        to: { role: changed.role, municipalityCode: changed.municipality_code },
      },
      requestId: requestId ?? null,
    });
    return toPublicStaffUser(changed);
  });
}

export async function logOut(db: Db, principal: StaffPrincipal, requestId?: string): Promise<void> {
  if (!principal.sessionTokenHash) return;
  const tokenHash = principal.sessionTokenHash;
  await db.transaction().execute(async (trx) => {
    await q.deleteSession(trx, tokenHash);
    await recordAudit(trx, {
      actor: { kind: 'staff', id: principal.id },
      action: 'staff.logged_out',
      subject: { kind: 'staff_user', id: principal.id },
      requestId: requestId ?? null,
    });
  });
}

/** Who is behind a request: a bearer API token wins over a session cookie. Null when neither is valid. */
export async function resolvePrincipal(
  db: Db,
  creds: { bearer?: string | undefined; sessionToken?: string | undefined },
  now: Date,
): Promise<StaffPrincipal | null> {
  if (creds.bearer) {
    const row = await q.findLiveApiToken(db, hashSecretToken(creds.bearer), now);
    if (!row) return null;
    return { ...principalOf(row), via: 'token', csrfToken: null, sessionTokenHash: null };
  }
  if (creds.sessionToken) {
    const row = await q.findLiveSession(db, hashSecretToken(creds.sessionToken), now);
    if (!row) return null;
    return {
      ...principalOf(row),
      via: 'session',
      csrfToken: row.csrf_token,
      sessionTokenHash: row.token_hash,
    };
  }
  return null;
}

function principalOf(row: {
  id: string;
  email: string;
  display_name: string;
  role: StaffPrincipal['role'];
  municipality_code: string | null;
}) {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    municipalityCode: row.municipality_code,
  };
}

/** Creates an API token for a staff account; the token is returned once and only its hash is kept. */
export async function createApiToken(
  db: Db,
  input: { staffUserId: string; name: string; expiresInDays?: number | null | undefined },
  actor: Actor,
  now: Date,
  requestId?: string,
) {
  const token = newSecretToken(apiTokenPrefix);
  const expiresAt = input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null;
  return db.transaction().execute(async (trx) => {
    const user = await q.findStaffUserById(trx, input.staffUserId);
    if (!user || user.disabled_at)
      throw new NotFoundError('No such active staff account.', 'staff_user_not_found');
    const row = await q.insertApiToken(trx, {
      tokenHash: hashSecretToken(token),
      staffUserId: user.id,
      name: input.name,
      expiresAt,
    });
    await recordAudit(trx, {
      actor,
      action: 'staff.api_token_created',
      subject: { kind: 'api_token', id: row.id },
      details: { staffUserId: user.id, name: input.name },
      requestId: requestId ?? null,
    });
    return {
      id: row.id,
      name: row.name,
      token,
      user: toPublicStaffUser(user),
      expiresAt: row.expires_at?.toISOString() ?? null,
    };
  });
}

export async function findStaffUserIdByEmail(db: Db, email: string): Promise<string> {
  const user = await q.findStaffUserByEmail(db, email.toLowerCase());
  if (!user) throw new NotFoundError(`No staff account ${email}.`, 'staff_user_not_found');
  return user.id;
}
