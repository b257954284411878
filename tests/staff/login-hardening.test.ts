// Login limits that hold under parallel guessing, cannot be used to lock someone else out, keep the audit log small
// under a flood of made-up e-mails, and a login that clears away expired sessions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginLimits } from '../../server/staff/login.ts';
import { createStaff, jsonRequest, makeApp, TestClock } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';

const window = loginLimits.windowMinutes * 60_000;

describe.each(backends())('login hardening on $name', (backend) => {
  let t: TestDatabase;
  let clock: TestClock;
  let app: ReturnType<typeof makeApp>;
  beforeAll(async () => {
    if (backend.skip) return;
    t = await backend.open();
    clock = new TestClock();
    app = makeApp(t, { clock, config: { sessionTtlHours: 1 } });
  });
  afterAll(async () => t?.close());

  /** A login attempt over a connection from `address`, the way @hono/node-server hands the socket to the app. */
  const attempt = (email: string, password: string, address: string) =>
    app.request('/api/v1/auth/login', jsonRequest('POST', { email, password }), {
      incoming: { socket: { remoteAddress: address } },
    });

  const auditCount = async (action: string) =>
    Number(
      (
        await t.db
          .selectFrom('audit_event')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('action', '=', action)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it.skipIf(backend.skip)('20 parallel wrong passwords: never more than the limit get checked', async () => {
    const u = await createStaff(t.db, { role: 'analyst' });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => attempt(u.email, `wrong password ${i}`, '198.51.100.7')),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(loginLimits.perAccountAndSource);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20 - loginLimits.perAccountAndSource);
    const audited = await t.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'staff.login_failed')
      .where('subject_id', '=', u.email)
      .execute();
    expect(audited).toHaveLength(loginLimits.perAccountAndSource);
    expect(audited[0]!.details).toMatchObject({ source: '198.51.100.7' });
    // Even the right password waits out the window from this source.
    const right = await attempt(u.email, u.password, '198.51.100.7');
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(right.headers.get('retry-after'))).toBeLessThanOrEqual(window / 1000);
  });

  it.skipIf(backend.skip)('a locked-out source does not lock the account for anyone else', async () => {
    const u = await createStaff(t.db, { role: 'admin' });
    for (let i = 0; i < loginLimits.perAccountAndSource; i++) {
      expect((await attempt(u.email, `guess ${i}`, '203.0.113.66')).status).toBe(401);
    }
    expect((await attempt(u.email, u.password, '203.0.113.66')).status).toBe(429);
    // The owner, from their office and from an IPv6 phone line, logs in as usual.
    expect((await attempt(u.email, u.password, '192.0.2.10')).status).toBe(200);
    expect((await attempt(u.email, u.password, '2001:db8:1:2::abcd')).status).toBe(200);
    // The attacker's address is locked for this account only, not for another one it has the password of.
    const other = await createStaff(t.db, { role: 'analyst' });
    expect((await attempt(other.email, other.password, '203.0.113.66')).status).toBe(200);
  });

  it.skipIf(backend.skip)('rotating addresses inside one IPv6 /64 counts as one source', async () => {
    const u = await createStaff(t.db, { role: 'analyst' });
    for (let i = 0; i < loginLimits.perAccountAndSource; i++) {
      expect((await attempt(u.email, `guess ${i}`, `2001:db8:aaaa:1::${(i + 1).toString(16)}`)).status).toBe(
        401,
      );
    }
    expect((await attempt(u.email, u.password, '2001:db8:aaaa:1:ffff::1')).status).toBe(429);
  });

  it.skipIf(backend.skip)('a success clears the account’s count from that source', async () => {
    const u = await createStaff(t.db, { role: 'analyst' });
    for (let i = 0; i < loginLimits.perAccountAndSource - 1; i++) {
      expect((await attempt(u.email, `typo ${i}`, '192.0.2.44')).status).toBe(401);
    }
    expect((await attempt(u.email, u.password, '192.0.2.44')).status).toBe(200);
    for (let i = 0; i < loginLimits.perAccountAndSource; i++) {
      expect((await attempt(u.email, `typo again ${i}`, '192.0.2.44')).status).toBe(401);
    }
    expect((await attempt(u.email, u.password, '192.0.2.44')).status).toBe(429);
  });

  it.skipIf(backend.skip)(
    'a flood of unknown e-mails adds a handful of audit rows and a bounded number of counters',
    async () => {
      const failedBefore = await auditCount('staff.login_failed');
      const throttledBefore = await auditCount('staff.login_source_throttled');
      const flood = loginLimits.perSource + 30;
      const statuses: number[] = [];
      for (let i = 0; i < flood; i += 10) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(10, flood - i) }, (_, j) =>
            attempt(`nobody-${i + j}@flood.example`, 'some password', '198.51.100.200'),
          ),
        );
        statuses.push(...batch.map((r) => r.status));
      }
      expect(statuses.filter((s) => s === 401)).toHaveLength(loginLimits.perSource);
      expect(statuses.filter((s) => s === 429)).toHaveLength(flood - loginLimits.perSource);
      // Summaries at the 1st and 10th unknown e-mail (100th, 1000th… with a higher limit), and one when the source
      // hit its limit.
      const failed = (await auditCount('staff.login_failed')) - failedBefore;
      expect(failed).toBe(String(loginLimits.perSource).length);
      expect((await auditCount('staff.login_source_throttled')) - throttledBefore).toBe(1);
      const summary = await t.db
        .selectFrom('audit_event')
        .select('details')
        .where('action', '=', 'staff.login_failed')
        .where('subject_id', 'like', '%@flood.example')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(summary.details).toMatchObject({
        unknownAccount: true,
        unknownEmailsFromSource: 10 ** (String(loginLimits.perSource).length - 1),
      });
      // One counter per (e-mail, source) that got through, one for the source and one for its unknown e-mails.
      const counters = await t.db
        .selectFrom('login_throttle')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('key', 'like', '%198.51.100.200')
        .executeTakeFirstOrThrow();
      expect(Number(counters.n)).toBeLessThanOrEqual(flood + 2);
      // A real account logging in from elsewhere is untouched by the flood.
      const u = await createStaff(t.db, { role: 'analyst' });
      expect((await attempt(u.email, u.password, '192.0.2.99')).status).toBe(200);
    },
    // Every attempt that gets through costs a full scrypt verification, as a real one must.
    120_000,
  );

  it.skipIf(backend.skip)(
    'logging in deletes expired sessions and finished counters, and keeps live ones',
    async () => {
      const old = await createStaff(t.db, { role: 'analyst' });
      const live = await createStaff(t.db, { role: 'analyst' });
      expect((await attempt(old.email, old.password, '192.0.2.1')).status).toBe(200);
      expect((await attempt(old.email, 'a wrong password', '192.0.2.1')).status).toBe(401);
      clock.advance(2 * 3_600_000); // past the one-hour session and the counting window
      expect((await attempt(live.email, live.password, '192.0.2.2')).status).toBe(200);
      const sessions = await t.db
        .selectFrom('staff_session')
        .select(['staff_user_id', 'expires_at'])
        .execute();
      expect(sessions.filter((s) => s.expires_at <= clock.now())).toEqual([]);
      expect(sessions.map((s) => s.staff_user_id)).toContain(live.id);
      expect(sessions.map((s) => s.staff_user_id)).not.toContain(old.id);
      const stale = await t.db
        .selectFrom('login_throttle')
        .select('key')
        .where('window_started_at', '<=', new Date(clock.now().getTime() - window))
        .execute();
      expect(stale).toEqual([]);
    },
  );

  it.skipIf(backend.skip)(
    'X-Forwarded-For counts only behind a configured proxy; the client cannot pick its source',
    async () => {
      const u = await createStaff(t.db, { role: 'analyst' });
      const spoof = (i: number) =>
        app.request(
          '/api/v1/auth/login',
          jsonRequest(
            'POST',
            { email: u.email, password: `guess ${i}` },
            { 'x-forwarded-for': `10.9.${i}.1` },
          ),
          { incoming: { socket: { remoteAddress: '198.51.100.99' } } },
        );
      for (let i = 0; i < loginLimits.perAccountAndSource; i++) expect((await spoof(i)).status).toBe(401);
      expect((await spoof(99)).status).toBe(429);

      // Behind one proxy, the proxy appends the client's address: the last entry is the client.
      const proxied = makeApp(t, { clock, config: { trustedProxies: 1 } });
      const via = (client: string, password: string) =>
        proxied.request(
          '/api/v1/auth/login',
          jsonRequest('POST', { email: u.email, password }, { 'x-forwarded-for': `6.6.6.6, ${client}` }),
          { incoming: { socket: { remoteAddress: '10.0.0.2' } } },
        );
      for (let i = 0; i < loginLimits.perAccountAndSource; i++) {
        expect((await via('203.0.113.5', `guess ${i}`)).status).toBe(401);
      }
      expect((await via('203.0.113.5', u.password)).status).toBe(429);
      expect((await via('203.0.113.6', u.password)).status).toBe(200);
    },
  );
});
