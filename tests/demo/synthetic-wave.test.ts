// The demo's closed sample waves of synthetic participants: made through the real fieldwork and respondent paths,
// responses in several languages with non-response weights, marked synthetic, no contact data, and made once; one
// on version 1 (published from its archive) and one on version 2 (the sources), so two versions export together.
// On the embedded database only: that is where `npm start` loads the demo, and one run costs ~20 s of CPU.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadDemo } from '../../server/demo/service.ts';
import { earlierSyntheticWave, syntheticWaveName } from '../../server/demo/synthetic-wave.ts';
import { memorySink } from '../../server/exports/dataset.ts';
import { prepareExport } from '../../server/exports/service.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { realPaths } from '../helpers/surveys.ts';

vi.setConfig({ testTimeout: 240_000 });

const pglite = backends().find((b) => b.name === 'pglite')!;
const config = { ...realPaths, publicBaseUrl: 'http://localhost:3000' };

describe('demo: the synthetic sample wave (pglite)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await pglite.open();
  });
  afterAll(async () => t?.close());

  it('is a closed sample wave with responses in several languages, weighted, synthetic, and made once', async () => {
    const demo = await loadDemo(t.db, config);
    const first = demo.synthetic!;
    // Both instruments: versions 1 and 2 from their archives; the sources, unchanged since version 2, add nothing.
    for (const id of ['participant-survey', 'municipal-survey'])
      expect(
        demo.instruments.filter((i) => i.instrumentId === id).map((i) => [i.version, i.created]),
      ).toEqual([
        [1, true],
        [2, true],
        [2, false],
      ]);
    expect(first).toMatchObject({ name: syntheticWaveName, created: true, frameUnits: 1500, sampled: 600 });
    expect(first.name).toMatch(/^Syntetiske data/);
    expect(first.completed).toBeGreaterThan(200);
    expect(first.inProgress).toBeGreaterThan(20);
    expect(Object.keys(first.locales).length).toBeGreaterThanOrEqual(5);
    expect(Object.keys(first.locales)).toEqual(expect.arrayContaining(['nb', 'ar', 'ti', 'so']));

    const wave = await t.db
      .selectFrom('wave')
      .selectAll()
      .where('id', '=', first.waveId)
      .executeTakeFirstOrThrow();
    expect(wave).toMatchObject({ status: 'closed', mode: 'sample', instrument_id: 'participant-survey' });
    expect((wave.sampling as { strata?: string }).strata).toBe('county');

    const units = await t.db
      .selectFrom('frame_unit')
      .select(['id', 'attributes', 'stratum', 'selected'])
      .where('wave_id', '=', first.waveId)
      .execute();
    expect(units.every((u) => u.attributes.synthetic === '1')).toBe(true);
    expect(new Set(units.filter((u) => u.selected).map((u) => u.stratum)).size).toBeGreaterThanOrEqual(10);
    const contacts = await t.db
      .selectFrom('unit_contact')
      .select('frame_unit_id')
      .where(
        'frame_unit_id',
        'in',
        units.map((u) => u.id),
      )
      .execute();
    expect(contacts).toEqual([]);

    const responses = await t.db
      .selectFrom('response')
      .select(['status', 'nonresponse_weight', 'answers', 'completed_at', 'locales_used'])
      .where('wave_id', '=', first.waveId)
      .execute();
    const completed = responses.filter((r) => r.status === 'completed');
    expect(completed.every((r) => (r.nonresponse_weight ?? 0) > 0 && r.completed_at !== null)).toBe(true);
    expect(completed.every((r) => typeof r.answers.p_overall_sat === 'number')).toBe(true);
    expect(
      responses.filter((r) => r.status === 'in_progress').every((r) => r.nonresponse_weight === null),
    ).toBe(true);
    expect(responses.some((r) => r.locales_used.length > 1)).toBe(true);

    // Estimates differ between strata: mean overall satisfaction by county is not one number.
    const means = await sql<{ stratum: string; mean: number }>`
      select f.stratum, avg((r.answers->>'p_overall_sat')::int)::float8 as mean
      from response r join frame_unit f on f.id = r.frame_unit_id
      where r.wave_id = ${first.waveId} and r.status = 'completed' group by f.stratum`.execute(t.db);
    const values = means.rows.map((r) => r.mean);
    expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(0.3);

    // Last year's wave answered version 1, this year's version 2; exported together they stack, aligned by code.
    const [earlier, latest] = demo.syntheticWaves;
    expect(earlier).toMatchObject({ name: earlierSyntheticWave.name, created: true, sampled: 300 });
    expect(latest).toEqual(first);
    const versions = await t.db
      .selectFrom('wave')
      .innerJoin('instrument_version', 'instrument_version.id', 'wave.instrument_version_id')
      .select(['wave.name', 'instrument_version.version', 'wave.status'])
      .where('wave.id', 'in', [earlier!.waveId, latest!.waveId])
      .orderBy('instrument_version.version')
      .execute();
    expect(versions).toEqual([
      { name: earlierSyntheticWave.name, version: 1, status: 'closed' },
      { name: syntheticWaveName, version: 2, status: 'closed' },
    ]);
    const prepared = await prepareExport(
      t.db,
      { waveIds: [earlier!.waveId, latest!.waveId], format: 'csv', labelLocale: 'nb' },
      { principal: { role: 'operator', municipalityCode: null }, actor: { kind: 'cli' } },
      new Date(),
    );
    expect(prepared.rows).toBe(earlier!.completed + earlier!.inProgress + first.completed + first.inProgress);
    const sink = memorySink();
    await prepared.write(sink);
    const [header, ...lines] = sink.text().split('\n').filter(Boolean);
    expect(header).toContain('p_prog_respect,p_prog_respect_dk');
    expect(lines).toHaveLength(prepared.rows);

    const again = await loadDemo(t.db, config);
    expect(again.synthetic).toEqual({ ...first, created: false });
    expect(again.syntheticWaves.map((w) => w.created)).toEqual([false, false]);
    expect(again.instruments.every((i) => !i.created)).toBe(true);
    const named = await t.db.selectFrom('wave').select('id').where('name', '=', syntheticWaveName).execute();
    expect(named).toHaveLength(1);
  });
});
