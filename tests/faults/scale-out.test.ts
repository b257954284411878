// Two `svar start` processes on different ports over one PostgreSQL, as behind a load balancer: whatever one
// process did, the other sees at once. Saves, login sessions, the login limit and revoked links hold across both,
// because none of them is kept in a process's memory. PostgreSQL only: the embedded database has one process.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loginLimits } from '../../server/staff/login.ts';
import { createStaff } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { openMiniWave } from '../helpers/fieldwork.ts';
import { type RunningServer, startSvar } from '../helpers/processes.ts';
import { type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 300_000 });

const postgres = backends().find((b) => b.name === 'postgres')!;

type Json = Record<string, any>;

describe.skipIf(postgres.skip)('two server processes over one PostgreSQL', () => {
  let t: TestDatabase;
  let w: SurveyWorkspace;
  let fw: Awaited<ReturnType<typeof openMiniWave>>;
  let a: RunningServer;
  let b: RunningServer;
  beforeAll(async () => {
    t = await postgres.open();
    w = surveyWorkspace();
    fw = await openMiniWave(t.db, w, { now: new Date(Date.now() - 60_000) });
    const env = { DATABASE_URL: t.config.kind === 'postgres' ? t.config.url : '' };
    [a, b] = await Promise.all([startSvar([], env), startSvar([], env)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    w?.remove();
    await t?.close();
  });

  const call = async (server: RunningServer, path: string, init: RequestInit = {}) => {
    const res = await fetch(`${server.url}/api/v1${path}`, init);
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as Json };
  };
  const post = (server: RunningServer, path: string, body: unknown, headers: Record<string, string> = {}) =>
    call(server, path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const logIn = (server: RunningServer, email: string, password: string) =>
    post(server, '/auth/login', { email, password });

  it('a save through one process is read through the other, and built on there', async () => {
    const token = fw.token('p1');
    const saved = await post(a, `/respond/${token}/answers`, {
      answers: { q_sat: 2 },
      device: 'phone',
      seq: 1,
    });
    expect(saved.status).toBe(200);
    const read = await call(b, `/respond/${token}/answers`);
    expect(read.body).toMatchObject({ answers: { q_sat: 2 }, revs: { q_sat: saved.body.revs.q_sat } });
    // Another device, through the other process, from the revision it read: no conflict, both answers kept.
    const next = { answers: { q_sat: 1, q_months: 7 }, bases: read.body.revs, device: 'laptop', seq: 1 };
    expect((await post(b, `/respond/${token}/answers`, next)).status).toBe(200);
    expect((await call(a, `/respond/${token}`)).body.answers).toEqual({ q_sat: 1, q_months: 7 });
    // And the phone, not having seen that, is told of the conflict by the first process.
    const stale = await post(a, `/respond/${token}/answers`, {
      answers: { q_sat: 98 },
      device: 'phone',
      seq: 2,
    });
    expect(stale.body.code).toBe('answer_conflict');
  });

  it('a login session made on one process works on the other, and a logout on either ends it', async () => {
    const admin = await createStaff(t.db, { role: 'admin' });
    const login = await logIn(a, admin.email, admin.password);
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const me = await call(b, '/auth/me', { headers: { cookie } });
    expect(me).toMatchObject({ status: 200, body: { user: { email: admin.email }, via: 'session' } });
    const out = await call(b, '/auth/logout', {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': login.body.csrfToken },
    });
    expect(out.status).toBe(204);
    expect((await call(a, '/auth/me', { headers: { cookie } })).status).toBe(401);
  });

  it('the login limit counts failures across both processes, even in parallel', async () => {
    const analyst = await createStaff(t.db, { role: 'analyst' });
    const tries = 2 * loginLimits.perAccountAndSource;
    const results = await Promise.all(
      Array.from({ length: tries }, (_, i) => logIn(i % 2 ? a : b, analyst.email, `wrong ${i}`)),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(loginLimits.perAccountAndSource);
    expect(statuses.filter((s) => s === 429)).toHaveLength(tries - loginLimits.perAccountAndSource);
    for (const server of [a, b]) {
      const right = await logIn(server, analyst.email, analyst.password);
      expect(right.status).toBe(429);
      expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  it('a link reissued through one process is refused at once by the other, whatever it had cached', async () => {
    const old = fw.token('p2');
    // The second process has used the link: it knows its version.
    expect((await post(b, `/respond/${old}/answers`, { answers: { q_sat: 2 } })).status).toBe(200);
    const admin = await createStaff(t.db, { role: 'admin' });
    const login = await logIn(a, admin.email, admin.password);
    const reissued = await post(a, `/waves/${fw.wave.id}/units/p2/reissue`, null, {
      cookie: login.headers.get('set-cookie')!.split(';')[0]!,
      'x-csrf-token': login.body.csrfToken,
    });
    expect(reissued.status).toBe(200);
    const fresh = String(reissued.body.link).split('/s/')[1]!;
    // Every use of the old link through the other process answers as an unknown link would.
    const refusals = [
      await call(b, `/respond/${old}`),
      await post(b, `/respond/${old}/answers`, { answers: { q_sat: 1 } }),
      await post(b, `/respond/${old}/answers`, { answers: { q_sat: 7 } }), // invalid too: still 404
      await call(b, `/respond/${old}/answers`),
      await post(b, `/respond/${old}/submit`, {}),
    ];
    for (const r of refusals) expect(r).toMatchObject({ status: 404, body: { code: 'link_not_valid' } });
    // The new link carries on with the same response through either process.
    expect((await call(b, `/respond/${fresh}/answers`)).body.answers).toEqual({ q_sat: 2 });
    expect((await post(b, `/respond/${fresh}/submit`, {})).status).toBe(200);
    expect((await call(a, `/respond/${fresh}`)).body.status).toBe('completed');
  });
});
