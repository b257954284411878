// How a send run reads for a survey manager: the --rate flag, a progress line on stderr, and the summary.
import { z } from 'zod';
import type { Db } from '../db/connect.ts';
import { parseWith } from '../http/validate.ts';
import {
  runMailQueue,
  type SendConfig,
  type SendOptions,
  type SendProgress,
  type SendSummary,
} from './send.ts';

/** `20`, `20/s` or `600/min` → mails per second. */
export const rateSchema = z
  .string()
  .regex(/^\d+(\.\d+)?(\/s|\/min)?$/, 'a rate such as 10/s or 600/min')
  .transform((v) => Number.parseFloat(v) / (v.endsWith('/min') ? 60 : 1))
  .pipe(z.number().min(0.01).max(1000));

const sendFlagsSchema = z.object({
  rate: rateSchema.optional(),
  concurrency: z.coerce.number().int().min(1).max(100).optional(),
});

/** `--rate` and `--concurrency` of the commands that send. */
export function parseSendFlags(o: { rate?: string | undefined; concurrency?: string | undefined }) {
  return parseWith(sendFlagsSchema, { rate: o.rate, concurrency: o.concurrency }, 'send settings');
}

/** Runs the queue from the command line: waits for retries, shows progress on stderr. */
export async function sendWithProgress(db: Db, config: SendConfig, waveId: string, opts: SendOptions) {
  const line = progressLine();
  try {
    return await runMailQueue(db, config, waveId, { wait: true, ...opts, onProgress: line.update });
  } finally {
    line.end();
  }
}

/** A progress line on stderr: rewritten in place on a terminal, a line every tenth of the way otherwise. */
export function progressLine(stream: NodeJS.WriteStream = process.stderr) {
  let lastStep = -1;
  const line = (p: SendProgress) =>
    `sent ${p.sent}/${p.total}, failed ${p.failed}, skipped ${p.skipped}, retrying ${p.retried}`;
  return {
    update(p: SendProgress) {
      if (stream.isTTY) {
        stream.write(`\r${line(p)}`);
        lastStep = 0;
      } else {
        const step = p.total ? Math.floor(((p.sent + p.failed + p.skipped) * 10) / p.total) : 10;
        if (step !== lastStep) stream.write(`${line(p)}\n`);
        lastStep = step;
      }
    },
    end() {
      if (stream.isTTY && lastStep !== -1) stream.write('\n');
    },
  };
}

const stops: Record<NonNullable<SendSummary['stopped']>, string> = {
  smtp_unreachable: 'stopped: the SMTP server cannot be reached',
  smtp_auth_failed: 'stopped: the SMTP server refused the login (check SMTP_URL)',
  lease_lost: 'stopped: another sender took over this wave',
  error: 'stopped by an error',
};

export function summaryText(s: SendSummary): string {
  const failures = Object.entries(s.failures)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const q = s.queue;
  return [
    `Mail sent ${s.sent}, failed ${s.failed}${failures ? ` (attempts by class: ${failures})` : ''}, skipped ${s.skipped}` +
      (s.resentInDoubt ? `; ${s.resentInDoubt} in doubt after a crash sent again` : ''),
    `Queue: ${q.sent} sent, ${q.failed} failed, ${q.skipped} skipped, ${q.pending} pending` +
      (q.waiting && q.nextAttemptAt
        ? ` (${q.waiting} waiting for a retry from ${q.nextAttemptAt.toISOString()})`
        : ''),
    ...(s.stopped ? [`${stops[s.stopped]}; \`svar wave send <wave>\` resumes.`] : []),
  ].join('\n');
}

/** host:port of SMTP_URL, never its user or password. */
function smtpTarget(smtpUrl: string | null | undefined): string {
  try {
    const u = new URL(smtpUrl ?? '');
    return `${u.hostname}:${u.port || (u.protocol === 'smtps:' ? '465' : '587')}`;
  } catch {
    return 'the address in SMTP_URL';
  }
}

/** A send run that stopped because mail cannot go out: one line saying what failed and what to do (exit 1). */
export class SendStoppedError extends Error {
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.code = code;
  }
}

/**
 * The command line must not report success for a run that could not send: an SMTP server that cannot be reached
 * or refuses the login stops the run, and the command fails with the queue left to resume.
 */
export function failIfSendStopped(
  s: SendSummary,
  config: Pick<SendConfig, 'smtpUrl'>,
  before = '',
): SendSummary {
  const left = `${s.queue.pending} mail(s) wait in the queue`;
  const resume = `\`svar wave send ${s.waveId}\` resumes`;
  const target = smtpTarget(config.smtpUrl);
  if (s.stopped === 'smtp_unreachable')
    throw new SendStoppedError(
      `${before}mail not sent: cannot reach the SMTP server at ${target} (SMTP_URL); ${left}: check SMTP_URL and the server, then ${resume}.`,
      'smtp_unreachable',
    );
  if (s.stopped === 'smtp_auth_failed')
    throw new SendStoppedError(
      `${before}mail not sent: the SMTP server at ${target} refused the login; ${left}: fix the user and password in SMTP_URL, then ${resume}.`,
      'smtp_auth_failed',
    );
  if (s.stopped === 'lease_lost')
    throw new SendStoppedError(
      `${before}mail stopped: another sender took over this wave; ${left}: \`svar wave links ${s.waveId}\` shows where it stands.`,
      'send_lease_lost',
    );
  return s;
}
