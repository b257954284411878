// Staff accounts: password login with database sessions, CSRF, API tokens, roles, disabling, rate limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecretToken } from '../../server/security/secret-token.ts';
import { createStaff, jsonRequest, logInAs, makeApp, TestClock } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';

describe.each(backends())('staff accounts on $name', (backend) => {
  let t: TestDatabase;
  let clock: TestClock;
  let app: ReturnType<typeof makeApp>;
  beforeAll(async () => {
    if (backend.skip) return;
    t = await backend.open();
    clock = new TestClock();
    app = makeApp(t, { clock, config: { sessionTtlHours: 8 } });
  });
  afterAll(async () => t?.close());

  it.skipIf(backend.skip)(
    'logs in with a password; the session cookie is HttpOnly and stored only as a hash',
    async () => {
      const admin = await createStaff(t.db, { role: 'admin' });
      const s = await logInAs(app, admin.email.toUpperCase(), admin.password);
      expect(s.setCookie).toMatch(/svar_session=[A-Za-z0-9_-]{43};/);
      expect(s.setCookie).toMatch(/HttpOnly/);
      expect(s.setCookie).toMatch(/SameSite=Lax/);
      const raw = s.cookie.split('=')[1]!;
      const sessions = await t.db.selectFrom('staff_session').selectAll().execute();
      expect(sessions.some((r) => r.token_hash === hashSecretToken(raw))).toBe(true);
      expect(JSON.stringify(sessions)).not.toContain(raw);

      const me = await app.request('/api/v1/auth/me', { headers: { cookie: s.cookie } });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ user: { email: admin.email, role: 'admin' }, via: 'session' });
    },
  );

  it.skipIf(backend.skip)(
    'rejects a wrong password and an unknown e-mail alike, and records the failures',
    async () => {
      const u = await createStaff(t.db, { role: 'analyst' });
      const wrong = await app.request(
        '/api/v1/auth/login',
        jsonRequest('POST', { email: u.email, password: 'not the password' }),
      );
      const unknown = await app.request(
        '/api/v1/auth/login',
        jsonRequest('POST', { email: 'nobody@test.svar.local', password: 'not the password' }),
      );
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(((await wrong.json()) as { detail: string }).detail).toBe(
        ((await unknown.json()) as { detail: string }).detail,
      );
      const failures = await t.db
        .selectFrom('audit_event')
        .select('subject_id')
        .where('action', '=', 'staff.login_failed')
        .execute();
      expect(failures.map((f) => f.subject_id)).toEqual(
        expect.arrayContaining([u.email, 'nobody@test.svar.local']),
      );
    },
  );

  it.skipIf(backend.skip)('shares sessions between server processes through the database', async () => {
    const u = await createStaff(t.db, { role: 'analyst' });
    const s = await logInAs(app, u.email, u.password);
    const otherProcess = makeApp(t, { clock });
    const me = await otherProcess.request('/api/v1/auth/me', { headers: { cookie: s.cookie } });
    expect(me.status).toBe(200);
  });

  it.skipIf(backend.skip)(
    'demands the CSRF token on unsafe requests made with the session cookie',
    async () => {
      const admin = await createStaff(t.db, { role: 'admin' });
      const s = await logInAs(app, admin.email, admin.password);
      const body = {
        email: `csrf-${Date.now()}@test.svar.local`,
        displayName: 'C',
        role: 'analyst',
        password: 'a long enough password',
      };
      const missing = await app.request(
        '/api/v1/staff/users',
        jsonRequest('POST', body, { cookie: s.cookie }),
      );
      expect(missing.status).toBe(403);
      expect(((await missing.json()) as { code: string }).code).toBe('csrf_failed');
      const wrong = await app.request(
        '/api/v1/staff/users',
        jsonRequest('POST', body, { cookie: s.cookie, 'x-csrf-token': 'guess' }),
      );
      expect(wrong.status).toBe(403);
      expect(
        await t.db.selectFrom('staff_user').select('id').where('email', '=', body.email).execute(),
      ).toHaveLength(0);
      const ok = await app.request(
        '/api/v1/staff/users',
        jsonRequest('POST', body, { cookie: s.cookie, 'x-csrf-token': s.csrfToken }),
      );
      expect(ok.status).toBe(201);
      expect(await ok.json()).toMatchObject({
        user: { email: body.email, role: 'analyst', disabled: false },
      });
    },
  );

  it.skipIf(backend.skip)('logs out: the session no longer works anywhere', async () => {
    const u = await createStaff(t.db, { role: 'municipality', municipalityCode: '4601' });
    const s = await logInAs(app, u.email, u.password);
    const out = await app.request('/api/v1/auth/logout', {
      method: 'POST',
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken },
    });
    expect(out.status).toBe(204);
    expect((await app.request('/api/v1/auth/me', { headers: { cookie: s.cookie } })).status).toBe(401);
  });

  it.skipIf(backend.skip)('ends sessions when they expire', async () => {
    const u = await createStaff(t.db, { role: 'analyst' });
    const s = await logInAs(app, u.email, u.password);
    clock.advance(7 * 3_600_000);
    expect((await app.request('/api/v1/auth/me', { headers: { cookie: s.cookie } })).status).toBe(200);
    clock.advance(2 * 3_600_000);
    expect((await app.request('/api/v1/auth/me', { headers: { cookie: s.cookie } })).status).toBe(401);
  });

  it.skipIf(backend.skip)(
    'enforces each route’s roles: 401 without login, 403 for the wrong role',
    async () => {
      const analyst = await createStaff(t.db, { role: 'analyst' });
      const muni = await createStaff(t.db, { role: 'municipality' });
      expect((await app.request('/api/v1/staff/users')).status).toBe(401);
      for (const u of [analyst, muni]) {
        const s = await logInAs(app, u.email, u.password);
        const res = await app.request('/api/v1/staff/users', { headers: { cookie: s.cookie } });
        expect(res.status).toBe(403);
        expect(((await res.json()) as { code: string }).code).toBe('forbidden');
      }
      const admin = await createStaff(t.db, { role: 'admin' });
      const s = await logInAs(app, admin.email, admin.password);
      const list = await app.request('/api/v1/staff/users', { headers: { cookie: s.cookie } });
      expect(list.status).toBe(200);
      const users = ((await list.json()) as { users: Record<string, unknown>[] }).users;
      expect(users.map((x) => x.email)).toEqual(expect.arrayContaining([analyst.email, muni.email]));
      expect(users.find((x) => x.email === muni.email)).toMatchObject({ municipalityCode: '0301' });
      expect(JSON.stringify(users)).not.toMatch(/password|scrypt/);
    },
  );

  it.skipIf(backend.skip)(
    'issues API tokens for scripts: shown once, stored hashed, no CSRF needed',
    async () => {
      const analyst = await createStaff(t.db, { role: 'analyst' });
      const s = await logInAs(app, analyst.email, analyst.password);
      const created = await app.request(
        '/api/v1/staff/tokens',
        jsonRequest(
          'POST',
          { name: 'nightly export', expiresInDays: 30 },
          { cookie: s.cookie, 'x-csrf-token': s.csrfToken },
        ),
      );
      expect(created.status).toBe(201);
      const { token } = (await created.json()) as { token: string };
      expect(token).toMatch(/^svar_[A-Za-z0-9_-]{43}$/);
      const stored = await t.db.selectFrom('api_token').selectAll().execute();
      expect(stored.some((r) => r.token_hash === hashSecretToken(token))).toBe(true);
      expect(JSON.stringify(stored)).not.toContain(token);

      const me = await app.request('/api/v1/auth/me', { headers: { authorization: `Bearer ${token}` } });
      expect(await me.json()).toMatchObject({
        user: { email: analyst.email, role: 'analyst' },
        via: 'token',
        csrfToken: null,
      });
      // A token carries its owner's role, nothing more.
      expect(
        (await app.request('/api/v1/staff/users', { headers: { authorization: `Bearer ${token}` } })).status,
      ).toBe(403);
      expect(
        (await app.request('/api/v1/auth/me', { headers: { authorization: 'Bearer svar_forged' } })).status,
      ).toBe(401);
      clock.advance(31 * 86_400_000);
      expect(
        (await app.request('/api/v1/auth/me', { headers: { authorization: `Bearer ${token}` } })).status,
      ).toBe(401);
    },
  );

  it.skipIf(backend.skip)(
    'disabling an account ends its sessions and tokens and refuses new logins',
    async () => {
      const admin = await createStaff(t.db, { role: 'admin' });
      const target = await createStaff(t.db, { role: 'analyst' });
      const a = await logInAs(app, admin.email, admin.password);
      const ts = await logInAs(app, target.email, target.password);
      const tok = await app.request(
        '/api/v1/staff/tokens',
        jsonRequest('POST', { name: 'x' }, { cookie: ts.cookie, 'x-csrf-token': ts.csrfToken }),
      );
      const { token } = (await tok.json()) as { token: string };

      const res = await app.request(`/api/v1/staff/users/${target.id}/disable`, {
        method: 'POST',
        headers: { cookie: a.cookie, 'x-csrf-token': a.csrfToken },
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ user: { disabled: true } });
      expect((await app.request('/api/v1/auth/me', { headers: { cookie: ts.cookie } })).status).toBe(401);
      expect(
        (await app.request('/api/v1/auth/me', { headers: { authorization: `Bearer ${token}` } })).status,
      ).toBe(401);
      const again = await app.request(
        '/api/v1/auth/login',
        jsonRequest('POST', { email: target.email, password: target.password }),
      );
      expect(again.status).toBe(401);
      const missing = await app.request('/api/v1/staff/users/not-a-uuid/disable', {
        method: 'POST',
        headers: { cookie: a.cookie, 'x-csrf-token': a.csrfToken },
      });
      expect(missing.status).toBe(404);
    },
  );

  it.skipIf(backend.skip)('refuses invalid accounts with every reason, and duplicates with 409', async () => {
    const admin = await createStaff(t.db, { role: 'admin' });
    const s = await logInAs(app, admin.email, admin.password);
    const h = { cookie: s.cookie, 'x-csrf-token': s.csrfToken };
    const bad = await app.request(
      '/api/v1/staff/users',
      jsonRequest(
        'POST',
        { email: 'not-an-email', displayName: '', role: 'municipality', password: 'short' },
        h,
      ),
    );
    expect(bad.status).toBe(422);
    const names = ((await bad.json()) as { invalid_params: { name: string }[] }).invalid_params.map(
      (p) => p.name,
    );
    expect(names).toEqual(expect.arrayContaining(['email', 'displayName', 'password', 'municipalityCode']));
    const dup = await app.request(
      '/api/v1/staff/users',
      jsonRequest(
        'POST',
        { email: admin.email, displayName: 'D', role: 'analyst', password: 'a long enough password' },
        h,
      ),
    );
    expect(dup.status).toBe(409);
    expect(((await dup.json()) as { code: string }).code).toBe('email_taken');
  });

  it.skipIf(backend.skip)(
    'limits failed logins per account across processes (429 with Retry-After)',
    async () => {
      const u = await createStaff(t.db, { role: 'analyst' });
      const other = makeApp(t, { clock });
      for (let i = 0; i < 10; i++) {
        const target = i % 2 === 0 ? app : other;
        const r = await target.request(
          '/api/v1/auth/login',
          jsonRequest('POST', { email: u.email, password: `wrong-${i}` }),
        );
        expect(r.status).toBe(401);
      }
      const locked = await app.request(
        '/api/v1/auth/login',
        jsonRequest('POST', { email: u.email, password: u.password }),
      );
      expect(locked.status).toBe(429);
      expect(locked.headers.get('retry-after')).toBe('900');
      clock.advance(16 * 60_000);
      expect(
        (
          await app.request(
            '/api/v1/auth/login',
            jsonRequest('POST', { email: u.email, password: u.password }),
          )
        ).status,
      ).toBe(200);
    },
  );
});
