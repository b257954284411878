// A census wave's estimates on both databases: weights, fpc, missing codes, domains, errors, API, roles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUnits, closeWave, createWave, openWave } from '../../server/fieldwork/service.ts';
import { type WaveEstimates, waveEstimates } from '../../server/reports/estimates.ts';
import { estimatesTable } from '../../server/reports/estimates-text.ts';
import { saveAnswers, submitResponse } from '../../server/responses/service.ts';
import { createStaff, logInAs, makeApp } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { publishMini } from '../helpers/fieldwork.ts';
import { miniModule, type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

const cli = { kind: 'cli' } as const;
const opened = new Date('2026-11-25T12:00:00Z');

/**
 * A census: Oslo (0301) 12 units, all answer (q_sat 1 ×5, 2 ×6, 98 ×1; months 0…9 for ten of them);
 * Bergen (4601) 4 units: one answers 1 (6 months), one 2, one stops before submitting, one never starts.
 * Topics: Oslo 1 ×4, 1+3 ×4, "don't know" ×1, none ×3; Bergen 2 ×1.
 */
async function seedCensus(t: TestDatabase, w: SurveyWorkspace) {
  // "Don't know" as an option of the multi-select: a missing code there too.
  w.editJson(miniModule, (m) => m.pages[1].elements[1].choices.push({ value: 98, text: 'Vet ikke' }));
  w.editJson('locales/nn/surveys/mini-survey.json', (l) => {
    l['q_topics.choices.98.text'] = { ...l['q_sat.choices.98.text'] };
  });
  const instrumentId = await publishMini(t.db, w);
  const wave = await createWave(
    t.db,
    {
      instrumentId,
      version: 1,
      name: 'Census',
      mode: 'census',
      locales: ['nb', 'nn'],
      allowDraftLocales: true,
    },
    cli,
  );
  const oslo = Array.from({ length: 12 }, (_, i) => ({ externalId: `o${i}`, municipalityCode: '0301' }));
  const bergen = Array.from({ length: 4 }, (_, i) => ({ externalId: `b${i}`, municipalityCode: '4601' }));
  await addUnits(t.db, wave.id, [...oslo, ...bergen]);
  const links = await openWave(t.db, wave.id, cli, opened);
  const token = (id: string) => links.find((l) => l.externalId === id)!.token;
  const answer = async (id: string, answers: Record<string, unknown>, locale: string, submit = true) => {
    const now = new Date(opened.getTime() + 60_000);
    await saveAnswers(t.db, token(id), { answers, locale, page: 'p2' }, { now });
    if (submit) await submitResponse(t.db, token(id), { now: new Date(now.getTime() + 60_000), locale });
  };
  for (let i = 0; i < 12; i++) {
    const sat = i < 5 ? 1 : i < 11 ? 2 : 98;
    const topics = i < 4 ? [1] : i < 8 ? [1, 3] : i === 8 ? [98] : undefined;
    await answer(
      `o${i}`,
      { q_sat: sat, ...(i < 10 ? { q_months: i } : {}), ...(topics ? { q_topics: topics } : {}) },
      i % 2 ? 'nn' : 'nb',
    );
  }
  await answer('b0', { q_sat: 1, q_months: 6, q_topics: [2] }, 'nb');
  await answer('b1', { q_sat: 2 }, 'nb');
  await answer('b2', { q_sat: 1 }, 'nb', false);
  return wave.id;
}

const row = (e: WaveEstimates, group: string | null, category: number | string | null) =>
  e.rows.find((r) => r.group === group && r.category === category)!;

describe.each(backends())('estimates on $name', (backend) => {
  let t: TestDatabase;
  let w: SurveyWorkspace;
  let waveId: string;
  let before: WaveEstimates;
  beforeAll(async () => {
    if (backend.skip) return;
    t = await backend.open();
    w = surveyWorkspace();
    waveId = await seedCensus(t, w);
    before = await waveEstimates(t.db, waveId, { variable: 'q_sat' });
    await closeWave(t.db, waveId, cli, new Date('2026-12-01T00:00:00Z'));
  });
  afterAll(async () => {
    w?.remove();
    await t?.close();
  });

  it.skipIf(backend.skip)('an open wave falls back to design weights, and says so', () => {
    expect(before.weights).toBe('design_weight');
    expect(before.notes.join(' ')).toMatch(/design weights are used/);
    // Weight 1 everywhere: (5 + 1) / (11 + 2); the respondent who did not submit is left out.
    expect(row(before, null, 1).estimate).toBeCloseTo(6 / 13, 12);
    expect(before.respondents).toBe(14);
  });

  it.skipIf(backend.skip)(
    'shares of every category with nr_weight, SE 0 where everyone answered, by hand',
    async () => {
      const e = await waveEstimates(t.db, waveId, { variable: 'q_sat', by: 'municipality' });
      expect(e.weights).toBe('nr_weight');
      expect(e.design).toMatchObject({ strata: 'municipality', fpc: 'N_h', lonelyStrata: [] });
      expect(e.rows.map((r) => r.category)).toEqual([1, 2, 1, 2, 1, 2]);
      // Bergen's two respondents carry weight 2 each: (5 + 2) / (11 + 4).
      const all = row(e, null, 1);
      expect(all).toMatchObject({ label: 'Lite fornøyd', n: 6, base: 13 });
      expect(all.estimate).toBeCloseTo(7 / 15, 12);
      // Oslo adds nothing (f = 1); Bergen's residuals ±15/225 with scale (1 − 2/4)·2/1 = 1: V = 2/225.
      expect(all.se).toBeCloseTo(Math.sqrt(2) / 15, 12);
      expect(all.ciLow).toBeCloseTo(7 / 15 - 1.959963984540054 * (Math.sqrt(2) / 15), 12);
      const oslo = row(e, '0301', 1);
      expect(oslo).toMatchObject({ groupLabel: 'Oslo', n: 5, base: 11, se: 0 });
      expect(oslo.estimate).toBeCloseTo(5 / 11, 12);
      const bergen = row(e, '4601', 2);
      expect(bergen.estimate).toBeCloseTo(0.5, 12);
      expect(bergen.se).toBeCloseTo(Math.sqrt(0.125), 12);
    },
  );

  it.skipIf(backend.skip)(
    'missing codes leave the base and are reported as a share of all respondents',
    async () => {
      const e = await waveEstimates(t.db, waveId, { variable: 'q_sat' });
      expect(e.rows.some((r) => r.category === 98)).toBe(false);
      const dontKnow = e.missing.find((m) => m.code === 98)!;
      expect(dontKnow).toMatchObject({ missing: 'dont_know', label: 'Vet ikke', n: 1, base: 14 });
      expect(dontKnow.estimate).toBeCloseTo(1 / 16, 12);
      expect(e.missing.find((m) => m.missing === 'not_answered')).toMatchObject({ n: 0, estimate: 0 });
    },
  );

  it.skipIf(backend.skip)(
    'a mean leaves the unanswered out; domains by language cut across strata',
    async () => {
      const e = await waveEstimates(t.db, waveId, { variable: 'q_months', by: 'language' });
      expect(e.kind).toBe('mean');
      // (0 + 1 + … + 9) · 1 + 6 · 2 over 10 · 1 + 1 · 2.
      expect(row(e, null, null)).toMatchObject({ n: 11, base: 11 });
      expect(row(e, null, null).estimate).toBeCloseTo(57 / 12, 12);
      expect(e.rows.map((r) => r.group)).toEqual([null, 'nb', 'nn']);
      // nn: Oslo only, all answered: SE 0; nb: includes Bergen, sampled.
      expect(row(e, 'nn', null).se).toBe(0);
      expect(row(e, 'nb', null).se).toBeGreaterThan(0);
      expect(e.missing.find((m) => m.missing === 'not_answered' && m.group === null)).toMatchObject({ n: 3 });
    },
  );

  it.skipIf(backend.skip)(
    'a multi-select: the share choosing each option; "don\'t know" leaves the base',
    async () => {
      const e = await waveEstimates(t.db, waveId, { variable: 'q_topics', labelLocale: 'nb' });
      expect(e.kind).toBe('multiple');
      expect(e.label).toBe('Hva har du lært?');
      expect(e.rows.map((r) => [r.category, r.label, r.n, r.base])).toEqual([
        [1, 'Norsk', 8, 9],
        [2, 'Samfunn', 1, 9],
        [3, 'Arbeid', 4, 9],
      ]);
      // Oslo's eight count 1 each, Bergen's one 2: 8/10, 2/10, 4/10.
      expect(e.rows.map((r) => r.estimate)).toEqual([0.8, 0.2, 0.4].map((x) => expect.closeTo(x, 12)));
      expect(e.missing.map((m) => [m.code, m.missing, m.n, m.base])).toEqual([
        [98, 'dont_know', 1, 14],
        [null, 'not_answered', 4, 14],
      ]);
    },
  );

  it.skipIf(backend.skip)('the text table shows shares in per cent and the missing codes apart', async () => {
    const text = estimatesTable(await waveEstimates(t.db, waveId, { variable: 'q_sat', by: 'county' }));
    expect(text).toContain('weights nr_weight');
    expect(text).toMatch(/All\s+1 Lite fornøyd\s+46\.7 %\s+9\.4\s+28\.2 – 65\.1\s+6\s+13/);
    expect(text).toMatch(/03 Oslo\s+1 Lite fornøyd\s+45\.5 %\s+0\.0\s+45\.5 – 45\.5\s+5\s+11/);
    expect(text).toMatch(/98 Vet ikke\s+6\.3 %/);
  });

  it.skipIf(backend.skip)('refuses what it cannot estimate', async () => {
    await expect(waveEstimates(t.db, waveId, { variable: 'q_why' })).rejects.toMatchObject({
      code: 'variable_not_estimable',
    });
    await expect(waveEstimates(t.db, waveId, { variable: 'nope' })).rejects.toMatchObject({
      code: 'unknown_variable',
    });
    await expect(waveEstimates(t.db, waveId, { variable: 'q_sat', by: 'started_at' })).rejects.toMatchObject({
      code: 'breakdown_invalid',
    });
  });

  it.skipIf(backend.skip)(
    'API: analysts get the figures unsuppressed; a municipality only its own, suppressed',
    async () => {
      const app = makeApp(t);
      const get = async (who: { email: string; password: string } | null, query: string) => {
        const headers = who ? { cookie: (await logInAs(app, who.email, who.password)).cookie } : undefined;
        return app.request(`/api/v1/waves/${waveId}/estimates?${query}`, { headers });
      };
      expect((await get(null, 'var=q_sat')).status).toBe(401);
      const analyst = await createStaff(t.db, { role: 'analyst' });
      const res = await get(analyst, 'var=q_sat&by=municipality');
      expect(res.status).toBe(200);
      const body = (await res.json()) as WaveEstimates;
      expect(body.suppressionApplied).toBe(false);
      expect(row(body, '0301', 1).n).toBe(5);
      expect((await get(analyst, 'var=nope')).status).toBe(422);

      const oslo = await createStaff(t.db, { role: 'municipality', municipalityCode: '0301' });
      const mine = (await (await get(oslo, 'var=q_sat&by=municipality')).json()) as WaveEstimates;
      expect(mine.suppressionApplied).toBe(true);
      expect(mine.respondents).toBe(12);
      expect(new Set(mine.rows.map((r) => r.group))).toEqual(new Set([null, '0301']));
      const figures = [...mine.rows, ...mine.missing];
      // No count below K = 5 is shown, and the lone "don't know" is hidden with its share.
      expect(figures.every((f) => f.n === null || f.n === 0 || f.n >= 5)).toBe(true);
      expect(mine.missing.find((m) => m.code === 98 && m.group === null)).toMatchObject({
        suppressed: true,
        n: null,
        estimate: null,
      });
      // Every kind of variable passes the engine: its declared sums add up.
      for (const query of ['var=q_topics&by=language', 'var=q_months&by=county'])
        expect((await get(oslo, query)).status).toBe(200);
      // Bergen has two respondents: nothing of theirs is shown.
      const bergen = await createStaff(t.db, { role: 'municipality', municipalityCode: '4601' });
      const theirs = (await (await get(bergen, 'var=q_sat')).json()) as WaveEstimates;
      expect(theirs.rows.every((r) => r.estimate === null && r.n === null)).toBe(true);
    },
  );
});
