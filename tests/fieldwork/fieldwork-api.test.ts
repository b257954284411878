// The fieldwork API: admins run a wave; analysts watch progress; a municipality user sees only its own units.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createStaff, jsonRequest, logInAs, makeApp } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { publishMini } from '../helpers/fieldwork.ts';
import { type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

describe.each(backends())('fieldwork API on $name', (backend) => {
  let t: TestDatabase;
  let w: SurveyWorkspace;
  beforeAll(async () => {
    if (!backend.skip) t = await backend.open();
  });
  afterAll(async () => t?.close());
  beforeEach(() => {
    w = surveyWorkspace();
  });
  afterEach(() => w.remove());

  it.skipIf(backend.skip)(
    'creates, fills, samples, opens and reports a wave, each step for the right roles',
    async () => {
      const instrumentId = await publishMini(t.db, w);
      const app = makeApp(t);
      const admin = await createStaff(t.db, { role: 'admin' });
      const analyst = await createStaff(t.db, { role: 'analyst' });
      const oslo = await createStaff(t.db, { role: 'municipality', municipalityCode: '0301' });
      const a = await logInAs(app, admin.email, admin.password);
      const asAdmin = { cookie: a.cookie, 'x-csrf-token': a.csrfToken };

      const created = await app.request(
        '/api/v1/waves',
        jsonRequest(
          'POST',
          { instrumentId, version: 1, name: 'API wave', mode: 'sample', locales: ['nb', 'nn'] },
          asAdmin,
        ),
      );
      expect(created.status).toBe(201);
      const { wave } = (await created.json()) as { wave: { id: string; small_cell_k: number } };
      expect(wave.small_cell_k).toBe(5);
      const stricter = await app.request(
        '/api/v1/waves',
        jsonRequest(
          'POST',
          { instrumentId, version: 1, name: 'K', mode: 'census', locales: ['nb', 'nn'], smallCellK: 10 },
          asAdmin,
        ),
      );
      expect(((await stricter.json()) as { wave: { small_cell_k: number } }).wave.small_cell_k).toBe(10);
      const tooSmall = await app.request(
        '/api/v1/waves',
        jsonRequest(
          'POST',
          { instrumentId, version: 1, name: 'K1', mode: 'census', locales: ['nb', 'nn'], smallCellK: 1 },
          asAdmin,
        ),
      );
      expect(tooSmall.status).toBe(422);

      const an = await logInAs(app, analyst.email, analyst.password);
      const forbidden = await app.request(
        '/api/v1/waves',
        jsonRequest(
          'POST',
          { instrumentId, version: 1, name: 'x', mode: 'census', locales: ['nb', 'nn'] },
          { cookie: an.cookie, 'x-csrf-token': an.csrfToken },
        ),
      );
      expect(forbidden.status).toBe(403);

      const frame = [
        'external_id;municipality_code;preferred_language',
        ...Array.from({ length: 20 }, (_, i) => `u${i};${i < 10 ? '0301' : '4601'};nb`),
      ].join('\n');
      const imported = await app.request(`/api/v1/waves/${wave.id}/frame?filename=frame.csv`, {
        method: 'POST',
        headers: { ...asAdmin, 'content-type': 'text/csv' },
        body: frame,
      });
      expect(await imported.json()).toMatchObject({ rows: 20, added: 20 });

      const sample = await app.request(
        `/api/v1/waves/${wave.id}/sample`,
        jsonRequest(
          'POST',
          { size: 6, strata: 'municipality_code', allocation: 'equal', seed: 's' },
          asAdmin,
        ),
      );
      expect(
        ((await sample.json()) as { table: { sampleSize: number }[] }).table.map((r) => r.sampleSize),
      ).toEqual([3, 3]);
      const tooBig = await app.request(
        `/api/v1/waves/${wave.id}/sample`,
        jsonRequest('POST', { size: 99 }, asAdmin),
      );
      expect(tooBig.status).toBe(422);
      expect(((await tooBig.json()) as { code: string }).code).toBe('sampling_invalid');

      const opened = await app.request(`/api/v1/waves/${wave.id}/open`, jsonRequest('POST', {}, asAdmin));
      // The distribution list is the answer itself, streamed as CSV while the links are issued.
      expect(opened.status).toBe(200);
      expect(opened.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(opened.headers.get('svar-round')).toBe('1');
      const csv = Buffer.from(await opened.arrayBuffer()).toString('utf8');
      const list = csv.split('\n').filter(Boolean);
      expect(list).toHaveLength(7);
      // With a BOM, so Norwegian Excel opens it as UTF-8 in columns.
      expect(list[0]).toBe(
        '\uFEFFexternal_id;link;opt_out_link;preferred_language;municipality_code;name;email;phone',
      );

      const progress = await app.request(`/api/v1/waves/${wave.id}/progress?by=municipality`, {
        headers: { cookie: an.cookie },
      });
      expect(
        ((await progress.json()) as { rows: { group: string; invited: number }[] }).rows.map((r) => [
          r.group,
          r.invited,
        ]),
      ).toEqual([
        ['0301', 3],
        ['4601', 3],
      ]);
      const o = await logInAs(app, oslo.email, oslo.password);
      // A municipality user lists waves (to find a fact sheet's wave), never their sampling tables.
      const listed = await app.request('/api/v1/waves', { headers: { cookie: o.cookie } });
      expect(listed.status).toBe(200);
      const waves = ((await listed.json()) as { waves: Record<string, unknown>[] }).waves;
      expect(waves.map((x) => x.id)).toContain(wave.id);
      expect(waves.every((x) => !('sampling' in x))).toBe(true);
      const own = await app.request(`/api/v1/waves/${wave.id}/progress?by=municipality`, {
        headers: { cookie: o.cookie },
      });
      expect(((await own.json()) as { rows: { group: string }[] }).rows.map((r) => r.group)).toEqual([
        '0301',
      ]);
      const badBy = await app.request(`/api/v1/waves/${wave.id}/progress?by=planet`, {
        headers: { cookie: an.cookie },
      });
      expect(badBy.status).toBe(422);
      expect((await app.request('/api/v1/waves/not-a-uuid', { headers: { cookie: an.cookie } })).status).toBe(
        422,
      );
    },
  );
});
