// The access-control matrix: every route of the real app, tried as anonymous, a respondent, a delegate, a
// municipality user, a translator, an analyst and an admin. The matrix below is the one place that says who may call what; a
// route added without an entry here fails the first test, and every entry is checked against the running app.
// The role gate is what this proves; what a municipality user sees of other municipalities (data scope) is proven
// by the export, report, progress and delegation suites.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeAccess } from '../../server/http/access.ts';
import { newSecretToken } from '../../server/security/secret-token.ts';
import { createApiToken } from '../../server/staff/service.ts';
import { createStaff, makeApp } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';

type Who = 'public' | 'analyst' | 'municipality' | 'translator' | 'admin';

/** Who may call each route. Admins may call every staff route; `public` routes check a link's token themselves. */
const matrix: Record<string, Who[]> = {
  'GET /health': ['public'],
  'POST /api/v1/auth/login': ['public'],
  'POST /api/v1/auth/logout': ['analyst', 'municipality', 'translator', 'admin'],
  'GET /api/v1/auth/me': ['analyst', 'municipality', 'translator', 'admin'],
  'POST /api/v1/staff/tokens': ['analyst', 'municipality', 'admin'],
  'GET /api/v1/staff/users': ['admin'],
  'POST /api/v1/staff/users': ['admin'],
  'POST /api/v1/staff/users/:id/disable': ['admin'],
  'PATCH /api/v1/staff/users/:id': ['admin'],
  'GET /api/v1/instruments': ['analyst', 'municipality', 'admin'],
  'GET /api/v1/instruments/:id/diff': ['analyst', 'municipality', 'admin'],
  'GET /api/v1/instruments/:id/versions/:version': ['analyst', 'municipality', 'admin'],
  'GET /api/v1/instruments/:id/versions/:version/codebook': ['analyst', 'municipality', 'admin'],
  'GET /api/v1/definitions/:versionId/:locale': ['public'],
  'GET /api/v1/respond/:token': ['public'],
  'GET /api/v1/respond/:token/answers': ['public'],
  'POST /api/v1/respond/:token/answers': ['public'],
  'GET /api/v1/respond/:token/sections': ['public'],
  'POST /api/v1/respond/:token/sections/done': ['public'],
  'POST /api/v1/respond/:token/delegations': ['public'],
  'POST /api/v1/respond/:token/delegations/take-back': ['public'],
  'POST /api/v1/respond/:token/opt-out': ['public'],
  'POST /api/v1/respond/:token/submit': ['public'],
  'GET /api/v1/waves': ['analyst', 'municipality', 'admin'],
  'POST /api/v1/waves': ['admin'],
  'GET /api/v1/waves/:id': ['analyst', 'admin'],
  'GET /api/v1/wave-themes': ['admin'],
  'POST /api/v1/waves/:id/frame': ['admin'],
  'POST /api/v1/waves/:id/sample': ['admin'],
  'POST /api/v1/waves/:id/open': ['admin'],
  'POST /api/v1/waves/:id/reminders': ['admin'],
  'POST /api/v1/waves/:id/send': ['admin'],
  'GET /api/v1/waves/:id/rounds': ['admin'],
  'POST /api/v1/waves/:id/rounds/:round/links': ['admin'],
  'POST /api/v1/waves/:id/units/:externalId/reissue': ['admin'],
  'POST /api/v1/waves/:id/close': ['admin'],
  'POST /api/v1/waves/:id/purge-contacts': ['admin'],
  'GET /api/v1/waves/:id/progress': ['analyst', 'municipality', 'admin'],
  'GET /api/v1/waves/:id/delegations': ['analyst', 'municipality', 'admin'],
  'GET /api/v1/waves/:id/quality': ['analyst', 'admin'],
  'GET /api/v1/waves/:id/estimates': ['analyst', 'municipality', 'admin'],
  'GET /api/v1/waves/:id/factsheets/:municipality': ['analyst', 'municipality', 'admin'],
  'GET /api/v1/waves/:id/regions': ['analyst', 'municipality', 'admin'],
  'GET /api/v1/reports/trend': ['analyst', 'municipality', 'admin'],
  'GET /api/v1/exports': ['analyst', 'municipality', 'admin'],
  'GET /api/v1/translations/instruments': ['translator', 'admin'],
  'GET /api/v1/translations/:id/:version': ['translator', 'admin'],
  'GET /api/v1/translations/:id/:version/:locale': ['translator', 'admin'],
  'PATCH /api/v1/translations/:id/:version/:locale/strings/:key': ['translator', 'admin'],
  'POST /api/v1/translations/:id/:version/:locale/status': ['translator', 'admin'],
  'POST /api/v1/translations/:id/:version/:locale/comments': ['translator', 'admin'],
  'GET /api/v1/translations/:id/:version/:locale/xliff': ['translator', 'admin'],
  'POST /api/v1/translations/:id/:version/:locale/xliff': ['translator', 'admin'],
};

