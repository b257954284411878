// Changing a staff account's role and municipality (PATCH /staff/users/:id): the pair stays consistent, the new
// role applies to the account's live session at once, the change is audited, and the last admin cannot be demoted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, jsonRequest, logInAs, makeApp } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';

describe.each(backends())('staff roles on $name', (backend) => {
  let t: TestDatabase;
  let app: ReturnType<typeof makeApp>;
  let admin: { cookie: string; csrfToken: string };
  const patch = (id: string, body: unknown, who = admin) =>
    app.request(
      `/api/v1/staff/users/${id}`,
      jsonRequest('PATCH', body, { cookie: who.cookie, 'x-csrf-token': who.csrfToken }),
    );

  beforeAll(async () => {
    if (backend.skip) return;
    t = await backend.open();
    app = makeApp(t);
    const a = await createStaff(t.db, { role: 'admin' });
    admin = await logInAs(app, a.email, a.password);
  });
  afterAll(async () => t?.close());

  it.skipIf(backend.skip)(
    'makes an analyst a municipality user; their open session gets the new role and scope at once',
    async () => {
      const u = await createStaff(t.db, { role: 'analyst' });
      const session = await logInAs(app, u.email, u.password);
      const res = await patch(u.id, { role: 'municipality', municipalityCode: '4601' });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ user: { role: 'municipality', municipalityCode: '4601' } });
      const me = await app.request('/api/v1/auth/me', { headers: { cookie: session.cookie } });
      expect(await me.json()).toMatchObject({ user: { role: 'municipality', municipalityCode: '4601' } });
      const users = await app.request('/api/v1/staff/users', { headers: { cookie: session.cookie } });
      expect(users.status).toBe(403);
      const audit = await t.db
        .selectFrom('audit_event')
        .selectAll()
        .where('action', '=', 'staff.role_changed')
        .where('subject_id', '=', u.id)
        .execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]!.details).toMatchObject({
        from: { role: 'analyst', municipalityCode: null },
        to: { role: 'municipality', municipalityCode: '4601' },
      });
    },
  );

  it.skipIf(backend.skip)('makes a translator, and back to analyst the municipality goes away', async () => {
    const u = await createStaff(t.db, { role: 'municipality', municipalityCode: '0301' });
    expect(await (await patch(u.id, { role: 'translator' })).json()).toMatchObject({
      user: { role: 'translator', municipalityCode: null },
    });
    expect(await (await patch(u.id, { role: 'analyst', municipalityCode: null })).json()).toMatchObject({
      user: { role: 'analyst', municipalityCode: null },
    });
  });

  it.skipIf(backend.skip)(
    'refuses an inconsistent pair, an unknown role and an unknown account, changing nothing',
    async () => {
      const u = await createStaff(t.db, { role: 'analyst' });
      const cases: [unknown, number, string][] = [
        [{ role: 'municipality' }, 422, 'validation_failed'],
        [{ role: 'analyst', municipalityCode: '0301' }, 422, 'validation_failed'],
        [{ role: 'municipality', municipalityCode: 'Oslo' }, 422, 'validation_failed'],
        [{ role: 'superuser' }, 422, 'validation_failed'],
        [{ role: 'analyst', password: 'x' }, 422, 'validation_failed'],
      ];
      for (const [body, status, code] of cases) {
        const res = await patch(u.id, body);
        expect(res.status, JSON.stringify(body)).toBe(status);
        expect(((await res.json()) as { code: string }).code).toBe(code);
      }
      const unknown = await patch('00000000-0000-4000-8000-000000000000', { role: 'analyst' });
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { code: string }).code).toBe('staff_user_not_found');
      const row = await t.db
        .selectFrom('staff_user')
        .selectAll()
        .where('id', '=', u.id)
        .executeTakeFirstOrThrow();
      expect([row.role, row.municipality_code]).toEqual(['analyst', null]);
    },
  );

  it.skipIf(backend.skip)(
    'does not demote or disable the last enabled admin, but demotes once there is another',
    async () => {
      // A database of its own, so the admins counted are only this test's.
      const own = await backend.open();
      try {
        const ownApp = makeApp(own);
        const only = await createStaff(own.db, { role: 'admin' });
        const s = await logInAs(ownApp, only.email, only.password);
        const demote = () =>
          ownApp.request(
            `/api/v1/staff/users/${only.id}`,
            jsonRequest('PATCH', { role: 'analyst' }, { cookie: s.cookie, 'x-csrf-token': s.csrfToken }),
          );
        const disable = () =>
          ownApp.request(`/api/v1/staff/users/${only.id}/disable`, {
            method: 'POST',
            headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken },
          });
        const refused = await demote();
        expect(refused.status).toBe(409);
        expect(((await refused.json()) as { code: string }).code).toBe('last_admin');
        // Nor can the last admin be disabled; nothing changed either way.
        const notDisabled = await disable();
        expect(notDisabled.status).toBe(409);
        expect(((await notDisabled.json()) as { code: string }).code).toBe('last_admin');
        const row = await own.db
          .selectFrom('staff_user')
          .select(['role', 'disabled_at'])
          .where('id', '=', only.id)
          .executeTakeFirstOrThrow();
        expect(row).toEqual({ role: 'admin', disabled_at: null });
        await createStaff(own.db, { role: 'admin' });
        expect((await demote()).status).toBe(200);
      } finally {
        await own.close();
      }
    },
  );

  it.skipIf(backend.skip)('needs the session CSRF token, and is for admins only', async () => {
    const u = await createStaff(t.db, { role: 'analyst' });
    const noCsrf = await app.request(
      `/api/v1/staff/users/${u.id}`,
      jsonRequest('PATCH', { role: 'admin' }, { cookie: admin.cookie }),
    );
    expect(noCsrf.status).toBe(403);
    const analyst = await logInAs(app, u.email, u.password);
    const self = await patch(u.id, { role: 'admin' }, analyst);
    expect(self.status).toBe(403);
    const row = await t.db
      .selectFrom('staff_user')
      .select('role')
      .where('id', '=', u.id)
      .executeTakeFirstOrThrow();
    expect(row.role).toBe('analyst');
  });
});
