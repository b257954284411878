// The municipal survey's national summary and per-county comparison: the regions report on a municipal wave,
// answered by chief executives through the respondent API, on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeWave } from '../../server/fieldwork/service.ts';
import { regionsReport } from '../../server/reports/regions.ts';
import { regionsDocument } from '../../server/reports/regions-service.ts';
import { jsonRequest, makeApp, TestClock } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { openMunicipalWave } from '../helpers/municipal.ts';
import { realPaths, type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

const now = new Date('2026-11-26T09:00:00Z');

describe.each(backends())('municipal survey summary on $name', (backend) => {
  let t: TestDatabase;
  let w: SurveyWorkspace;
  let waveId: string;
  beforeAll(async () => {
    if (backend.skip) return;
    t = await backend.open();
    w = surveyWorkspace();
    const m = await openMunicipalWave(t.db, w);
    waveId = m.wave.id;
    const app = makeApp(t, { clock: new TestClock(now) });
    // Oslo's two districts say "high", Bergen "low"; Trondheim does not answer.
    for (const [unit, priority] of [
      ['030101', 2],
      ['030102', 2],
      ['4601', 1],
    ] as const) {
      await app.request(
        `/api/v1/respond/${m.token(unit)}/answers`,
        jsonRequest('POST', { answers: { m_priority: priority } }),
      );
      const done = await app.request(`/api/v1/respond/${m.token(unit)}/submit`, jsonRequest('POST', {}));
      expect(done.status).toBe(200);
    }
    await closeWave(t.db, m.wave.id, { kind: 'cli' }, new Date('2026-11-30T00:00:00Z'));
  });
  afterAll(async () => {
    w?.remove();
    await t?.close();
  });

  it.skipIf(backend.skip)(
    'national figures and each county, for analysts; suppressed as a whole for municipality users',
    async () => {
      const report = await regionsReport(t.db, waveId, 'county', 'analyst');
      expect(report.groups.map((g) => g.code)).toEqual([null, '03', '46', '50']);
      const priority = report.questions.find((q) => q.question.key === 'm_priority')!;
      const national = priority.byDomain.get('country')!;
      expect(national.categories.get('2')).toMatchObject({ n: 2, suppressed: true });
      expect(report.respondents.get('country')).toMatchObject({ invited: 4, respondents: 3 });
      // Three municipalities are fewer than K: a municipality user sees no figure at all.
      const forMunicipality = await regionsReport(t.db, waveId, 'county', 'municipality');
      const hidden = forMunicipality.questions
        .find((q) => q.question.key === 'm_priority')!
        .byDomain.get('country')!;
      expect(hidden.categories.get('2')).toMatchObject({ n: null, suppressed: true });
      const csv = await regionsDocument(t.db, {
        waveId,
        by: 'county',
        format: 'csv',
        lang: 'nb',
        viewer: 'analyst',
        localesDir: realPaths.localesDir,
        now,
      });
      expect(csv.body).toContain('m_priority');
    },
  );
});
