// The respondent API: by link, validated against the pinned version, merged per question, never losing an answer.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeWave } from '../../server/fieldwork/service.ts';
import { hashSecretToken } from '../../server/security/secret-token.ts';
import { jsonRequest, makeApp, TestClock } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { openMiniWave } from '../helpers/fieldwork.ts';
import { type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

const arabic = JSON.parse(
  readFileSync(new URL('../../locales/ar/respondent.json', import.meta.url), 'utf8'),
) as Record<string, string>;

describe.each(backends())('respondent API on $name', (backend) => {
  let t: TestDatabase;
  let w: SurveyWorkspace;
  let clock: TestClock;
  let app: ReturnType<typeof makeApp>;
  let fw: Awaited<ReturnType<typeof openMiniWave>>;
  beforeAll(async () => {
    if (!backend.skip) t = await backend.open();
  });
  afterAll(async () => t?.close());
  beforeEach(async () => {
    if (backend.skip) return;
    w = surveyWorkspace();
    clock = new TestClock(new Date('2026-11-26T08:00:00Z'));
    app = makeApp(t, { clock, config: { localesDir: `${process.cwd()}/locales` } });
    fw = await openMiniWave(t.db, w);
  });
  afterEach(() => w?.remove());

  const save = (token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    app.request(`/api/v1/respond/${token}/answers`, jsonRequest('POST', body, headers));
  const stored = async (externalId: string) =>
    t.db
      .selectFrom('response')
      .innerJoin('frame_unit', 'frame_unit.id', 'response.frame_unit_id')
      .selectAll('response')
      .where('frame_unit.external_id', '=', externalId)
      .where('frame_unit.wave_id', '=', fw.wave.id)
      .executeTakeFirst();

  it.skipIf(backend.skip)(
    'opens the pinned version in the invitation’s language, right to left for Arabic',
    async () => {
      const res = await app.request(`/api/v1/respond/${fw.token('p1')}`);
      expect(res.status).toBe(200);
      const view = (await res.json()) as Record<string, any>;
      expect(view).toMatchObject({
        instrumentId: fw.instrumentId,
        version: 1,
        status: 'in_progress',
        locale: 'ar',
        dir: 'rtl',
        answers: {},
      });
      expect(view.locales).toEqual([
        { locale: 'nb', name: 'norsk bokmål', dir: 'ltr' },
        { locale: 'nn', name: 'norsk nynorsk', dir: 'ltr' },
        { locale: 'ar', name: 'العربية', dir: 'rtl' },
      ]);
      expect(view.definition.pages[0].elements[0].title.ar).toBe('ما مدى رضاك؟');
      // Without an invitation language: the browser's, else bokmål.
      const nn = (await (
        await app.request(`/api/v1/respond/${fw.token('p2')}`, {
          headers: { 'accept-language': 'nn-NO,nb;q=0.8' },
        })
      ).json()) as Record<string, unknown>;
      expect(nn.locale).toBe('nn');
      const nb = (await (
        await app.request(`/api/v1/respond/${fw.token('p3')}`, { headers: { 'accept-language': 'de' } })
      ).json()) as Record<string, unknown>;
      expect(nb.locale).toBe('nb');
      const inv = await t.db
        .selectFrom('invitation')
        .select('opened_at')
        .where('token_hash', '=', hashSecretToken(fw.token('p1')))
        .executeTakeFirstOrThrow();
      expect(inv.opened_at).toBeInstanceOf(Date);
    },
  );

  it.skipIf(backend.skip)(
    'answers an unknown and a revoked link alike, in the respondent’s language',
    async () => {
      await t.db
        .updateTable('invitation')
        .set({ revoked_at: new Date() })
        .where('token_hash', '=', hashSecretToken(fw.token('p2')))
        .execute();
      const unknown = await app.request(`/api/v1/respond/${'x'.repeat(43)}`, {
        headers: { 'accept-language': 'ar' },
      });
      const revoked = await app.request(`/api/v1/respond/${fw.token('p2')}`, {
        headers: { 'accept-language': 'ar' },
      });
      const garbage = await app.request('/api/v1/respond/short', { headers: { 'accept-language': 'ar' } });
      for (const r of [unknown, revoked, garbage]) {
        expect(r.status).toBe(404);
        expect(r.headers.get('content-type')).toMatch(/problem\+json/);
      }
      const [a, b] = (await Promise.all([unknown.json(), revoked.json()])) as Record<string, unknown>[];
      expect(a!.code).toBe('link_not_valid');
      expect(a!.detail).toBe(arabic['problem.link_not_valid']);
      expect(a!.detail).toMatch(/[\u0600-\u06FF]/);
      expect({ ...a, requestId: 0, instance: 0 }).toEqual({ ...b, requestId: 0, instance: 0 });
    },
  );

  it.skipIf(backend.skip)('refuses a closed wave with 410', async () => {
    await closeWave(t.db, fw.wave.id, { kind: 'cli' }, clock.now());
    const res = await app.request(`/api/v1/respond/${fw.token('p1')}?locale=nb`);
    expect(res.status).toBe(410);
    expect(await res.json()).toMatchObject({ code: 'survey_closed', detail: 'Undersøkelsen er avsluttet.' });
  });

  it.skipIf(backend.skip)('saves answers with who set them and when, durable before 200', async () => {
    const res = await save(
      fw.token('p1'),
      { answers: { q_sat: 2, q_months: 14, q_topics: [1, 3] }, clientTime: 1000, page: 'p2', locale: 'ar' },
      {
        'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148',
      },
    );
    expect(res.status).toBe(200);
    const result = (await res.json()) as { applied: string[]; revs: Record<string, number> };
    expect(result.applied).toEqual(['q_sat', 'q_months', 'q_topics']);
    const r = (await stored('p1'))!;
    expect(r.answers).toEqual({ q_sat: 2, q_months: 14, q_topics: [1, 3] });
    // The revision is the server's; the client's clock is not kept.
    expect(r.answer_meta.q_sat).toEqual({
      by: 'respondent',
      dev: '',
      at: '2026-11-26T08:00:00.000Z',
      rev: result.revs.q_sat,
    });
    expect(r).toMatchObject({
      current_page: 'p2',
      locale: 'ar',
      locales_used: ['ar'],
      device_class: 'mobile',
      status: 'in_progress',
    });
    const view = (await (await app.request(`/api/v1/respond/${fw.token('p1')}`)).json()) as Record<
      string,
      unknown
    >;
    expect(view).toMatchObject({
      answers: { q_sat: 2, q_months: 14, q_topics: [1, 3] },
      currentPage: 'p2',
      locale: 'ar',
    });
  });

  it.skipIf(backend.skip)(
    'refuses invalid answers with 422 naming each code, storing nothing of the request',
    async () => {
      await save(fw.token('p1'), { answers: { q_sat: 1 }, clientTime: 1 });
      const res = await save(
        fw.token('p1'),
        {
          answers: { q_why: 'ok', q_sat: 7, q_months: 99, q_topics: 'Norsk', q_nope: 1, q_why2: null },
          clientTime: 2,
        },
        { 'accept-language': 'ar' },
      );
      expect(res.status).toBe(422);
      const body = (await res.json()) as {
        code: string;
        detail: string;
        invalid_params: { name: string; reason: string }[];
      };
      expect(body.code).toBe('invalid_answers');
      expect(body.invalid_params.map((p) => p.name).sort()).toEqual([
        'q_months',
        'q_nope',
        'q_sat',
        'q_topics',
        'q_why2',
      ]);
      expect(body.invalid_params.find((p) => p.name === 'q_months')?.reason).toBe('must be at most 36');
      expect(body.invalid_params.find((p) => p.name === 'q_sat')?.reason).toBe(
        '7 is not one of its answer codes',
      );
      expect((await stored('p1'))!.answers).toEqual({ q_sat: 1 });
      // Wrong types: text for a number, a list with a repeated code, an object for a single choice.
      const types = await save(fw.token('p1'), {
        answers: { q_months: 'many', q_topics: [1, 1], q_sat: { a: 1 } },
        clientTime: 3,
      });
      expect(((await types.json()) as { invalid_params: unknown[] }).invalid_params).toHaveLength(3);
      const badBody = await save(fw.token('p1'), { answers: { q_sat: 1 }, bases: { q_sat: -1 } });
      expect(badBody.status).toBe(422);
      expect((await save(fw.token('p1'), { answers: { q_sat: 1 }, device: 'no spaces' })).status).toBe(422);
      const badLocale = await save(fw.token('p1'), { answers: {}, clientTime: 4, locale: 'ti' });
      expect(((await badLocale.json()) as { code: string }).code).toBe('unknown_locale');
    },
  );

  it.skipIf(backend.skip)(
    'orders saves by server revisions: a retry never conflicts, another device from an old revision does',
    async () => {
      const token = fw.token('p2');
      type Result = { revs: Record<string, number>; code?: string; conflicts?: Record<string, unknown>[] };
      const send = async (body: Record<string, unknown>) => {
        const res = await save(token, body);
        return { status: res.status, body: (await res.json()) as Result };
      };
      const first = await send({ answers: { q_sat: 2 }, device: 'phone', clientTime: 9_000_000_000_000 });
      const rev = first.body.revs.q_sat!;
      // The same page again (a retry, or its next change from the revision it saw): applies.
      expect((await send({ answers: { q_sat: 2 }, device: 'phone' })).status).toBe(200);
      expect((await send({ answers: { q_sat: 1, q_months: 5 }, device: 'phone', page: 'p1' })).status).toBe(
        200,
      );
      // Another device that never saw those answers: a conflict on q_sat, naming the stored value; nothing stored.
      const other = await send({ answers: { q_sat: 2, q_topics: [1] }, device: 'laptop', clientTime: 1 });
      expect(other.status).toBe(409);
      expect(other.body.code).toBe('answer_conflict');
      expect(other.body.conflicts).toEqual([
        expect.objectContaining({ code: 'q_sat', value: 1, by: 'respondent', byRole: 'respondent' }),
      ]);
      expect((await stored('p2'))!.answers).toEqual({ q_sat: 1, q_months: 5 });
      // Having seen the current revision, the other device's change applies whatever its clock says.
      const view = (await (await app.request(`/api/v1/respond/${token}`)).json()) as Result;
      expect(view.revs.q_sat).toBeGreaterThan(rev);
      expect(
        (await send({ answers: { q_sat: 2, q_topics: [2] }, bases: view.revs, device: 'laptop' })).status,
      ).toBe(200);
      // A value equal to what is stored never conflicts; clearing merges per question.
      expect((await send({ answers: { q_sat: 2 }, device: 'tablet', page: 'p2' })).status).toBe(200);
      expect((await send({ answers: { q_months: null }, bases: view.revs, device: 'laptop' })).status).toBe(
        200,
      );
      const r = (await stored('p2'))!;
      expect(r.answers).toEqual({ q_sat: 2, q_topics: [2] });
      expect(r.current_page).toBe('p2');
    },
  );

  it.skipIf(backend.skip)(
    'submits: says what is missing, clears hidden answers, then locks the response',
    async () => {
      const token = fw.token('p1');
      await save(token, { answers: { q_why: 'written before changing my mind' }, clientTime: 1 });
      const missing = await app.request(
        `/api/v1/respond/${token}/submit`,
        jsonRequest('POST', { locale: 'ar' }),
      );
      expect(missing.status).toBe(422);
      const body = (await missing.json()) as {
        code: string;
        detail: string;
        invalid_params: { name: string; reason: string }[];
      };
      expect(body.code).toBe('missing_answers');
      expect(body.detail).toBe(arabic['problem.missing_answers']);
      expect(body.invalid_params.map((p) => p.name)).toEqual(['q_sat']);
      expect(body.invalid_params[0]!.reason).toMatch(/[\u0600-\u06FF]/); // survey-core's message, in Arabic

      await save(token, { answers: { q_sat: 2 }, clientTime: 2, locale: 'nb' });
      const ok = await app.request(`/api/v1/respond/${token}/submit`, jsonRequest('POST', {}));
      expect(ok.status).toBe(200);
      const r = (await stored('p1'))!;
      expect(r.status).toBe('completed');
      expect(r.completed_at).toBeInstanceOf(Date);
      // q_why is only shown when q_sat = 1: its value is cleared, as SurveyJS does on completion.
      expect(r.answers).toEqual({ q_sat: 2 });
      expect(r.locales_used).toEqual(['ar', 'nb']);

      const after = await save(token, { answers: { q_sat: 1 }, clientTime: 9 });
      expect(after.status).toBe(409);
      expect(((await after.json()) as { code: string }).code).toBe('response_completed');
      const view = (await (await app.request(`/api/v1/respond/${token}`)).json()) as Record<string, unknown>;
      expect(view).toMatchObject({ status: 'completed', definition: null, answers: {} });
    },
  );

  it.skipIf(backend.skip)('keeps no IP address or user agent with the response', async () => {
    const columns = await t.db.introspection.getTables();
    const response = columns.find((c) => c.name === 'response')!;
    expect(response.columns.map((c) => c.name).filter((n) => /ip|agent|addr/i.test(n))).toEqual([]);
  });
});
