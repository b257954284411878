// The send queue's sender: mails a wave's queued invitations and reminders at a set rate with a few connections,
// retries temporary failures with backoff, records permanent ones per unit, and survives a crash.
//
// Each mail is claimed in a short transaction that issues the unit's link (only its hash is stored) and marks the
// row `sending`; then the mail goes out; then the row is marked `sent`. A crash before the send loses nothing (the
// link was never seen; the row is claimed again). A crash between send and mark leaves the row `sending`, "in
// doubt": the next sender sends it again with a new link and does not revoke the first, so both links work. SMTP
// cannot say exactly once: at most one duplicate mail per unit per crash. One sender per wave at a time (a lease
// renewed with every claim), so a running sender's `sending` rows are never mistaken for a dead one's.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config.ts';
import type { Db } from '../db/connect.ts';
import { type Clock, systemClock } from '../http/context.ts';
import { ConflictError } from '../http/errors.ts';
import { createMailer, type Mailer } from './mail.ts';
import * as qq from './queue-queries.ts';
import type { SendErrorClass } from './send-errors.ts';
import { type MailContext, mailContext, type SendContext, sendOne } from './send-one.ts';
import { lockWave } from './wave-lock.ts';

export type SendConfig = Pick<
  Config,
  | 'smtpUrl'
  | 'mailFrom'
  | 'publicBaseUrl'
  | 'localesDir'
  | 'mailRate'
  | 'mailConcurrency'
  | 'mailMaxAttempts'
  | 'mailRetryBaseSeconds'
>;

export interface SendOptions {
  /** Mails per second (default: SVAR_MAIL_RATE). */
  rate?: number;
  /** Mails in flight at once (default: SVAR_MAIL_CONCURRENCY). */
  concurrency?: number;
  /** Wait for retries as they fall due (the CLI); otherwise they are left for the next run (the API). */
  wait?: boolean;
  clock?: Clock;
  /** The SMTP adapter; by default one from SMTP_URL. */
  mailer?: Mailer;
  onProgress?: (p: SendProgress) => void;
  /** How long a sender that stopped renewing its lease keeps the wave (default 5 minutes). */
  leaseSeconds?: number;
}

export interface SendProgress {
  /** Rows waiting when the run began. */
  total: number;
  sent: number;
  failed: number;
  skipped: number;
  retried: number;
}

export type SendStop = 'smtp_unreachable' | 'smtp_auth_failed' | 'lease_lost' | 'error';

export interface SendSummary extends SendProgress {
  waveId: string;
  /** Rows a dead sender left in doubt, sent again in this run. */
  resentInDoubt: number;
  failures: Partial<Record<SendErrorClass, number>>;
  /** The queue after the run. */
  queue: Awaited<ReturnType<typeof qq.queueCounts>>;
  stopped: SendStop | null;
}

/** Refuses before anything is issued or changed when mail cannot go out. */
export function requireSmtp(config: Pick<Config, 'smtpUrl'>): string {
  if (!config.smtpUrl)
    throw new ConflictError(
      'smtp_not_configured',
      'Set SMTP_URL to send e-mail, or use the distribution list.',
    );
  return config.smtpUrl;
}

/** Spaces the starts of sends at least 1/rate seconds apart, across all workers. */
function pacer(rate: number) {
  let next = 0;
  return async () => {
    const now = performance.now();
    const at = Math.max(now, next);
    next = at + 1000 / rate;
    if (at > now) await sleep(at - now);
  };
}

const notOpen = { code: 'wave_not_open', message: 'Mail goes out only while the wave is open.' };

async function begin(db: Db, waveId: string, holder: string, clock: Clock, leaseMs: number) {
  return db.transaction().execute(async (trx) => {
    await lockWave(trx, waveId, { allow: ['open'], refuse: { draft: notOpen, closed: notOpen } });
    const now = clock.now();
    if (!(await qq.takeSendLease(trx, waveId, holder, now, new Date(now.getTime() + leaseMs)))) {
      const lease = await qq.findSendLease(trx, waveId);
      throw new ConflictError(
        'send_running',
        `Another sender is sending this wave's mail (until ${lease?.expires_at.toISOString()} unless it renews).`,
      );
    }
    return qq.requeueInDoubt(trx, waveId, now);
  });
}

