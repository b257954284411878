// Fact sheets and the regional comparison on both databases, on a closed census wave of the real participant
// survey: shares against hand counts, a 3-respondent municipality hidden from its own user, the county minus a
// municipality protected, access by role over HTTP, and the breakdown by a frame column.

import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUnits, closeWave, createWave, openWave } from '../../server/fieldwork/service.ts';
import { type FactSheet, factSheetMaker } from '../../server/reports/factsheet.ts';
import { regionsReport } from '../../server/reports/regions.ts';
import { loadWaveData, type WaveData } from '../../server/reports/regions-data.ts';
import { regionsDocument } from '../../server/reports/regions-service.ts';
import { trendReport } from '../../server/reports/regions-trend.ts';
import { saveAnswers, submitResponse } from '../../server/responses/service.ts';
import { publishInstrument } from '../../server/surveys/service.ts';
import { createStaff, logInAs, makeApp } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { realPaths } from '../helpers/surveys.ts';

const cli = { kind: 'cli' } as const;
const now = new Date('2026-11-26T09:00:00Z');
/** Overall satisfaction (1–5) of each respondent, by unit code; everyone invited answers. */
const answers: Record<string, number[]> = {
  '4601': [4, 4, 4, 5, 5, 5, 2, 4], // Bergen, Vestland
  '4626': [4, 5, 4], // Øygarden, Vestland: three respondents
  '5001': [1, 2, 3, 4, 5, 5], // Trondheim, Trøndelag
  '030101': [3, 3, 4, 4, 5], // Gamle Oslo
};

/** A closed census wave of the participant survey (published once per database) where everyone answers. */
async function seed(t: TestDatabase, name: string, answers: Record<string, number[]>): Promise<string> {
  const wave = await createWave(
    t.db,
    {
      instrumentId: 'participant-survey',
      version: 1,
      name,
      mode: 'census',
      locales: ['nb', 'nn', 'en'],
      allowDraftLocales: true,
    },
    cli,
  );
  const units = Object.entries(answers).flatMap(([code, sats]) =>
    sats.map((sat, i) => ({
      externalId: `${code}-${i}`,
      municipalityCode: code,
      sat,
      attributes: { centrality: code === '5001' ? '1' : '3' },
    })),
  );
  await addUnits(
    t.db,
    wave.id,
    units.map(({ sat: _, ...u }) => ({ ...u, preferredLocale: 'nb' })),
  );
  const links = await openWave(t.db, wave.id, cli, now);
  for (const u of units) {
    const token = links.find((l) => l.externalId === u.externalId)!.token;
    const content = u.sat >= 4 ? [1, 3] : [1];
    await saveAnswers(
      t.db,
      token,
      {
        answers: {
          p_municipality: u.municipalityCode.slice(0, 4),
          p_overall_sat: u.sat,
          p_prog_content: content,
        },
        locale: 'nb',
      },
      { now },
    );
    await submitResponse(t.db, token, { now });
  }
  await closeWave(t.db, wave.id, cli, new Date('2026-11-30T00:00:00Z'));
  return wave.id;
}

/** The real app, which mounts the report routes. */
function reportApp(t: TestDatabase) {
  const real = makeApp(t);
  return { real, app: real };
}

const overall = (sheet: FactSheet) => sheet.questions.find((q) => q.question.key === 'p_overall_sat')!;