/** A concrete path for a route pattern: unknown but well-formed ids, so a handler that runs answers 4xx, not 5xx. */
function concrete(path: string): string {
  return path
    .replace(':token', newSecretToken())
    .replace(/:(id|versionId)\b/g, () => randomUUID())
    .replace(':version', '1')
    .replace(':locale', 'nb')
    .replace(':municipality', '0301')
    .replace(':externalId', 'unit-1')
    .replace(':round', '1');
}

const roles = ['analyst', 'municipality', 'translator', 'admin'] as const;

describe.each(backends())('access-control matrix on $name', (backend) => {
  let t: TestDatabase;
  let app: ReturnType<typeof makeApp>;
  const bearer: Record<string, string> = {};
  beforeAll(async () => {
    if (backend.skip) return;
    t = await backend.open();
    app = makeApp(t);
    for (const role of roles) {
      const user = await createStaff(t.db, { role });
      bearer[role] = (
        await createApiToken(t.db, { staffUserId: user.id, name: 'matrix' }, { kind: 'system' }, new Date())
      ).token;
    }
    // A respondent's or a delegate's link token is no staff credential, wherever it is sent.
    bearer.respondent = newSecretToken();
  });
  afterAll(async () => {
    await t?.close();
  });

  it.skipIf(backend.skip)('lists every route of the app, and no route the app does not have', () => {
    const declared = Object.keys(describeAccess(app)).sort();
    expect(declared).toEqual(Object.keys(matrix).sort());
  });

  async function call(route: string, auth: string | null) {
    const [method, path] = route.split(' ') as [string, string];
    const res = await app.request(concrete(path), {
      method,
      headers: {
        ...(auth ? { authorization: `Bearer ${auth}` } : {}),
        ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
      },
      ...(method === 'POST' ? { body: '{}' } : {}),
    });
    const body = res.headers.get('content-type')?.includes('json')
      ? ((await res.json().catch(() => ({}))) as { code?: string })
      : {};
    return { status: res.status, code: body.code };
  }

  it.skipIf(backend.skip)(
    'refuses anonymous callers and link tokens on every staff route with 401, and never fails with 5xx',
    async () => {
      for (const [route, who] of Object.entries(matrix)) {
        for (const auth of [null, bearer.respondent!]) {
          const r = await call(route, auth);
          expect(r.status, `${route} as ${auth ? 'respondent' : 'anonymous'}`).toBeLessThan(500);
          if (who.includes('public')) expect([401, 403], route).not.toContain(r.status);
          else expect(r.status, `${route} as ${auth ? 'respondent' : 'anonymous'}`).toBe(401);
        }
      }
    },
  );

  it.skipIf(backend.skip)(
    'lets each staff role through exactly the routes the matrix gives it, and refuses the rest with 403',
    async () => {
      for (const [route, who] of Object.entries(matrix)) {
        if (who.includes('public')) continue;
        for (const role of roles) {
          const r = await call(route, bearer[role]!);
          const label = `${route} as ${role}`;
          expect(r.status, label).toBeLessThan(500);
          if (who.includes(role)) expect(r.status === 401 || r.code === 'forbidden', label).toBe(false);
          else expect([r.status, r.code], label).toEqual([403, 'forbidden']);
        }
      }
    },
  );
});
