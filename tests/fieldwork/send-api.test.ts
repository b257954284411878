// Rounds over the API at scale and with mail: the distribution list is streamed page by page while the links are
// issued, a list cut short rolls its round back (nothing issued, nothing lost), and mail goes out after a 202
// answer, under the sender lease in the database, followed with GET /waves/:id/rounds.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { takeSendLease } from '../../server/fieldwork/queue-queries.ts';
import { ROUND_PAGE } from '../../server/fieldwork/queue-rounds.ts';
import { createStaff, jsonRequest, logInAs, makeApp } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { type MisbehavingSmtp, startMisbehavingSmtp } from '../helpers/smtp.ts';
import { type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';
import { isLive, sendConfig, type TestUnit, tokensIn, waveWithContacts } from './send-fixtures.ts';

describe.each(backends())('rounds over the API on $name', (backend) => {
  let t: TestDatabase;
  let w: SurveyWorkspace;
  let smtp: MisbehavingSmtp | undefined;
  beforeAll(async () => {
    if (!backend.skip) t = await backend.open();
  });
  afterAll(async () => t?.close());
  beforeEach(() => {
    w = surveyWorkspace();
  });
  afterEach(async () => {
    w.remove();
    await smtp?.close();
    smtp = undefined;
  });

  async function adminApp(smtpUrl: string | null) {
    const app = makeApp(t, { config: sendConfig(smtpUrl) });
    const admin = await createStaff(t.db, { role: 'admin' });
    const a = await logInAs(app, admin.email, admin.password);
    const headers = { cookie: a.cookie, 'x-csrf-token': a.csrfToken };
    return {
      post: (path: string, body: unknown) => app.request(path, jsonRequest('POST', body, headers)),
      get: async (path: string) => (await app.request(path, { headers })).json() as Promise<any>,
    };
  }

  it.skipIf(backend.skip)(
    'streams a round of several pages; a list cut short rolls the round back and opening again issues it whole',
    async () => {
      const n = ROUND_PAGE * 2 + 7;
      const units: TestUnit[] = Array.from({ length: n }, (_, i) => ({
        id: `u${String(i).padStart(5, '0')}`,
      }));
      const wave = await waveWithContacts(t.db, w, units);
      const api = await adminApp(null);

      const cut = await api.post(`/api/v1/waves/${wave.id}/open`, { send: false });
      expect(cut.status).toBe(200);
      const reader = cut.body!.getReader();
      await reader.read();
      await reader.cancel();

      // Waits for the first round's transaction (the wave row is locked) and finds it rolled back: round 1 again.
      const opened = await api.post(`/api/v1/waves/${wave.id}/open`, { send: false });
      expect(opened.headers.get('svar-round')).toBe('1');
      const lines = (await opened.text()).trim().split('\n');
      expect(lines).toHaveLength(n + 1);
      expect(lines.slice(1).map((l) => l.split(';')[0])).toEqual(units.map((u) => u.id));
      const tokens = tokensIn(lines.join('\n'));
      expect(new Set(tokens).size).toBe(n);
      for (const token of [tokens[0]!, tokens[ROUND_PAGE]!, tokens.at(-1)!])
        expect(await isLive(t.db, token)).toBe(true);
      const live = await t.db
        .selectFrom('invitation')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('wave_id', '=', wave.id)
        .executeTakeFirstOrThrow();
      expect(Number(live.n)).toBe(n);
      const rounds = await api.get(`/api/v1/waves/${wave.id}/rounds`);
      expect(rounds.rounds).toMatchObject([{ number: 1, live_links: n }]);

      // A round's list again is streamed the same way: every link new, the old ones revoked.
      const again = await api.post(`/api/v1/waves/${wave.id}/rounds/1/links`, {});
      const fresh = tokensIn(await again.text());
      expect(fresh).toHaveLength(n);
      expect(await isLive(t.db, tokens[0]!)).toBe(false);
      expect(await isLive(t.db, fresh.at(-1)!)).toBe(true);
    },
  );

  it.skipIf(backend.skip)(
    'answers 202 and sends after the answer; GET /rounds follows the queue; POST /send resumes with 202',
    async () => {
      smtp = await startMisbehavingSmtp();
      const wave = await waveWithContacts(t.db, w, [
        { id: 'a', email: 'a@example.no' },
        { id: 'b', email: 'b@example.no' },
        { id: 'c' },
      ]);
      const api = await adminApp(smtp.url);
      const rounds = `/api/v1/waves/${wave.id}/rounds`;
      const settled = async () => {
        for (let i = 0; i < 200; i++) {
          const r = await api.get(rounds);
          if (!r.sending && r.queue.pending === 0) return r;
          await sleep(50);
        }
        throw new Error('the queue did not settle');
      };

      const opened = await api.post(`/api/v1/waves/${wave.id}/open`, { send: true });
      expect(opened.status).toBe(202);
      expect(opened.headers.get('link')).toBe(`</api/v1/waves/${wave.id}/rounds>; rel="monitor"`);
      const listed = (await opened.text()).trim().split('\n');
      expect(listed.slice(1).map((l) => l.split(';')[0])).toEqual(['c']);
      const after = await settled();
      expect(after.queue).toMatchObject({ sent: 2, pending: 0, failed: 0 });
      expect(after.rounds).toMatchObject([{ number: 1, queued: 2, mailed: 2 }]);
      expect(smtp.accepted.map((m) => m.to).sort()).toEqual(['a@example.no', 'b@example.no']);

      const resumed = await api.post(`/api/v1/waves/${wave.id}/send`, {});
      expect(resumed.status).toBe(202);
      expect(await resumed.json()).toMatchObject({ sending: true, monitor: rounds });
      await settled();
      expect(smtp.accepted).toHaveLength(2);

      // Another process's sender holds the wave: refused at once, the queue left to it.
      const now = new Date();
      expect(
        await takeSendLease(t.db, wave.id, crypto.randomUUID(), now, new Date(now.getTime() + 60_000)),
      ).toBe(true);
      const busy = await api.post(`/api/v1/waves/${wave.id}/send`, {});
      expect(busy.status).toBe(409);
      expect(((await busy.json()) as { code: string }).code).toBe('send_running');
      expect((await api.get(rounds)).sending).toBe(true);

      const noWave = await api.post(`/api/v1/waves/${crypto.randomUUID()}/send`, {});
      expect(noWave.status).toBe(404);
    },
  );
});