describe.each(backends())('fact sheets and regions on $name', (backend) => {
  let t: TestDatabase;
  let waveId: string;
  let data: WaveData;
  beforeAll(async () => {
    if (backend.skip) return;
    t = await backend.open();
    await publishInstrument(t.db, realPaths, 'participant-survey', cli);
    waveId = await seed(t, 'Faktaark-test', answers);
    data = await loadWaveData(t.db, waveId);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it.skipIf(backend.skip)('shares, respondents and response rate match hand counts (analyst view)', () => {
    const sheet = factSheetMaker(data, 'analyst')('4601');
    expect(sheet.columns.map((c) => c.key)).toEqual(['municipality:4601', 'county:46', 'country']);
    expect(sheet.unsuppressedView).toBe(true);
    const q = overall(sheet);
    const share = (domain: string, code: string) => q.byDomain.get(domain)!.categories.get(code)!;
    // 4 of 8 is below K: hidden when published, shown (marked) to the analyst.
    expect(share('municipality:4601', '4')).toMatchObject({ n: 4, estimate: 4 / 8, suppressed: true });
    expect(share('municipality:4601', '5').estimate).toBeCloseTo(3 / 8, 12);
    // One respondent: the analyst sees it, marked as hidden when published.
    expect(share('municipality:4601', '2')).toMatchObject({
      n: 1,
      estimate: 1 / 8,
      suppressed: true,
      reason: 'small',
    });
    expect(share('county:46', '4').estimate).toBeCloseTo(6 / 11, 12);
    expect(share('country', '4').estimate).toBeCloseTo(9 / 22, 12);
    expect(share('country', '4').ciLow).toBeCloseTo(9 / 22, 12); // a census everyone answered: SE 0
    expect(q.byDomain.get('country')!.answered).toBe(22);
    expect(sheet.respondents.get('municipality:4601')).toMatchObject({
      invited: 8,
      respondents: 8,
      responseRate: 1,
    });
    // The multi-select: share choosing Norwegian training (everyone) and option 3 (those with 4 or 5).
    const content = sheet.questions.find((x) => x.question.key === 'p_prog_content')!;
    expect(content.byDomain.get('country')!.categories.get('1')!.estimate).toBe(1);
    expect(content.byDomain.get('country')!.categories.get('3')!.estimate).toBeCloseTo(16 / 22, 12);
  });

  it.skipIf(backend.skip)(
    'a municipality with 3 respondents shows its own user no figure, zeros included',
    () => {
      const sheet = factSheetMaker(data, 'municipality')('4626');
      expect(sheet.unsuppressedView).toBe(false);
      expect(sheet.respondents.get('municipality:4626')).toMatchObject({
        respondents: null,
        responseRate: null,
      });
      for (const q of sheet.questions) {
        const own = q.byDomain.get('municipality:4626');
        if (!own) continue;
        expect(own.answered).toBeNull();
        for (const f of own.categories.values())
          expect(f).toMatchObject({ n: null, estimate: null, ciLow: null });
      }
    },
  );

  it.skipIf(backend.skip)(
    'Vestland minus Bergen (3 in Øygarden) cannot be computed from published figures',
    () => {
      const sheet = factSheetMaker(data, 'municipality')('4601');
      const r = (key: string) => sheet.respondents.get(key)!.respondents;
      expect(r('municipality:4601') !== null && r('county:46') !== null).toBe(false);
      for (const q of sheet.questions) {
        const bergen = q.byDomain.get('municipality:4601')!;
        const county = q.byDomain.get('county:46')!;
        if (bergen.answered !== null && county.answered !== null)
          expect([0, 5, 6, 7, 8, 9, 10, 11]).toContain(county.answered - bergen.answered);
        for (const [code, f] of bergen.categories) {
          const whole = county.categories.get(code)!;
          if (f.n !== null && whole.n !== null) expect(whole.n - f.n === 0 || whole.n - f.n >= 5).toBe(true);
        }
      }
    },
  );

  it.skipIf(backend.skip)(
    'over HTTP: own sheet only for a municipality; analysts see every figure marked',
    async () => {
      const { real, app } = reportApp(t);
      const login = async (role: 'analyst' | 'municipality', municipalityCode?: string) => {
        const s = await createStaff(t.db, { role, municipalityCode: municipalityCode ?? null });
        return { headers: { cookie: (await logInAs(real, s.email, s.password)).cookie } };
      };
      const sheet = (code: string, query = '') => `/api/v1/waves/${waveId}/factsheets/${code}${query}`;
      const oygarden = await login('municipality', '4626');
      const other = await app.request(sheet('4601'), oygarden);
      expect(other.status).toBe(403);
      expect(((await other.json()) as { code: string }).code).toBe('outside_municipality');
      const own = await app.request(sheet('4626'), oygarden);
      expect(own.status).toBe(200);
      expect(own.headers.get('content-type')).toContain('text/html');
      const ownHtml = await own.text();
      expect(ownHtml).toContain('<html lang="nb">');
      expect(ownHtml).toContain('skjult');
      expect(ownHtml).not.toContain('Ikke for publisering');
      const oslo = await login('municipality', '0301');
      expect((await app.request(sheet('030101'), oslo)).status).toBe(200);
      const district = await login('municipality', '030101');
      expect((await app.request(sheet('0301'), district)).status).toBe(403);
      const analyst = await login('analyst');
      const marked = await app.request(sheet('4601', '?lang=en'), analyst);
      const markedHtml = await marked.text();
      expect(markedHtml).toContain('<html lang="en">');
      expect(markedHtml).toContain('Not for publication');
      expect(markedHtml).toContain('13% †'); // 1 of 8 in Bergen: shown to analysts, marked
      expect((await app.request(sheet('9999'), analyst)).status).toBe(404);
      expect((await app.request(sheet('4601', '?format=doc'), analyst)).status).toBe(422);
      const regions = await app.request(`/api/v1/waves/${waveId}/regions?format=csv`, oygarden);
      expect(regions.status).toBe(200);
      const rows = parse(await regions.text(), { columns: true, bom: true }) as Record<string, string>[];
      const vestland = rows.find((x) => x.variable === '(respondents)' && x.group === '46')!;
      expect(vestland).toMatchObject({ answered: '11', n: '11' });
    },
  );

  it.skipIf(backend.skip)('a trend across two waves, aligned by question code', async () => {
    const later = await seed(t, 'Faktaark-test 2', { '5001': [5, 5, 5, 4, 4, 1] });
    const trend = await trendReport(t.db, [later, waveId], 'analyst');
    expect(trend.waves.map((w) => w.name)).toEqual(['Faktaark-test', 'Faktaark-test 2']);
    const sat = trend.questions.find((q) => q.key === 'p_overall_sat')!;
    const five = (i: number) => sat.byWave[i]!.byDomain.get('country')!.categories.get('5')!.estimate;
    expect(five(0)).toBeCloseTo(7 / 22, 12);
    expect(five(1)).toBeCloseTo(3 / 6, 12);
    // Questions nobody answered in either wave are still asked in both, so they are listed too.
    expect(trend.questions.length).toBeGreaterThan(40);
    await expect(trendReport(t.db, [waveId], 'analyst')).rejects.toMatchObject({
      code: 'waves_not_same_instrument',
    });
  });

  it.skipIf(backend.skip)(
    'regions by county and by a frame column, suppressed for municipalities',
    async () => {
      const report = await regionsReport(t.db, waveId, 'county', 'municipality');
      expect(report.groups.map((g) => g.code)).toEqual([null, '03', '46', '50']);
      const sat = report.questions.find((q) => q.question.key === 'p_overall_sat')!;
      expect(sat.byDomain.get('group:50')!.categories.get('5')).toMatchObject({ n: null, suppressed: true });
      const byCentrality = await regionsReport(t.db, waveId, 'centrality', 'analyst');
      expect(byCentrality.groups.map((g) => g.code)).toEqual([null, '1', '3']);
      expect(byCentrality.respondents.get('group:3')).toMatchObject({ invited: 16, respondents: 16 });
      await expect(regionsReport(t.db, waveId, 'nosuchcolumn', 'analyst')).rejects.toMatchObject({
        code: 'breakdown_invalid',
      });
      const html = await regionsDocument(t.db, {
        waveId,
        by: 'county',
        format: 'html',
        lang: 'nn',
        viewer: 'municipality',
        localesDir: realPaths.localesDir,
        now,
      });
      expect(html.body).toContain('<html lang="nn">');
      expect(html.body).toContain('Vestland');
    },
  );
});
