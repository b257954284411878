// Property-based fuzzing of every route of the app (issue 12, "Hostile input"): hostile path parameters, queries,
// headers, credentials and bodies, each case answered with a 2xx or a 4xx problem document with a stable code, never
// a 5xx; and a rejected case changes no row of the survey, fieldwork, response and account tables.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/connect.ts';
import { addUnits, closeWave, createWave, openWave } from '../../server/fieldwork/service.ts';
import { describeAccess } from '../../server/http/access.ts';
import { saveAnswers, submitResponse } from '../../server/responses/service.ts';
import { createApiToken } from '../../server/staff/service.ts';
import { createStaff, logInAs, makeApp } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { openMiniWave } from '../helpers/fieldwork.ts';
import { CaseTally, fuzzApp, fuzzParameters, fuzzRuns, fuzzTimeout, judge } from '../helpers/fuzz.ts';
import { encodeAll, hostileSegment, hostileString } from '../helpers/fuzz-input.ts';
import {
  type FuzzFixtures,
  type FuzzRequest,
  regressionCases,
  requestArb,
} from '../helpers/fuzz-requests.ts';
import { digest, stamp } from '../helpers/fuzz-state.ts';
import { type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

const runs = fuzzRuns(60);

// The route table is the app's own (the access matrix proves it matches tests/http/access-matrix.test.ts): building
// the app only registers routes, so no database is needed to read it, and a route added later is fuzzed too.
const routeTable = describeAccess(makeApp({ db: null as unknown as Db, kind: 'pglite' }));
const groupOf = (route: string) => route.split(' ')[1]!.split('/')[3] ?? 'health';
const groups = [...new Set(Object.keys(routeTable).map(groupOf))].sort();
const patterns = Object.keys(routeTable).map((route) => {
  const [method, path] = route.split(' ') as [string, string];
  return { method, regex: new RegExp(`^${path.replace(/:[A-Za-z]+/g, '[^/]+')}$`) };
});
const declared = (method: string, path: string) =>
  patterns.some((p) => p.method === method && p.regex.test(path));

describe.each(backends())('fuzzing every endpoint on $name', (backend) => {
  let t: TestDatabase;
  let w: SurveyWorkspace;
  let app: ReturnType<typeof fuzzApp>['app'];
  let logged: ReturnType<typeof fuzzApp>['logged'];
  let f: FuzzFixtures;
  const tally = new CaseTally();

  beforeAll(async () => {
    if (backend.skip) return;
    t = await backend.open();
    w = surveyWorkspace();
    ({ app, logged } = fuzzApp(t));
    const cli = { kind: 'cli' } as const;
    const respondents = await openMiniWave(t.db, w);
    // Staff routes get waves of their own: a fuzzed close or sample must not end the respondents' wave.
    const newWave = (name: string, mode: 'census' | 'sample') =>
      createWave(
        t.db,
        {
          instrumentId: respondents.instrumentId,
          version: 1,
          name,
          mode,
          locales: ['nb', 'nn', 'ar'],
          allowDraftLocales: true,
        },
        cli,
      );
    const draft = await newWave('Fuzz draft', 'sample');
    await addUnits(t.db, draft.id, [{ externalId: 'u1' }, { externalId: 'u2' }]);
    const open = await newWave('Fuzz open', 'census');
    await addUnits(t.db, open.id, [{ externalId: 'u1' }, { externalId: 'u2' }]);
    await openWave(t.db, open.id, cli, new Date('2026-11-25T12:00:00Z'));
    // A closed wave with answers, so report, estimate and export routes run their whole path, not only refusals.
    const closed = await newWave('Fuzz closed', 'census');
    await addUnits(t.db, closed.id, [
      { externalId: 'c1', municipalityCode: '0301' },
      { externalId: 'c2', municipalityCode: '4601' },
      { externalId: 'c3', municipalityCode: '0301', preferredLocale: 'ar' },
    ]);
    const fieldworkDay = new Date('2026-11-25T12:00:00Z');
    const links = await openWave(t.db, closed.id, cli, fieldworkDay);
    for (const [i, link] of links.entries()) {
      const answers = { q_sat: [1, 2, 98][i]!, q_months: 3 + i };
      await saveAnswers(t.db, link.token, { answers }, { now: fieldworkDay });
      if (i < 2) await submitResponse(t.db, link.token, { now: fieldworkDay });
    }
    await closeWave(t.db, closed.id, cli, new Date('2026-11-26T12:00:00Z'));
    const bearer = {} as FuzzFixtures['bearer'];
    for (const role of ['admin', 'analyst', 'municipality'] as const) {
      const user = await createStaff(t.db, { role });
      bearer[role] = (
        await createApiToken(t.db, { staffUserId: user.id, name: 'fuzz' }, cli, new Date())
      ).token;
    }
    const sessionUser = await createStaff(t.db, { role: 'admin' });
    const victim = await createStaff(t.db, { role: 'analyst' });
    const versions = await t.db.selectFrom('instrument_version').select('id').execute();
    f = {
      tokens: respondents.links.map((l) => l.token),
      waveIds: [closed.id, draft.id, open.id],
      instrumentIds: [respondents.instrumentId],
      victimIds: [victim.id],
      versionIds: versions.map((v) => v.id),
      bearer,
      session: await logInAs(app, sessionUser.email, sessionUser.password),
    };
  });
  afterAll(async () => {
    if (!backend.skip) console.log(tally.summary(backend.name));
    w?.remove();
    await t?.close();
  });

  /** Sends one case; a rejected one must leave every table as it was. */
  async function send(group: string, r: FuzzRequest, last: { stamp: Record<string, string> }) {
    const res = await app.request(r.url, r.init);
    const verdict = await judge(res, r.describe(), logged);
    tally.add(group, verdict.accepted);
    const now = await stamp(t.db);
    if (!verdict.accepted)
      expect(now, `${verdict.status} ${verdict.code} changed rows: ${r.describe()}`).toEqual(last.stamp);
    last.stamp = now;
    return verdict;
  }

  it.skipIf(backend.skip).each(groups)(
    'answers hostile input to every /%s route with a 2xx or a 4xx problem, and a rejection changes nothing',
    async (group) => {
      const routes = Object.entries(routeTable).filter(([route]) => groupOf(route) === group);
      for (const [route, rule] of routes) {
        const before = await digest(t.db);
        const last = { stamp: await stamp(t.db) };
        let accepted = 0;
        await fc.assert(
          fc.asyncProperty(requestArb(route, rule, f), async (r) => {
            if ((await send(group, r, last)).accepted) accepted++;
          }),
          fuzzParameters(runs, regressionCases(route, rule, f)),
        );
        // A batch without a single accepted case must leave every row as it was, byte for byte.
        if (accepted === 0) expect(await digest(t.db), route).toEqual(before);
      }
    },
    fuzzTimeout(runs * 20),
  );

  it.skipIf(backend.skip)(
    'answers unknown paths and methods with a 404 or 405 problem, whatever the credentials',
    async () => {
      const paths = Object.keys(routeTable).map((r) => r.split(' ')[1]!);
      const caseArb = fc.record({
        method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
        path: fc.oneof(
          fc.constantFrom(...paths).map((p) => p.replace(/:[A-Za-z]+/g, 'x')),
          fc.array(hostileSegment, { minLength: 1, maxLength: 5 }).map((s) => `/api/v1/${s.join('/')}`),
          hostileString.map((s) => `/api/${encodeAll(s)}`),
        ),
        bearer: fc.constantFrom(null, f.bearer.admin, f.bearer.analyst),
      });
      const before = await digest(t.db);
      const last = { stamp: await stamp(t.db) };
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(caseArb, async ({ method, path, bearer }) => {
          const headers: Record<string, string> = bearer ? { authorization: `Bearer ${bearer}` } : {};
          const r = { url: path, init: { method, headers }, describe: () => `${method} ${path}` };
          const v = await send('unknown-routes', r, last);
          if (v.accepted) accepted++;
          // A method no route declares for the path is refused before any handler: an app.all() would show here.
          if (!declared(method, path)) expect([404, 405], r.describe()).toContain(v.status);
        }),
        fuzzParameters(runs),
      );
      if (accepted === 0) expect(await digest(t.db)).toEqual(before);
    },
    fuzzTimeout(runs),
  );
});
