// A trend across two versions of one instrument: aligned by question code, with the minor wording edit the
// second version declared noted beside the question, in the report and in the export's codebook history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../server/exports/load.ts';
import { addUnits, closeWave, createWave, openWave } from '../../server/fieldwork/service.ts';
import { trendReport } from '../../server/reports/regions-trend.ts';
import { saveAnswers, submitResponse } from '../../server/responses/service.ts';
import { publishInstrument } from '../../server/surveys/service.ts';
import { sourceHash } from '../../server/surveys/translations.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { publishMini } from '../helpers/fieldwork.ts';
import { miniModule, type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

const cli = { kind: 'cli' } as const;
const now = new Date('2026-11-26T09:00:00Z');

describe.each(backends())('a trend across versions on $name', (backend) => {
  let t: TestDatabase;
  let w: SurveyWorkspace;
  const waves: string[] = [];
  beforeAll(async () => {
    if (backend.skip) return;
    t = await backend.open();
    w = surveyWorkspace();
    const instrumentId = await publishMini(t.db, w);
    const module = miniModule.replace('mini-survey', instrumentId);
    w.editJson(module, (m) => {
      m.pages[0].elements[0].title = 'Hvor fornøyd er du med programmet?';
      m.minorEdits = { q_sat: 'Clarified what is rated; same meaning' };
    });
    // The nynorsk translation follows the new wording (a wave offering bokmål must offer nynorsk).
    const source = 'Hvor fornøyd er du med programmet?';
    w.editJson(`locales/nn/surveys/${instrumentId}.json`, (tr) => {
      tr['q_sat.title'] = {
        ...tr['q_sat.title'],
        source,
        sourceHash: sourceHash(source),
        text: 'Kor nøgd er du med programmet?',
      };
    });
    await publishInstrument(t.db, w, instrumentId, cli);
    for (const [version, sats] of [
      [1, [1, 2, 2]],
      [2, [2, 2, 2]],
    ] as const) {
      const wave = await createWave(
        t.db,
        {
          instrumentId,
          version,
          name: `Runde ${version}`,
          mode: 'census',
          locales: ['nb', 'nn'],
          allowDraftLocales: true,
        },
        cli,
      );
      await addUnits(
        t.db,
        wave.id,
        sats.map((_, i) => ({ externalId: `u${i}`, municipalityCode: '4601' })),
      );
      const links = await openWave(t.db, wave.id, cli, now);
      for (const [i, sat] of sats.entries()) {
        await saveAnswers(t.db, links[i]!.token, { answers: { q_sat: sat } }, { now });
        await submitResponse(t.db, links[i]!.token, { now });
      }
      await closeWave(t.db, wave.id, cli, now);
      waves.push(wave.id);
    }
  });
  afterAll(async () => {
    w?.remove();
    await t?.close();
  });

  it.skipIf(backend.skip)('notes the minor edit and aligns the shares by code', async () => {
    const trend = await trendReport(t.db, waves, 'analyst');
    expect(trend.minorEdits.get('q_sat')).toEqual([
      { version: 2, note: 'Clarified what is rated; same meaning' },
    ]);
    const sat = trend.questions.find((q) => q.key === 'q_sat')!;
    const share = (i: number) => sat.byWave[i]!.byDomain.get('country')!.categories.get('2')!.estimate;
    expect(share(0)).toBeCloseTo(2 / 3, 12);
    expect(share(1)).toBeCloseTo(1, 12);
    const { history } = await loadDataset(t.db, waves, { labelLocale: 'nb' });
    expect(history.waves.q_sat).toEqual(['Runde 1', 'Runde 2']);
    expect(history.minorEdits.q_sat).toEqual([{ version: 2, note: 'Clarified what is rated; same meaning' }]);
  });
});
