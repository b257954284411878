// One mail of the send queue: claim it (its link is issued here), send it, and mark it sent, to retry, or failed.
import type { Db } from '../db/connect.ts';
import type { Clock } from '../http/context.ts';
import { hashSecretToken, newSecretToken } from '../security/secret-token.ts';
import { displayText } from '../surveys/localizable.ts';
import { linkUrl, optOutUrl } from './links.ts';
import { type MailAudience, type Mailer, renderMail } from './mail.ts';
import * as qq from './queue-queries.ts';
import type { SendConfig, SendStop } from './send.ts';
import { classifySendError, retryDelayMs, type SendErrorClass } from './send-errors.ts';

export type MailContext = Awaited<ReturnType<typeof mailContext>>;

export async function mailContext(db: Db, waveId: string) {
  const w = await qq.findWaveMailContext(db, waveId);
  return {
    instrumentId: w.instrument_id,
    audience: w.unit_type as MailAudience,
    firstLocale: w.locales[0]!,
    closesOn: w.closes_at,
    title: w.definition.title,
  };
}

export interface SendContext {
  db: Db;
  config: SendConfig;
  waveId: string;
  holder: string;
  clock: Clock;
  leaseMs: number;
  mailer: Mailer;
  run: {
    total: number;
    sent: number;
    failed: number;
    skipped: number;
    retried: number;
    failures: Partial<Record<SendErrorClass, number>>;
    stopped: SendStop | null;
    connectionFailuresInARow: number;
  };
}

/** Claims a row: renews the lease, issues the unit's link and marks the row `sending`, in one transaction. */
async function claim(ctx: SendContext, id: string) {
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    if (!(await qq.renewSendLease(trx, ctx.waveId, ctx.holder, new Date(now.getTime() + ctx.leaseMs)))) {
      ctx.run.stopped = 'lease_lost';
      return null;
    }
    const row = await qq.findPendingMail(trx, id);
    if (!row) return null;
    // Opted out, completed or without an address since it was queued: no mail, no link.
    if (!row.email || row.opted_out_at || row.response_status === 'completed') {
      await qq.setMailStatus(trx, id, null, { status: 'skipped', updated_at: now });
      return 'skipped' as const;
    }
    const token = newSecretToken();
    const invitationId = await qq.insertQueuedInvitation(trx, {
      waveId: ctx.waveId,
      frameUnitId: row.frame_unit_id,
      tokenHash: hashSecretToken(token),
      locale: row.locale,
      kind: row.kind,
      round: row.round,
    });
    const attempts = row.attempts + 1;
    await qq.setMailStatus(trx, id, null, {
      status: 'sending',
      attempts,
      invitation_id: invitationId,
      updated_at: now,
    });
    return { ...row, email: row.email, token, invitationId, attempts };
  });
}

/** `pace` waits for the rate's next slot: right before the send, so the claim's database time does not bunch sends. */
export async function sendOne(
  ctx: SendContext,
  mail: MailContext,
  id: string,
  pace: () => Promise<void>,
): Promise<void> {
  const c = await claim(ctx, id);
  if (c === 'skipped') ctx.run.skipped += 1;
  if (!c || c === 'skipped') return;
  const { config, run } = ctx;
  const locale = c.locale ?? mail.firstLocale;
  const rendered = renderMail(config.localesDir, {
    kind: c.kind,
    locale,
    instrumentId: mail.instrumentId,
    audience: mail.audience,
    surveyTitle: displayText(mail.title, locale),
    link: linkUrl(config.publicBaseUrl, c.token),
    optOutLink: optOutUrl(config.publicBaseUrl, c.token),
    closesOn: mail.closesOn,
  });
  const log = { waveId: ctx.waveId, frameUnitId: c.frame_unit_id, kind: c.kind, round: c.round, locale };
  const mine = { attempts: c.attempts };
  let messageId: string;
  await pace();
  try {
    messageId = (await ctx.mailer.send(c.email, config.mailFrom, rendered)).messageId;
  } catch (err) {
    // The error is classified and dropped here: its text names the recipient.
    const e = classifySendError(err);
    const retry = e.retry && c.attempts < config.mailMaxAttempts;
    const now = ctx.clock.now();
    await ctx.db.transaction().execute(async (trx) => {
      const failed = { error_class: e.errorClass, smtp_code: e.smtpCode, updated_at: now };
      await qq.setMailStatus(
        trx,
        id,
        mine,
        retry
          ? {
              ...failed,
              status: 'pending',
              next_attempt_at: new Date(
                now.getTime() + retryDelayMs(c.attempts, config.mailRetryBaseSeconds),
              ),
            }
          : { ...failed, status: 'failed' },
      );
      // Refused by the server: the mail was not delivered and its link is known to nobody.
      if (e.refused) await qq.revokeInvitation(trx, c.invitationId, now);
      await qq.insertMailLog(trx, {
        ...log,
        status: 'failed',
        errorClass: e.errorClass,
        smtpCode: e.smtpCode,
        at: now,
      });
    });
    if (retry) run.retried += 1;
    else run.failed += 1;
    run.failures[e.errorClass] = (run.failures[e.errorClass] ?? 0) + 1;
    run.connectionFailuresInARow = e.errorClass === 'connection' ? run.connectionFailuresInARow + 1 : 0;
    if (e.stopRun) run.stopped ??= 'smtp_auth_failed';
    // Five in a row, or every mail the run had: a server that cannot be reached stops the run, not one mail.
    else if (run.connectionFailuresInARow >= Math.min(5, Math.max(1, run.total)))
      run.stopped ??= 'smtp_unreachable';
    return;
  }
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await qq.setMailStatus(trx, id, mine, {
      status: 'sent',
      sent_at: now,
      error_class: null,
      smtp_code: null,
      updated_at: now,
    });
    await qq.insertMailLog(trx, { ...log, status: 'sent', messageId, at: now });
  });
  run.sent += 1;
  run.connectionFailuresInARow = 0;
}