/** Runs (or resumes) a wave's send queue: pending rows, retries that are due, and rows a dead sender left. */
export async function runMailQueue(
  db: Db,
  config: SendConfig,
  waveId: string,
  opts: SendOptions = {},
): Promise<SendSummary> {
  return (await startMailQueue(db, config, waveId, opts)).done;
}

/**
 * Takes the wave's sender lease (409 `send_running` when another sender holds it, `wave_not_open`), then sends in
 * `done`. The API answers once the lease is taken and lets `done` run after its answer: the queue and the lease
 * are in the database, so if this process dies another one resumes (`POST /waves/:id/send`, `svar wave send`).
 */
export async function startMailQueue(
  db: Db,
  config: SendConfig,
  waveId: string,
  opts: SendOptions = {},
): Promise<{ done: Promise<SendSummary> }> {
  const smtpUrl = requireSmtp(config);
  const clock = opts.clock ?? systemClock;
  const concurrency = opts.concurrency ?? config.mailConcurrency;
  const leaseMs = (opts.leaseSeconds ?? 300) * 1000;
  const holder = randomUUID();
  const mailer = opts.mailer ?? createMailer(smtpUrl, { connections: concurrency });
  const closeMailer = () => {
    if (!opts.mailer) mailer.close();
  };
  let resentInDoubt: number;
  try {
    resentInDoubt = await begin(db, waveId, holder, clock, leaseMs);
  } catch (err) {
    closeMailer();
    throw err;
  }
  const send = async (): Promise<SendSummary> => {
    try {
      const run = {
        total: (await qq.queueCounts(db, waveId, clock.now())).pending,
        sent: 0,
        failed: 0,
        skipped: 0,
        retried: 0,
        failures: {} as Partial<Record<SendErrorClass, number>>,
        stopped: null as SendStop | null,
        connectionFailuresInARow: 0,
      };
      const ctx: SendContext = { db, config, waveId, holder, clock, leaseMs, mailer, run };
      await drain(ctx, await mailContext(db, waveId), opts.rate ?? config.mailRate, concurrency, opts);
      const { connectionFailuresInARow: _, ...summary } = run;
      return { waveId, ...summary, resentInDoubt, queue: await qq.queueCounts(db, waveId, clock.now()) };
    } finally {
      try {
        await qq.releaseSendLease(db, waveId, holder);
      } finally {
        closeMailer();
      }
    }
  };
  return { done: send() };
}

/** `concurrency` workers take due rows, paced to `rate`, until none is due (or, waiting, none is pending). */
async function drain(
  ctx: SendContext,
  mail: MailContext,
  rate: number,
  concurrency: number,
  opts: SendOptions,
) {
  const { db, waveId, clock, run } = ctx;
  const taken = new Set<string>();
  let due: string[] = [];
  let fetching: Promise<void> | null = null;
  const pace = pacer(rate);

  async function nextId(): Promise<string | null> {
    while (!run.stopped) {
      const id = due.shift();
      if (id) return id;
      fetching ??= qq
        .listDueMail(db, waveId, clock.now(), 200)
        .then((ids) => {
          due = ids.filter((i) => !taken.has(i));
        })
        .finally(() => {
          fetching = null;
        });
      await fetching;
      if (due.length) continue;
      if (!opts.wait) return null;
      const { pending, nextAttemptAt } = await qq.queueCounts(db, waveId, clock.now());
      if (pending === 0 || !nextAttemptAt) return null;
      const wait = Math.min(Math.max(nextAttemptAt.getTime() - clock.now().getTime(), 20), 60_000);
      // In slices: another worker may stop the run meanwhile (the server cannot be reached), and the run must
      // then end at once, not after this worker's wait for its retry.
      const until = performance.now() + wait;
      while (!run.stopped && performance.now() < until) await sleep(Math.min(250, until - performance.now()));
    }
    return null;
  }

  async function worker() {
    for (let id = await nextId(); id; id = await nextId()) {
      taken.add(id);
      try {
        await sendOne(ctx, mail, id, pace);
        const { total, sent, failed, skipped, retried } = run;
        opts.onProgress?.({ total, sent, failed, skipped, retried });
      } finally {
        taken.delete(id);
      }
    }
  }

  const results = await Promise.allSettled(
    Array.from({ length: concurrency }, () =>
      worker().catch((err) => {
        run.stopped ??= 'error';
        throw err;
      }),
    ),
  );
  const failure = results.find((r) => r.status === 'rejected');
  if (failure) throw failure.reason;
}
