// Login while someone is guessing: the owner of the account logs in from their own network during the attack, and
// the count is one count in the database however many app instances (processes) the guesses are spread over.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginLimits } from '../../server/staff/login.ts';
import { createStaff, jsonRequest, makeApp, TestClock } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';

describe.each(backends())('login under attack on $name', (backend) => {
  let t: TestDatabase;
  let clock: TestClock;
  let apps: ReturnType<typeof makeApp>[];
  beforeAll(async () => {
    if (backend.skip) return;
    t = await backend.open();
    clock = new TestClock();
    // Two instances of the app over one database, as two processes behind a load balancer.
    apps = [makeApp(t, { clock }), makeApp(t, { clock })];
  });
  afterAll(async () => t?.close());

  const attempt = (n: number, email: string, password: string, address: string) =>
    apps[n % 2]!.request('/api/v1/auth/login', jsonRequest('POST', { email, password }), {
      incoming: { socket: { remoteAddress: address } },
    });

  it.skipIf(backend.skip)(
    'the owner logs in from their own network while guesses run in parallel',
    async () => {
      const owner = await createStaff(t.db, { role: 'admin' });
      const guesses = Array.from({ length: 3 * loginLimits.perAccountAndSource }, (_, i) =>
        attempt(i, owner.email, `guess ${i}`, '203.0.113.9'),
      );
      const ownLogins = Array.from({ length: 4 }, (_, i) =>
        attempt(i, owner.email, owner.password, '192.0.2.80'),
      );
      const [guessed, own] = await Promise.all([Promise.all(guesses), Promise.all(ownLogins)]);
      expect(own.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      const statuses = guessed.map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(loginLimits.perAccountAndSource);
      expect(statuses.filter((s) => s === 429)).toHaveLength(2 * loginLimits.perAccountAndSource);
      // The guesser's source stays closed for this account, through either instance, even with the password.
      for (const n of [0, 1])
        expect((await attempt(n, owner.email, owner.password, '203.0.113.9')).status).toBe(429);
      // Its failures were audited once each, never more than the limit.
      const audited = await t.db
        .selectFrom('audit_event')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('action', '=', 'staff.login_failed')
        .where('subject_id', '=', owner.email)
        .executeTakeFirstOrThrow();
      expect(Number(audited.n)).toBe(loginLimits.perAccountAndSource);
    },
  );

  it.skipIf(backend.skip)(
    'a source spraying many accounts in parallel through both instances stops at the source limit',
    async () => {
      const victims = await Promise.all(
        Array.from({ length: 6 }, () => createStaff(t.db, { role: 'analyst' })),
      );
      const tries = loginLimits.perSource + 20;
      const results: number[] = [];
      for (let i = 0; i < tries; i += 12) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(12, tries - i) }, (_, j) =>
            attempt(i + j, victims[(i + j) % victims.length]!.email, `spray ${i + j}`, '198.51.100.31'),
          ),
        );
        results.push(...batch.map((r) => r.status));
      }
      // Each victim took at most perAccountAndSource of them; the source as a whole no more than perSource.
      expect(results.filter((s) => s === 401).length).toBe(
        Math.min(loginLimits.perSource, victims.length * loginLimits.perAccountAndSource),
      );
      // Every victim still logs in from anywhere else.
      for (const [i, v] of victims.entries())
        expect((await attempt(i, v.email, v.password, '192.0.2.81')).status).toBe(200);
    },
    120_000,
  );
});
