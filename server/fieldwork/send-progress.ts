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
