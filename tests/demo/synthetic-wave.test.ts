// The demo's closed sample wave of synthetic participants: made through the real fieldwork and respondent paths,
// responses in several languages with non-response weights, marked synthetic, no contact data, and made once.
// On the embedded database only: that is where `npm start` loads the demo, and one run costs ~20 s of CPU.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadDemo } from '../../server/demo/service.ts';
import { syntheticWaveName } from '../../server/demo/synthetic-wave.ts';
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
    const first = (await loadDemo(t.db, config)).synthetic!;
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

    const second = (await loadDemo(t.db, config)).synthetic!;
    expect(second).toEqual({ ...first, created: false });
    const named = await t.db.selectFrom('wave').select('id').where('name', '=', syntheticWaveName).execute();
    expect(named).toHaveLength(1);
  });
});
