// Closing with chosen adjustment classes (weights that sum to N, classes without respondents carried by their county,
// then by all) and progress counted in the database: by the language a unit was invited in, by languages used,
// "opened" counting units that started, a municipality user's own units; and two closes racing.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { issueReminderLinks, reissueLink } from '../../server/fieldwork/links.ts';
import { waveProgress } from '../../server/fieldwork/progress.ts';
import { drawWaveSample } from '../../server/fieldwork/sample.ts';
import { addUnits, closeWave, createWave, type NewUnit, openWave } from '../../server/fieldwork/service.ts';
import { openSurvey } from '../../server/responses/open.ts';
import { saveAnswers, submitResponse } from '../../server/responses/service.ts';
import { createStaff, jsonRequest, logInAs, makeApp } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { publishMini } from '../helpers/fieldwork.ts';
import { type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

const cli = { kind: 'cli' } as const;
const now = new Date('2026-11-26T09:00:00Z');

describe.each(backends())('close and progress on $name', (backend) => {
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

  /** An open wave of the fixture instrument (participant or municipal) with these units; its links by external id. */
  async function openWith(
    units: NewUnit[],
    opts: { municipal?: boolean; sample?: Parameters<typeof drawWaveSample>[2] } = {},
  ) {
    if (opts.municipal)
      w.editJson('surveys/mini-survey/instrument.json', (i) => (i.unitType = 'municipality'));
    const instrumentId = await publishMini(t.db, w);
    const wave = await createWave(
      t.db,
      {
        instrumentId,
        version: 1,
        name: 'W',
        mode: opts.sample ? 'sample' : 'census',
        locales: ['nb', 'nn', 'ar'],
        allowDraftLocales: true,
      },
      cli,
    );
    await addUnits(t.db, wave.id, units);
    if (opts.sample) await drawWaveSample(t.db, wave.id, opts.sample, cli);
    const links = await openWave(t.db, wave.id, cli, now);
    const token = (externalId: string) => links.find((l) => l.externalId === externalId)!.token;
    return { wave, links, token };
  }

  async function complete(token: string, locale = 'nb') {
    await saveAnswers(t.db, token, { answers: { q_sat: 2 }, locale }, { now });
    await submitResponse(t.db, token, { now, locale });
  }

  async function weightOf(waveId: string) {
    const rows = await t.db
      .selectFrom('response')
      .innerJoin('frame_unit', 'frame_unit.id', 'response.frame_unit_id')
      .select(['frame_unit.external_id', 'response.nonresponse_weight'])
      .where('response.wave_id', '=', waveId)
      .execute();
    return new Map(rows.map((r) => [r.external_id, r.nonresponse_weight]));
  }

  it.skipIf(backend.skip)(
    'closes a municipal census within counties: a county without respondents falls to all, weights sum to N',
    async () => {
      const codes = ['1101', '1103', '1106', '1108', '4601', '4602', '4611', '4612', '5501', '5503', '5510'];
      const { wave, token } = await openWith(
        [...codes, '5512'].map((c) => ({ externalId: c, municipalityCode: c })),
        { municipal: true },
      );
      // Rogaland (11): 2 of 4 answer; Vestland (46): 1 of 4; Troms (55): none.
      for (const c of ['1101', '1103', '4601']) await complete(token(c));
      const closed = await closeWave(t.db, wave.id, cli, now);
      expect(closed.status).toBe('closed');
      expect(closed.nonresponse_adjustment).toMatchObject({
        adjustBy: 'county',
        defaulted: true,
        classes: 3,
        respondents: 3,
        population: 12,
        collapsed: [{ class: '55', into: 'all', units: 4, weight: 4 }],
      });
      expect(closed.nonresponse_adjustment.weightSum).toBeCloseTo(12, 9);
      // Within county: 11 → 4/2 = 2, 46 → 4/1 = 4; then Troms' 4 spread over all 8: × 12/8.
      const weights = await weightOf(wave.id);
      expect(weights.get('1101')).toBeCloseTo(3, 12);
      expect(weights.get('4601')).toBeCloseTo(6, 12);
      // Stored with the wave, and in the audit entry.
      const stored = await t.db
        .selectFrom('wave')
        .select('nonresponse_adjustment')
        .where('id', '=', wave.id)
        .executeTakeFirstOrThrow();
      expect(stored.nonresponse_adjustment).toMatchObject({ adjustBy: 'county', population: 12 });
      const audit = await t.db
        .selectFrom('audit_event')
        .select('details')
        .where('action', '=', 'wave.closed')
        .where('subject_id', '=', wave.id)
        .executeTakeFirstOrThrow();
      expect(audit.details).toMatchObject({
        nonresponseAdjustment: { adjustBy: 'county', population: 12, weightSum: expect.closeTo(12, 9) },
      });
    },
  );

  it.skipIf(backend.skip)(
    'a sample adjusts within strata; an empty stratum falls to its county, then to all, and the report says so',
    async () => {
      const units: NewUnit[] = [
        ...Array.from({ length: 8 }, (_, i) => ({ externalId: `o${i}`, municipalityCode: '0301' })),
        ...Array.from({ length: 4 }, (_, i) => ({ externalId: `b${i}`, municipalityCode: '4601' })),
        ...Array.from({ length: 4 }, (_, i) => ({ externalId: `k${i}`, municipalityCode: '4602' })),
        ...Array.from({ length: 4 }, (_, i) => ({ externalId: `t${i}`, municipalityCode: '5501' })),
      ];
      const fixed = { '0301': 2, '4601': 2, '4602': 2, '5501': 2 };
      const { wave, links, token } = await openWith(units, {
        sample: { size: 8, strata: 'municipality_code', allocation: 'fixed', fixed, seed: 's' },
      });
      const drawn = (prefix: string) =>
        links.filter((l) => l.externalId.startsWith(prefix)).map((l) => l.externalId);
      // Oslo: both answer (design weight 4); Bergen: one of two (weight 2); Kinn (4602) and Tromsø: nobody.
      for (const id of drawn('o')) await complete(token(id));
      const bergen = drawn('b')[0]!;
      await complete(token(bergen));
      const closed = await closeWave(t.db, wave.id, cli, now);
      const report = closed.nonresponse_adjustment;
      expect(report).toMatchObject({ adjustBy: 'stratum', defaulted: true, population: 20, respondents: 3 });
      expect(report.collapsed).toEqual([
        { class: '4602', into: '46', units: 2, weight: 4 },
        { class: '5501', into: 'all', units: 2, weight: 4 },
      ]);
      expect(report.weightSum).toBeCloseTo(20, 9);
      // Bergen 2 × 4/2 = 4, × 8/4 for Kinn = 8; Oslo 4 × 1; then Tromsø's 4 over all 16: × 20/16.
      const weights = await weightOf(wave.id);
      expect(weights.get(bergen)).toBeCloseTo(10, 12);
      expect(weights.get(drawn('o')[0]!)).toBeCloseTo(5, 12);
    },
  );

  it.skipIf(backend.skip)(
    'adjusts by a frame column when asked, and refuses an unknown column or strata in a census, changing nothing',
    async () => {
      const units = ['e1', 'e2', 'e3', 'w1', 'w2', 'w3'].map((id) => ({
        externalId: id,
        municipalityCode: '0301',
        attributes: { region: id.startsWith('e') ? 'east' : 'west' },
      }));
      const { wave, token } = await openWith(units);
      for (const id of ['e1', 'w1', 'w2', 'w3']) await complete(token(id));
      for (const adjustBy of ['planet', 'stratum']) {
        const err = await closeWave(t.db, wave.id, cli, now, { adjustBy }).catch((e) => e);
        expect(err.code).toBe('adjust_by_invalid');
        expect(err.status).toBe(422);
      }
      const still = await t.db
        .selectFrom('wave')
        .select('status')
        .where('id', '=', wave.id)
        .executeTakeFirst();
      expect(still?.status).toBe('open');
      const closed = await closeWave(t.db, wave.id, cli, now, { adjustBy: 'region' });
      expect(closed.nonresponse_adjustment).toMatchObject({
        adjustBy: 'region',
        defaulted: false,
        classes: 2,
      });
      const weights = await weightOf(wave.id);
      expect(weights.get('e1')).toBeCloseTo(3, 12);
      expect(weights.get('w1')).toBeCloseTo(1, 12);
    },
  );

  it.skipIf(backend.skip)(
    'two closes at once: one closes, the other gets 409 wave_closed, and the weights are set once',
    async () => {
      const { wave, token } = await openWith([
        { externalId: 'a', municipalityCode: '0301' },
        { externalId: 'b', municipalityCode: '0301' },
      ]);
      await complete(token('a'));
      const results = await Promise.allSettled([
        closeWave(t.db, wave.id, cli, now),
        closeWave(t.db, wave.id, cli, now),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toMatchObject({ status: 409, code: 'wave_closed' });
      expect((await weightOf(wave.id)).get('a')).toBe(2);
      const audits = await t.db
        .selectFrom('audit_event')
        .select('id')
        .where('action', '=', 'wave.closed')
        .where('subject_id', '=', wave.id)
        .execute();
      expect(audits).toHaveLength(1);
    },
  );

  it.skipIf(backend.skip)(
    'progress read from the units keeps up with reissues and reminder rounds (kept by triggers on invitation)',
    async () => {
      const { wave, token } = await openWith([
        { externalId: 'a2', municipalityCode: '0301', preferredLocale: 'ar' },
        { externalId: 'a3', municipalityCode: '0301', preferredLocale: 'ar' },
        { externalId: 'n1', municipalityCode: '4601', preferredLocale: 'nb' },
      ]);
      await openSurvey(t.db, token('a2'), { now });
      // Invited in Arabic, goes on in bokmål without submitting: its reminder link is in bokmål.
      await saveAnswers(t.db, token('a3'), { answers: { q_sat: 1 }, locale: 'nb' }, { now });
      const pick = (rows: Awaited<ReturnType<typeof waveProgress>>) =>
        rows.map((r) => [r.group, r.invited, r.opened, r.started, r.completed]);
      const before = pick(await waveProgress(t.db, wave.id, 'language'));
      expect(before).toEqual([
        ['ar', 2, 2, 1, 0],
        ['nb', 1, 0, 0, 0],
      ]);
      // A new link for a2 (the opened one revoked) and a reminder round change none of it.
      await reissueLink(t.db, wave.id, 'a2', cli, now);
      const reminders = await issueReminderLinks(t.db, wave.id, cli, now);
      expect(reminders.find((l) => l.externalId === 'a3')?.locale).toBe('nb');
      expect(pick(await waveProgress(t.db, wave.id, 'language'))).toEqual(before);
      // The first open of a reminder link counts as opened, once.
      const n1 = reminders.find((l) => l.externalId === 'n1')!;
      await openSurvey(t.db, n1.token, { now });
      await openSurvey(t.db, n1.token, { now });
      expect(pick(await waveProgress(t.db, wave.id, 'total'))).toEqual([['total', 3, 3, 1, 0]]);
    },
  );

  it.skipIf(backend.skip)(
    'progress by the language invited in, by languages used, and opened counting units that started',
    async () => {
      const { wave, token } = await openWith([
        { externalId: 'a1', municipalityCode: '0301', preferredLocale: 'ar' },
        { externalId: 'a2', municipalityCode: '0301', preferredLocale: 'ar' },
        { externalId: 'n1', municipalityCode: '4601', preferredLocale: 'nb' },
        // Tigrinya is not offered: invited in the wave's first language.
        { externalId: 'x1', municipalityCode: '4601', preferredLocale: 'ti' },
      ]);
      // Invited in Arabic, answers in bokmål.
      await complete(token('a1'), 'nb');
      // Opens the link, answers nothing.
      await openSurvey(t.db, token('a2'), { now });
      // Starts in nynorsk, goes on in bokmål, does not submit.
      await saveAnswers(t.db, token('n1'), { answers: { q_sat: 1 }, locale: 'nn' }, { now });
      await saveAnswers(t.db, token('n1'), { answers: { q_months: 3 }, locale: 'nb' }, { now });

      const pick = (rows: Awaited<ReturnType<typeof waveProgress>>) =>
        rows.map((r) => [r.group, r.invited, r.opened, r.started, r.completed]);
      expect(pick(await waveProgress(t.db, wave.id, 'language'))).toEqual([
        ['ar', 2, 2, 1, 1],
        ['nb', 2, 1, 1, 0],
      ]);
      expect(pick(await waveProgress(t.db, wave.id, 'language-used'))).toEqual([
        ['nb', 2, 2, 2, 1],
        ['nn', 1, 1, 1, 0],
      ]);
      // Opened: a2 opened its link, a1 and n1 started without an open on record.
      expect(pick(await waveProgress(t.db, wave.id, 'total'))).toEqual([['total', 4, 3, 2, 1]]);
      expect(pick(await waveProgress(t.db, wave.id, 'county'))).toEqual([
        ['Oslo', 2, 2, 1, 1],
        ['Vestland', 2, 1, 1, 0],
      ]);
      // A municipality user sees its own units only, in every breakdown.
      const own = { municipalityCode: '4601' };
      expect(pick(await waveProgress(t.db, wave.id, 'language', own))).toEqual([['nb', 2, 1, 1, 0]]);
      expect(pick(await waveProgress(t.db, wave.id, 'municipality', own))).toEqual([['4601', 2, 1, 1, 0]]);
    },
  );

  it.skipIf(backend.skip)(
    'over HTTP: close takes adjustBy, progress takes language-used, a municipality user sees its own units',
    async () => {
      const { wave, token } = await openWith([
        { externalId: 'd1', municipalityCode: '030101' },
        { externalId: 'd2', municipalityCode: '030102' },
        { externalId: 'b1', municipalityCode: '4601' },
      ]);
      await complete(token('d1'));
      const app = makeApp(t);
      const admin = await createStaff(t.db, { role: 'admin' });
      const oslo = await createStaff(t.db, { role: 'municipality', municipalityCode: '0301' });
      const a = await logInAs(app, admin.email, admin.password);
      const asAdmin = { cookie: a.cookie, 'x-csrf-token': a.csrfToken };
      const o = await logInAs(app, oslo.email, oslo.password);

      const own = await app.request(`/api/v1/waves/${wave.id}/progress?by=language-used`, {
        headers: { cookie: o.cookie },
      });
      expect(own.status).toBe(200);
      const byMunicipality = await app.request(`/api/v1/waves/${wave.id}/progress?by=municipality`, {
        headers: { cookie: o.cookie },
      });
      const rows = ((await byMunicipality.json()) as { rows: { group: string }[] }).rows;
      expect(rows.map((r) => r.group)).toEqual(['030101', '030102']);

      const bad = await app.request(
        `/api/v1/waves/${wave.id}/close`,
        jsonRequest('POST', { adjustBy: 'planet' }, asAdmin),
      );
      expect(bad.status).toBe(422);
      expect(((await bad.json()) as { code: string }).code).toBe('adjust_by_invalid');
      const closed = await app.request(
        `/api/v1/waves/${wave.id}/close`,
        jsonRequest('POST', { adjustBy: 'county' }, asAdmin),
      );
      expect(closed.status).toBe(200);
      const body = (await closed.json()) as {
        wave: { status: string; nonresponse_adjustment: { adjustBy: string; weightSum: number } };
      };
      expect(body.wave.status).toBe('closed');
      // Oslo's one respondent carries Oslo (2); Vestland has none: all carry Bergen too.
      expect(body.wave.nonresponse_adjustment).toMatchObject({ adjustBy: 'county', weightSum: 3 });
      const again = await app.request(`/api/v1/waves/${wave.id}/close`, { method: 'POST', headers: asAdmin });
      expect(again.status).toBe(409);
    },
  );
});
