// Explicit years: a municipal-survey item that used to say "last year" names the wave's year, in every language,
// and every respondent of a wave sees the same year whether they answer before or after New Year.
import { Model } from 'survey-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUnits, createWave, openWave } from '../../server/fieldwork/service.ts';
import { publishInstrument } from '../../server/surveys/service.ts';
import { fillWaveVariables, referenceYearOf, waveVariables } from '../../server/surveys/wave-variables.ts';
import { makeApp, TestClock } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { realPaths } from '../helpers/surveys.ts';

const cli = { kind: 'cli' } as const;

describe('a wave reference year', () => {
  it('is the year the wave opens in Norway, scheduled or not', () => {
    const now = new Date('2027-02-01T12:00:00Z');
    // 23:30 UTC on New Year's Eve is already 2027 in Oslo.
    expect(referenceYearOf({ opensAt: new Date('2026-12-31T23:30:00Z'), openedAt: null }, now)).toBe(2027);
    expect(referenceYearOf({ opensAt: null, openedAt: new Date('2026-12-15T09:00:00Z') }, now)).toBe(2026);
    expect(referenceYearOf({ opensAt: null, openedAt: null }, now)).toBe(2027);
    expect(waveVariables(2027)).toEqual({ referenceYear: 2027, previousYear: 2026, nextYear: 2028 });
  });

  it('fills a text outside SurveyJS, leaving other placeholders alone', () => {
    expect(
      fillWaveVariables('{previousYear}–{nextYear}, {m_code} {referenceYear}', waveVariables(2027)),
    ).toBe('2026–2028, {m_code} 2027');
  });
});

/** An item's title as the respondent page shows it: the view's variables set on the SurveyJS model. */
function shownTitle(view: Record<string, any>, code: string): string {
  const model = new Model(view.definition);
  for (const [name, value] of Object.entries(view.variables as Record<string, number>))
    model.setVariable(name, value);
  model.locale = view.locale;
  return model.getQuestionByName(code).processedTitle;
}

describe.each(backends())('the municipal survey names the wave year on $name', (backend) => {
  let t: TestDatabase;
  const clock = new TestClock(new Date('2026-12-20T09:00:00Z'));
  let app: ReturnType<typeof makeApp>;
  const links = new Map<string, string>();

  beforeAll(async () => {
    if (backend.skip) return;
    t = await backend.open();
    app = makeApp(t, { clock });
    await publishInstrument(t.db, realPaths, 'municipal-survey', cli);
    // One wave scheduled to open after New Year, one opened before it with no schedule.
    for (const [name, opensAt] of [
      ['scheduled', new Date('2027-01-04T07:00:00Z')],
      ['unscheduled', null],
    ] as const) {
      const wave = await createWave(
        t.db,
        {
          instrumentId: 'municipal-survey',
          version: 1,
          name,
          mode: 'census',
          locales: ['nb', 'nn', 'ar'],
          allowDraftLocales: true,
          opensAt,
        },
        cli,
      );
      await addUnits(t.db, wave.id, [{ externalId: '4601', municipalityCode: '4601' }]);
      const [link] = await openWave(t.db, wave.id, cli, clock.now());
      links.set(name, link!.token);
    }
    clock.advance(20 * 24 * 3600_000); // 9 January 2027: both waves open
  }, 120_000);
  afterAll(async () => t?.close());

  const open = async (wave: string, locale: string) => {
    const res = await app.request(`/api/v1/respond/${links.get(wave)}?locale=${locale}`);
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, any>;
  };

  it.skipIf(backend.skip)(
    'in bokmål and in Arabic (right to left), from the wave opening in 2027',
    async () => {
      const nb = await open('scheduled', 'nb');
      expect(nb.variables).toEqual({ referenceYear: 2027, previousYear: 2026, nextYear: 2028 });
      expect(shownTitle(nb, 'm_settle_settled_last_year')).toBe(
        'Hvor mange flyktninger ble faktisk bosatt i kommunen i 2026?',
      );
      expect(shownTitle(nb, 'm_settle_decision_vs_request')).toContain('for 2027 sammenlignet');

      const ar = await open('scheduled', 'ar');
      expect(ar).toMatchObject({ locale: 'ar', dir: 'rtl' });
      const arabic = shownTitle(ar, 'm_settle_settled_last_year');
      expect(arabic).toContain('في عام 2026');
      expect(arabic).not.toContain('{');
      expect(arabic).not.toContain('العام الماضي'); // "last year" is gone
    },
  );

  it.skipIf(backend.skip)('from the moment an unscheduled wave opened, not the day one answers', async () => {
    // Opened on 20 December 2026 and answered on 9 January 2027: still the 2026 wave.
    const view = await open('unscheduled', 'nn');
    expect(view.variables.previousYear).toBe(2025);
    expect(shownTitle(view, 'm_pol_priority_change')).toContain('i 2025');
  });
});
