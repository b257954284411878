// Data quality end to end on both databases: a wave of seeded responses in three languages (speeders, break-offs,
// straight-liners and a planted "don't know" excess in Arabic), its report, export columns, CLI text and API access.
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qualityText, registerQualityCommands } from '../../server/cli/quality-commands.ts';
import { qualityColumns, waveQualityStats } from '../../server/exports/quality.ts';
import { type QualityReport, waveQuality } from '../../server/exports/quality-report.ts';
import { listResponseBatch } from '../../server/exports/queries.ts';
import { findLocalizableStrings } from '../../server/surveys/localizable.ts';
import { sourceHash } from '../../server/surveys/translations.ts';
import { createStaff, logInAs, makeApp } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { openMiniWave } from '../helpers/fieldwork.ts';
import { miniModule, type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

const locales = ['nb', 'nn', 'ar'] as const;
const perLocale = 50;
const start = new Date('2026-11-26T09:00:00Z');

/** Seconds a completed response took: 600 (Arabic 900), a few speeders, and one slow-ish nn that is not one. */
function seconds(locale: string, i: number): number {
  if (locale === 'nb' && i < 3) return 120; // under 600 / 3
  if (locale === 'ar' && i < 2) return 250; // under 900 / 3, though not under 600 / 3
  if (locale === 'nn' && i === 3) return 250;
  return locale === 'ar' ? 900 : 600;
}

/**
 * Per language: 44 completed and 6 unfinished (2 stopped on p1 with nothing, 4 on p2 after q_sat). "Don't know" on
 * q_sat: 20 of the completed in Arabic, 4 in nb and nn. Every fifth completed response straight-lines the grid.
 */
function responseOf(locale: string, i: number) {
  const startedAt = new Date(start.getTime() + i * 60_000);
  if (i >= 44) {
    const onP2 = i >= 46;
    return {
      locale,
      status: 'in_progress' as const,
      current_page: onP2 ? 'p2' : 'p1',
      answers: JSON.stringify(onP2 ? { q_sat: 2 } : {}),
      started_at: startedAt,
    };
  }
  const dontKnow = i < (locale === 'ar' ? 20 : 4);
  const sat = dontKnow ? 98 : i % 2 ? 1 : 2;
  const answers = {
    q_sat: sat,
    ...(sat === 1 ? { q_why: 'fordi' } : {}),
    q_months: i % 30,
    q_topics: [1],
    q_grid: i % 5 === 0 ? { a: 2, b: 2, c: 2 } : { a: 1, b: 2, c: 1 },
  };
  return {
    locale,
    status: 'completed' as const,
    current_page: 'p2',
    answers: JSON.stringify(answers),
    started_at: startedAt,
    completed_at: new Date(startedAt.getTime() + seconds(locale, i) * 1000),
  };
}

describe.each(backends())('data quality on $name', (backend) => {
  let t: TestDatabase;
  let w: SurveyWorkspace;
  let waveId: string;
  let report: QualityReport;

  beforeAll(async () => {
    if (backend.skip) return;
    t = await backend.open();
    w = surveyWorkspace();
    const grid = {
      type: 'matrix',
      name: 'q_grid',
      title: 'Hvor enig er du?',
      rows: ['a', 'b', 'c'].map((value) => ({ value, text: value.toUpperCase() })),
      columns: [
        { value: 1, text: 'Uenig' },
        { value: 2, text: 'Enig' },
        { value: 98, text: 'Vet ikke' },
      ],
    };
    w.editJson(miniModule, (m) => m.pages[1].elements.push(grid));
    // The grid's strings in draft nn and ar, so that the wave may offer those languages.
    for (const l of ['nn', 'ar'])
      w.editJson(`locales/${l}/surveys/mini-survey.json`, (file) => {
        for (const s of findLocalizableStrings({ pages: [{ name: 'p2', elements: [grid] }] })) {
          const source = String(s.holder[s.prop]);
          if (s.key.startsWith('q_grid'))
            file[s.key] = {
              source,
              sourceHash: sourceHash(source),
              text: `${l}: ${source}`,
              status: 'draft',
            };
        }
      });
    const units = locales.flatMap((l) =>
      Array.from({ length: perLocale }, (_, i) => ({ externalId: `${l}-${i}`, preferredLocale: l })),
    );
    const { wave } = await openMiniWave(t.db, w, { units, locales: [...locales] });
    waveId = wave.id;
    const frame = await t.db
      .selectFrom('frame_unit')
      .select(['id', 'external_id'])
      .where('wave_id', '=', waveId)
      .execute();
    const unitId = new Map(frame.map((u) => [u.external_id, u.id]));
    await t.db
      .insertInto('response')
      .values(
        locales.flatMap((l) =>
          Array.from({ length: perLocale }, (_, i) => ({
            wave_id: waveId,
            frame_unit_id: unitId.get(`${l}-${i}`)!,
            instrument_version_id: wave.instrument_version_id,
            ...responseOf(l, i),
          })),
        ),
      )
      .execute();
    report = await waveQuality(t.db, waveId);
  });
  afterAll(async () => {
    w?.remove();
    await t?.close();
  });

  it.skipIf(backend.skip)('takes the median completion time per language in one query', async () => {
    expect(report.medianSecondsByLocale).toEqual({ nb: 600, nn: 600, ar: 900 });
    expect(report.completedByLocale).toEqual({ nb: 44, nn: 44, ar: 44 });
  });

  it.skipIf(backend.skip)('counts the per-response flags, and every response stays in', async () => {
    expect(report.responses).toEqual({ total: 150, completed: 132, inProgress: 18 });
    expect(report.flags.speeding).toEqual({ flagged: 5, judged: 132 });
    expect(report.flags.straightlining).toEqual({ flagged: 27, judged: 132 });
    expect(report.flags.highItemNonresponse).toEqual({ flagged: 18, judged: 150, threshold: 0.5 });
    expect(report.flags.breakoff).toEqual({
      count: 18,
      byPage: [
        { page: 'p1', count: 6 },
        { page: 'p2', count: 12 },
      ],
    });
  });

  it.skipIf(backend.skip)(
    'reports item nonresponse, "don\'t know" and break-off per question and language',
    () => {
      const at = (code: string, locale: string) =>
        report.questions.find((q) => q.code === code && q.locale === locale)!;
      expect(at('q_sat', 'nb')).toMatchObject({ asked: 50, answered: 48, dontKnow: 4, breakoffs: 2 });
      expect(at('q_sat', 'nb').itemNonresponse).toBeCloseTo(2 / 50, 12);
      expect(at('q_sat', 'ar').dontKnowShare).toBeCloseTo(20 / 48, 12);
      expect(at('q_months', 'ar')).toMatchObject({ asked: 48, answered: 44, dontKnow: null, breakoffs: 4 });
      expect(at('q_grid', 'nn')).toMatchObject({ asked: 48, answered: 44, dontKnow: 0, dontKnowShare: 0 });
      // q_why is asked only after "Lite fornøyd": 20 completed nb responses; none of the unfinished chose it.
      expect(at('q_why', 'nb')).toMatchObject({ asked: 20, answered: 20, itemNonresponse: 0 });
    },
  );

  it.skipIf(backend.skip)(
    'flags the planted Arabic "don\'t know" excess for translation review, and nothing else',
    () => {
      const review = report.translationReview;
      expect(review.flagged).toHaveLength(1);
      const flag = review.flagged[0]!;
      expect(flag).toMatchObject({
        code: 'q_sat',
        page: 'p1',
        locale: 'ar',
        measure: 'dont_know',
        direction: 'higher',
        x: 20,
        n: 48,
        othersX: 8,
        othersN: 96,
      });
      expect(flag.pAdjusted).toBeLessThan(0.05);
      expect(flag.pAdjusted).toBeGreaterThanOrEqual(flag.p);
      // Identical item nonresponse in every language is never flagged.
      for (const test of review.tests.filter((x) => x.measure === 'item_nonresponse'))
        expect(test.flagged).toBe(false);
      const text = qualityText(report);
      expect(text).toMatch(/speeding\s+5 of 132 completed/);
      expect(text).toMatch(/q_sat\s+p1\s+don't know\s+ar\s+48\s+41\.7%\s+8\.3%/);
    },
  );

  it.skipIf(backend.skip)("gives the export columns per row against the wave's medians", async () => {
    const wave = await t.db
      .selectFrom('wave')
      .innerJoin('instrument_version', 'instrument_version.id', 'wave.instrument_version_id')
      .select('instrument_version.definition')
      .where('wave.id', '=', waveId)
      .executeTakeFirstOrThrow();
    const definition = wave.definition as Record<string, unknown>;
    const stats = await waveQualityStats(t.db, waveId, definition);
    const columns = qualityColumns(definition);
    const rows = await listResponseBatch(t.db, waveId, null, 1000, null);
    const cellsOf = (locale: string, i: number) => {
      const answers = JSON.parse(responseOf(locale, i).answers);
      const row = rows.find(
        (r) => r.locale === locale && r.started_at.getTime() === start.getTime() + i * 60_000,
      )!;
      expect(row.answers).toEqual(answers);
      return Object.fromEntries(columns.map((c) => [c.name, c.fromQuality(row, stats)]));
    };
    expect(cellsOf('ar', 0)).toEqual({
      qf_speeding: 1,
      qf_straightlining: 1,
      qf_item_nonresponse: 0,
      qf_breakoff_page: null,
    });
    expect(cellsOf('nn', 3)).toMatchObject({ qf_speeding: 0, qf_straightlining: 0 });
    expect(cellsOf('nb', 47)).toEqual({
      qf_speeding: null,
      qf_straightlining: null,
      qf_item_nonresponse: 3 / 4,
      qf_breakoff_page: 'p2',
    });
    expect(columns.find((c) => c.name === 'qf_breakoff_page')!.valueLabels.map((v) => v.value)).toEqual([
      'p1',
      'p2',
    ]);
  });

  it.skipIf(backend.skip)('serves the report to analysts and admins, not to municipality users', async () => {
    const app = makeApp(t);
    const get = async (email: string, password: string, id = waveId) => {
      const { cookie } = await logInAs(app, email, password);
      return app.request(`/api/v1/waves/${id}/quality`, { headers: { cookie } });
    };
    const analyst = await createStaff(t.db, { role: 'analyst' });
    const admin = await createStaff(t.db, { role: 'admin' });
    const oslo = await createStaff(t.db, { role: 'municipality', municipalityCode: '0301' });
    const ok = await get(analyst.email, analyst.password);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as QualityReport;
    expect(body.wave.id).toBe(waveId);
    expect(body.translationReview.flagged.map((f) => [f.code, f.locale, f.measure])).toEqual([
      ['q_sat', 'ar', 'dont_know'],
    ]);
    expect((await get(admin.email, admin.password)).status).toBe(200);
    const forbidden = await get(oslo.email, oslo.password);
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { code: string }).code).toBe('forbidden');
    const missing = await get(analyst.email, analyst.password, '00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('wave_not_found');
    expect((await get(analyst.email, analyst.password, 'not-a-uuid')).status).toBe(422);
    expect((await app.request(`/api/v1/waves/${waveId}/quality`)).status).toBe(401);
  });
});

describe('svar wave quality', () => {
  it('joins the existing `wave` command group rather than making a second one', () => {
    const program = new Command('svar');
    const wave = program.command('wave');
    wave.command('list');
    registerQualityCommands(program);
    expect(program.commands.filter((c) => c.name() === 'wave')).toHaveLength(1);
    expect(wave.commands.map((c) => c.name())).toEqual(['list', 'quality']);
  });
});
