// The send queue against a real SMTP server that misbehaves: a server that dies half-way, a sender that dies
// between sending and marking, 4xx and 5xx answers, and the rate. No link is ever lost, no sent row is sent again.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMailer, type Mailer } from '../../server/fieldwork/mail.ts';
import { openWaveRound } from '../../server/fieldwork/queue-rounds.ts';
import { runMailQueue } from '../../server/fieldwork/send.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { type MisbehavingSmtp, startMisbehavingSmtp } from '../helpers/smtp.ts';
import { type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';
import {
  cli,
  isLive,
  later,
  queueOf,
  sendConfig,
  type TestUnit,
  unitsWithMail,
  waveWithContacts,
} from './send-fixtures.ts';

describe.each(backends())('the send queue on $name', (backend) => {
  let t: TestDatabase;
  let w: SurveyWorkspace;
  const servers: MisbehavingSmtp[] = [];
  const smtp = async (b?: Parameters<typeof startMisbehavingSmtp>[0]) => {
    const s = await startMisbehavingSmtp(b);
    servers.push(s);
    return s;
  };
  beforeAll(async () => {
    if (!backend.skip) t = await backend.open();
  });
  afterAll(async () => t?.close());
  beforeEach(() => {
    w = surveyWorkspace();
  });
  afterEach(async () => {
    w.remove();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  async function queuedWave(units: TestUnit[]) {
    const wave = await waveWithContacts(t.db, w, units);
    const round = await openWaveRound(t.db, wave.id, cli, new Date(), { mail: true });
    expect(round).toMatchObject({ round: 1, queued: units.filter((u) => u.email).length });
    return wave;
  }

  it.skipIf(backend.skip)(
    'an SMTP server that dies half-way: a resumed send mails the rest, every unit once, every mailed link live',
    async () => {
      const wave = await queuedWave(unitsWithMail(8));
      const dying = await smtp({ dieAfter: 3 });
      const first = await runMailQueue(t.db, sendConfig(dying.url), wave.id, { concurrency: 1 });
      expect(first).toMatchObject({ sent: 3, stopped: 'smtp_unreachable' });
      expect(first.failures).toEqual({ connection: 5 });
      expect(first.queue).toMatchObject({ sent: 3, pending: 5, waiting: 5, sending: 0 });

      const healthy = await smtp();
      const resumed = await runMailQueue(t.db, sendConfig(healthy.url), wave.id, { clock: later(3_600_000) });
      expect(resumed).toMatchObject({ sent: 5, failed: 0, stopped: null, resentInDoubt: 0 });

      const mails = [...dying.accepted, ...healthy.accepted];
      expect(mails.map((m) => m.to).sort()).toEqual(
        unitsWithMail(8)
          .map((u) => u.email)
          .sort(),
      );
      for (const m of mails) expect(await isLive(t.db, m.token)).toBe(true);
      expect((await queueOf(t.db, wave.id)).map((r) => r.status)).toEqual(Array(8).fill('sent'));
    },
  );

  it.skipIf(backend.skip)(
    'a sender that dies between sending and marking: the next one mails that unit again, both links work',
    async () => {
      const wave = await queuedWave(unitsWithMail(4));
      const server = await smtp();
      const real = createMailer(server.url);
      let hung!: () => void;
      const hanging = new Promise<void>((r) => {
        hung = r;
      });
      let release!: () => void;
      let calls = 0;
      // The second mail reaches the server, then the sender "dies": it never gets to mark the row sent.
      const dying: Mailer = {
        async send(to, from, mail) {
          const info = await real.send(to, from, mail);
          calls += 1;
          if (calls === 2) {
            hung();
            await new Promise<void>((r) => {
              release = r;
            });
          }
          return info;
        },
        close: () => real.close(),
      };
      const dead = runMailQueue(t.db, sendConfig(server.url), wave.id, { mailer: dying, concurrency: 1 });
      await hanging;
      expect((await queueOf(t.db, wave.id)).map((r) => r.status)).toEqual([
        'sent',
        'sending',
        'pending',
        'pending',
      ]);
      // While its lease runs, nobody else sends this wave.
      const refused = await runMailQueue(t.db, sendConfig(server.url), wave.id).catch((e) => e);
      expect(refused.code).toBe('send_running');

      const next = await runMailQueue(t.db, sendConfig(server.url), wave.id, { clock: later(10 * 60_000) });
      expect(next).toMatchObject({ resentInDoubt: 1, sent: 3 });
      release();
      await dead;
      real.close();

      const to = server.accepted.map((m) => m.to);
      expect(to.sort()).toEqual([
        'u1@example.no',
        'u2@example.no',
        'u2@example.no',
        'u3@example.no',
        'u4@example.no',
      ]);
      const twice = server.accepted.filter((m) => m.to === 'u2@example.no');
      expect(twice[0]!.token).not.toBe(twice[1]!.token);
      for (const m of server.accepted) expect(await isLive(t.db, m.token)).toBe(true);
      const rows = await queueOf(t.db, wave.id);
      expect(rows.map((r) => [r.status, r.attempts])).toEqual([
        ['sent', 1],
        ['sent', 2],
        ['sent', 1],
        ['sent', 1],
      ]);
    },
  );

  it.skipIf(backend.skip)(
    'retries a 4xx with exponential backoff, records a 5xx once, and stores no address from the answers',
    async () => {
      const wave = await queuedWave([
        { id: 'busy', email: 'busy@example.no' },
        { id: 'gone', email: 'gone@example.no' },
        { id: 'fine', email: 'fine@example.no' },
      ]);
      const server = await smtp({
        reply: (address, attempt) =>
          address === 'busy@example.no' && attempt <= 2
            ? 451
            : address === 'gone@example.no'
              ? 550
              : undefined,
      });
      const config = sendConfig(server.url, { mailRetryBaseSeconds: 0.2 });
      const summary = await runMailQueue(t.db, config, wave.id, { wait: true });
      expect(summary).toMatchObject({ sent: 2, failed: 1, retried: 2, stopped: null });
      expect(summary.failures).toEqual({ temporary: 2, rejected_recipient: 1 });

      const [t1, t2, t3] = server.tries.get('busy@example.no')!;
      expect(server.tries.get('busy@example.no')).toHaveLength(3);
      expect(t2! - t1!).toBeGreaterThanOrEqual(195);
      expect(t3! - t2!).toBeGreaterThanOrEqual(395);
      expect(server.tries.get('gone@example.no')).toHaveLength(1);

      const rows = await queueOf(t.db, wave.id);
      expect(rows.map((r) => [r.external_id, r.status, r.attempts, r.error_class, r.smtp_code])).toEqual([
        ['busy', 'sent', 3, null, null],
        ['fine', 'sent', 1, null, null],
        ['gone', 'failed', 1, 'rejected_recipient', 550],
      ]);
      const gone = rows.find((r) => r.external_id === 'gone')!;
      const goneLink = await t.db
        .selectFrom('invitation')
        .select('revoked_at')
        .where('id', '=', gone.invitation_id!)
        .executeTakeFirstOrThrow();
      expect(goneLink.revoked_at).not.toBeNull();

      const log = await t.db
        .selectFrom('mail_log')
        .selectAll()
        .where('wave_id', '=', wave.id)
        .orderBy('id')
        .execute();
      const failed = log.filter((l) => l.status === 'failed').map((l) => `${l.error_class} ${l.smtp_code}`);
      expect(failed.sort()).toEqual(['rejected_recipient 550', 'temporary 451', 'temporary 451']);
      const stored = JSON.stringify([log, await t.db.selectFrom('mail_queue').selectAll().execute()]);
      expect(stored).not.toContain('@example.no');
      expect(stored).not.toContain('not now or not ever');
    },
  );

  it.skipIf(backend.skip)(
    'keeps to the rate across connections, measured by when the server accepted',
    async () => {
      const wave = await queuedWave(unitsWithMail(10));
      const server = await smtp();
      const pooled = createMailer(server.url, { connections: 4 });
      const latencies: number[] = [];
      const timed: Mailer = {
        async send(...args) {
          const start = performance.now();
          const info = await pooled.send(...args);
          latencies.push(performance.now() - start);
          return info;
        },
        close: () => pooled.close(),
      };
      await runMailQueue(t.db, sendConfig(server.url), wave.id, { rate: 10, concurrency: 4, mailer: timed });
      pooled.close();
      const at = server.accepted.map((m) => m.at).sort((a, b) => a - b);
      expect(at).toHaveLength(10);
      // Sends start at least 100 ms apart, so the tenth is accepted at least 900 ms after the first, less the time
      // the first one took on the wire (its connection was opened for it; later mails reuse connections).
      const slowest = Math.max(...latencies);
      expect(at[9]! - at[0]!).toBeGreaterThanOrEqual(900 - slowest - 1);
      // Unpaced, four connections take ten mails in a few milliseconds: the bound above is far from that.
      expect(900 - slowest).toBeGreaterThan(250);
    },
  );
});
