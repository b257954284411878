// Password login. Failures are counted before the password is checked, in atomic counters per (e-mail, source)
// and per source, so parallel guesses cannot pass the limit and nobody can lock an account from somewhere else.
import { recordAudit } from '../audit/queries.ts';
import type { Db } from '../db/connect.ts';
import { TooManyRequestsError, UnauthorizedError } from '../http/errors.ts';
import { decoyPasswordHash, verifyPassword } from '../security/password.ts';
import { hashSecretToken, newSecretToken } from '../security/secret-token.ts';
import * as q from './queries.ts';
import { toPublicStaffUser } from './schemas.ts';

export const loginLimits = Object.freeze({
  windowMinutes: 15,
  /** Failed logins for one e-mail from one source: guessing one account's password. */
  perAccountAndSource: 10,
  /**
   * Failed logins from one source, whatever the e-mail: password spraying, floods of unknown e-mails. Successes do
   * not count, so an office behind one address only reaches it by failing 50 times in 15 minutes.
   */
  perSource: 50,
});

export interface LoginResult {
  sessionToken: string;
  csrfToken: string;
  expiresAt: Date;
  user: ReturnType<typeof toPublicStaffUser>;
}

export interface LoginContext {
  now: Date;
  sessionTtlHours: number;
  /** The client's address (client-source.ts): limits hold per source, so a guesser only locks themselves out. */
  source: string;
  requestId?: string | undefined;
}

export async function logIn(
  db: Db,
  input: { email: string; password: string },
  ctx: LoginContext,
): Promise<LoginResult> {
  const windowMs = loginLimits.windowMinutes * 60_000;
  const since = new Date(ctx.now.getTime() - windowMs);
  const accountKey = `${input.email} ${ctx.source}`;
  const bySource = await q.countLoginAttempt(db, 'source', ctx.source, ctx.now, since);
  const byAccount = await q.countLoginAttempt(db, 'account', accountKey, ctx.now, since);
  if (bySource.attempts === loginLimits.perSource + 1) {
    await recordAudit(db, {
      actor: { kind: 'system' },
      action: 'staff.login_source_throttled',
      details: {
        source: ctx.source,
        attempts: loginLimits.perSource,
        windowMinutes: loginLimits.windowMinutes,
      },
      requestId: ctx.requestId ?? null,
      at: ctx.now,
    });
  }
  const retryAfter = (w: { window_started_at: Date }) =>
    Math.max(1, Math.ceil((w.window_started_at.getTime() + windowMs - ctx.now.getTime()) / 1000));
  // The same answer whether the e-mail has an account or not: the limit reveals nothing about who exists.
  if (byAccount.attempts > loginLimits.perAccountAndSource) {
    throw new TooManyRequestsError(
      `Too many failed logins for this account. Wait ${loginLimits.windowMinutes} minutes.`,
      retryAfter(byAccount),
    );
  }
  if (bySource.attempts > loginLimits.perSource) {
    throw new TooManyRequestsError(
      `Too many failed logins from this network. Wait ${loginLimits.windowMinutes} minutes.`,
      retryAfter(bySource),
    );
  }

  const user = await q.findStaffUserByEmail(db, input.email);
  const hash = user?.password_hash ?? (await decoyPasswordHash());
  const ok = (await verifyPassword(input.password, hash)) && user?.password_hash && !user.disabled_at;
  if (!user || !ok) {
    await recordFailure(db, input.email, !!user, ctx, since);
    throw new UnauthorizedError('Wrong e-mail or password.', 'login_failed');
  }

  const sessionToken = newSecretToken();
  const csrfToken = newSecretToken();
  const expiresAt = new Date(ctx.now.getTime() + ctx.sessionTtlHours * 3_600_000);
  await db.transaction().execute(async (trx) => {
    await q.forgetLoginAttempts(trx, 'account', accountKey);
    await q.uncountLoginAttempt(trx, 'source', ctx.source);
    // Housekeeping, set-based and indexed: sessions that ended and counters whose window ended.
    await q.deleteExpiredSessions(trx, ctx.now);
    await q.purgeLoginThrottle(trx, since);
    await q.insertSession(trx, {
      tokenHash: hashSecretToken(sessionToken),
      staffUserId: user.id,
      csrfToken,
      expiresAt,
      now: ctx.now,
    });
    await recordAudit(trx, {
      actor: { kind: 'staff', id: user.id },
      action: 'staff.logged_in',
      subject: { kind: 'staff_user', id: user.id },
      requestId: ctx.requestId ?? null,
    });
  });
  return { sessionToken, csrfToken, expiresAt, user: toPublicStaffUser(user) };
}

/**
 * A failure for an account is audited each time (at most perAccountAndSource per source and window). Unknown
 * e-mails are only counted per source, and audited as a summary at the 1st, 10th, 100th… in a window: a flood of
 * made-up addresses adds a handful of rows to the append-only log, not one per guess.
 */
async function recordFailure(db: Db, email: string, known: boolean, ctx: LoginContext, since: Date) {
  const entry = {
    actor: { kind: 'system' as const },
    action: 'staff.login_failed',
    subject: { kind: 'email', id: email },
    requestId: ctx.requestId ?? null,
    at: ctx.now,
  };
  if (known) {
    await recordAudit(db, { ...entry, details: { source: ctx.source } });
    return;
  }
  const unknown = await q.countLoginAttempt(db, 'unknown_email', ctx.source, ctx.now, since);
  if (/^10*$/.test(String(unknown.attempts))) {
    await recordAudit(db, {
      ...entry,
      details: {
        source: ctx.source,
        unknownAccount: true,
        unknownEmailsFromSource: unknown.attempts,
        since: unknown.window_started_at.toISOString(),
      },
    });
  }
}
