// The sampling traps of issue 11, on both databases: no stratum silently left empty, Neyman spreads that cannot
// be misread, a set-based draw that equals the documented rule and is reproducible, and no race with an opening.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildMunicipalFrame, importFrame } from '../../server/fieldwork/frames.ts';
import { drawWaveSample, type SampleSettings } from '../../server/fieldwork/sample.ts';
import { candidateCutOff, writeSelection } from '../../server/fieldwork/sample-queries.ts';
import { drawSample } from '../../server/fieldwork/sampling.ts';
import { addUnits, createWave, type NewUnit, openWave } from '../../server/fieldwork/service.ts';
import { createStaff, jsonRequest, logInAs, makeApp } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { publishMini } from '../helpers/fieldwork.ts';
import { runSvar } from '../helpers/processes.ts';
import { type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

vi.setConfig({ testTimeout: 240_000 });

const cli = { kind: 'cli' } as const;
const now = new Date('2026-12-03T09:00:00Z');

/** Units numbered per region (`nord-0001` …), each with its region and any extra attributes. */
function unitsOf(
  sizes: Record<string, number>,
  extra: (region: string, i: number) => Record<string, string> = () => ({}),
) {
  return Object.entries(sizes).flatMap(([region, n]) =>
    Array.from({ length: n }, (_, i) => ({
      externalId: `${region}-${String(i + 1).padStart(4, '0')}`,
      attributes: { region, ...extra(region, i) },
    })),
  );
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => expect.fail('expected the draw to be refused'),
    (e: { status?: number; code?: string; message: string; invalidParams?: unknown }) => e,
  );

describe.each(backends())('sampling traps on $name', (backend) => {
  let t: TestDatabase;
  let w: SurveyWorkspace;
  let instrumentId: string;
  beforeAll(async () => {
    if (!backend.skip) t = await backend.open();
  });
  afterAll(async () => t?.close());
  beforeEach(async () => {
    if (backend.skip) return;
    w = surveyWorkspace();
    instrumentId = await publishMini(t.db, w);
  });
  afterEach(() => w?.remove());

  async function sampleWave(units: NewUnit[], mode: 'sample' | 'census' = 'sample') {
    const wave = await createWave(
      t.db,
      { instrumentId, version: 1, name: 'Traps', mode, locales: ['nb', 'nn'] },
      cli,
    );
    await addUnits(t.db, wave.id, units);
    return wave;
  }

  const unitsOfWave = (waveId: string) =>
    t.db
      .selectFrom('frame_unit')
      .select(['external_id', 'attributes', 'stratum', 'selected', 'inclusion_probability', 'design_weight'])
      .where('wave_id', '=', waveId)
      .orderBy('external_id')
      .execute();
  // Sorted here, in code-unit order: the database's collation must not decide what "the same sample" means.
  const picked = async (waveId: string) =>
    (await unitsOfWave(waveId))
      .filter((u) => u.selected)
      .map((u) => u.external_id)
      .sort();
  const invited = async (waveId: string) =>
    (
      await t.db
        .selectFrom('invitation')
        .innerJoin('frame_unit', 'frame_unit.id', 'invitation.frame_unit_id')
        .select('frame_unit.external_id')
        .where('invitation.wave_id', '=', waveId)
        .where('invitation.revoked_at', 'is', null)
        .execute()
    )
      .map((u) => u.external_id)
      .sort();

  /**
   * Per stratum (the frame's region) n_h selected, each with its stratum, π = n_h/N_h and weight N_h/n_h, the
   * weights summing to N_h; the other units carry nothing, not even an earlier draw's marks.
   */
  async function expectConsistent(
    waveId: string,
    table: { stratum: string; populationSize: number; sampleSize: number }[],
  ) {
    const units = await unitsOfWave(waveId);
    expect(table.reduce((a, r) => a + r.populationSize, 0)).toBe(units.length);
    for (const row of table) {
      const mine = units.filter((u) => u.attributes.region === row.stratum);
      const chosen = mine.filter((u) => u.selected);
      expect(mine).toHaveLength(row.populationSize);
      expect(chosen).toHaveLength(row.sampleSize);
      expect(row.sampleSize).toBeLessThanOrEqual(row.populationSize);
      for (const u of chosen) {
        expect(u.stratum).toBe(row.stratum);
        expect(u.inclusion_probability).toBe(row.sampleSize / row.populationSize);
        expect(u.design_weight).toBe(row.populationSize / row.sampleSize);
      }
      const others = mine.filter((u) => !u.selected);
      expect(others.every((u) => u.design_weight === null && u.stratum === null)).toBe(true);
      if (row.sampleSize > 0)
        expect(chosen.reduce((a, u) => a + u.design_weight!, 0)).toBeCloseTo(row.populationSize, 9);
    }
  }

  it.skipIf(backend.skip)(
    'gives every non-empty stratum a unit by default, and leaves one empty only when told to, saying what it costs',
    async () => {
      const wave = await sampleWave(unitsOf({ utsira: 1, røst: 2, oslo: 1000, træna: 5 }));
      const drawn = await drawWaveSample(t.db, wave.id, { size: 10, strata: 'region', seed: 's' }, cli);
      expect(drawn.table.map((r) => [r.stratum, r.populationSize, r.sampleSize])).toEqual([
        ['oslo', 1000, 7],
        ['røst', 2, 1],
        ['træna', 5, 1],
        ['utsira', 1, 1],
      ]);
      expect(drawn).toMatchObject({ population: 1008, emptyStrata: [], warning: null });
      await expectConsistent(wave.id, drawn.table);
      const before = await picked(wave.id);

      const tooSmall = await failure(
        drawWaveSample(t.db, wave.id, { size: 3, strata: 'region', seed: 's' }, cli),
      );
      expect(tooSmall).toMatchObject({ status: 422, code: 'sample_empty_strata' });
      expect(tooSmall.message).toMatch(/sample of 3 cannot give each of the 4 non-empty strata a unit/);
      expect(tooSmall.message).toMatch(/never be represented.*sum to less than N.*--allow-empty-strata/);
      expect(await picked(wave.id)).toEqual(before);

      const fixed = { oslo: 8, træna: 2, røst: 0, utsira: 0 };
      const zero = await failure(
        drawWaveSample(t.db, wave.id, { size: 10, strata: 'region', allocation: 'fixed', fixed }, cli),
      );
      expect(zero).toMatchObject({ status: 422, code: 'sample_empty_strata' });
      expect(zero.message).toMatch(
        /2 non-empty strata get no unit: røst \(2 units\), utsira \(1 unit\)\. Their 3 units can never be represented, and the design weights sum to 1005 instead of N = 1008/,
      );
      expect(zero.invalidParams).toEqual([
        { name: 'strata.røst', reason: 'non-empty stratum of 2 unit(s)' },
        { name: 'strata.utsira', reason: 'non-empty stratum of 1 unit(s)' },
      ]);

      const allowed = await drawWaveSample(
        t.db,
        wave.id,
        { size: 10, strata: 'region', seed: 's', allowEmptyStrata: true },
        cli,
      );
      expect(allowed.table.map((r) => r.sampleSize)).toEqual([10, 0, 0, 0]);
      expect(allowed.emptyStrata).toEqual([
        { stratum: 'røst', size: 2 },
        { stratum: 'træna', size: 5 },
        { stratum: 'utsira', size: 1 },
      ]);
      expect(allowed.warning).toMatch(
        /3 non-empty strata get no unit.*weights sum to 1000 instead of N = 1008/,
      );
      await expectConsistent(wave.id, allowed.table);
      expect((await picked(wave.id)).every((id) => id.startsWith('oslo-'))).toBe(true);
    },
  );

  it.skipIf(backend.skip)('refuses empty strata over the API too, and allows them when asked', async () => {
    const app = makeApp(t);
    const admin = await createStaff(t.db, { role: 'admin' });
    const a = await logInAs(app, admin.email, admin.password);
    const asAdmin = { cookie: a.cookie, 'x-csrf-token': a.csrfToken };
    const wave = await sampleWave(unitsOf({ utsira: 1, røst: 2, oslo: 1000, træna: 5 }));
    const draw = (body: Record<string, unknown>) =>
      app.request(`/api/v1/waves/${wave.id}/sample`, jsonRequest('POST', body, asAdmin));
    const refused = await draw({ size: 3, strata: 'region' });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await refused.json()).toMatchObject({ code: 'sample_empty_strata' });
    const allowed = await draw({ size: 3, strata: 'region', allowEmptyStrata: true });
    expect(allowed.status).toBe(200);
    expect(((await allowed.json()) as { warning: string }).warning).toMatch(/can never be represented/);
  });

  it.skipIf(backend.skip)(
    'Neyman from a column: refuses values that differ within a stratum, reads a decimal comma',
    async () => {
      const spread = (region: string, i: number) => ({
        sd: region === 'nord' ? (i === 3 ? '2' : '1,5') : region === 'sør' ? (i % 2 ? '0.5' : '0,5') : '',
      });
      const wave = await sampleWave(unitsOf({ nord: 40, sør: 40 }, spread));
      const neyman: SampleSettings = { size: 20, strata: 'region', allocation: 'neyman', spreadColumn: 'sd' };
      const differs = await failure(drawWaveSample(t.db, wave.id, neyman, cli));
      expect(differs).toMatchObject({ status: 422, code: 'spread_column_invalid' });
      expect(differs.message).toMatch(/stratum nord has different values: 1\.5 \(39 units\), 2 \(1 unit\)/);
      expect(differs.message).not.toMatch(/sør/);

      await t.db
        .updateTable('frame_unit')
        .set({ attributes: JSON.stringify({ region: 'nord', sd: '1,5' }) })
        .where('wave_id', '=', wave.id)
        .where('external_id', '=', 'nord-0004')
        .execute();
      // nord 40·1.5 = 60, sør 40·0.5 = 20: three quarters of the sample in nord.
      const drawn = await drawWaveSample(t.db, wave.id, neyman, cli);
      expect(drawn.table.map((r) => [r.stratum, r.sampleSize])).toEqual([
        ['nord', 15],
        ['sør', 5],
      ]);
      const fromFile = await drawWaveSample(
        t.db,
        wave.id,
        { ...neyman, spreadColumn: null, spreads: { nord: 1.5, sør: 0.5 } },
        cli,
      );
      expect(fromFile.table).toEqual(drawn.table);
      const notANumber = await failure(
        drawWaveSample(t.db, wave.id, { ...neyman, spreadColumn: 'region' }, cli),
      );
      expect(notANumber.message).toMatch(/stratum nord has a value that is not a number: "nord"/);
    },
  );

  it.skipIf(backend.skip)(
    'draws exactly the documented rule, the same sample for the same seed and another for another seed',
    async () => {
      const sizes = { agder: 37, innlandet: 101, vestland: 250, 'tromsø-øst': 12 };
      const units = unitsOf(sizes);
      const wave = await sampleWave(units);
      // The same frame inserted in reverse order in another wave: the order of the rows must not matter.
      const twin = await sampleWave([...units].reverse());
      const settings: SampleSettings = { size: 60, strata: 'region', seed: 'Tromsø 2027', minPerStratum: 5 };
      const drawn = await drawWaveSample(t.db, wave.id, settings, cli);
      expect(drawn.table.reduce((a, r) => a + r.sampleSize, 0)).toBe(60);
      await expectConsistent(wave.id, drawn.table);
      const reference = drawSample(
        units.map((u) => ({ id: u.externalId, region: u.attributes.region })),
        new Map(drawn.table.map((r) => [r.stratum, r.sampleSize])),
        'Tromsø 2027',
        (u) => u.region,
      );
      const first = await picked(wave.id);
      expect(first).toEqual(reference.selected.map((s) => s.unit.id).sort());
      expect(reference.table).toEqual(drawn.table);

      await drawWaveSample(t.db, twin.id, settings, cli);
      expect(await picked(twin.id)).toEqual(first);
      await drawWaveSample(t.db, wave.id, settings, cli);
      expect(await picked(wave.id)).toEqual(first);
      await drawWaveSample(t.db, wave.id, { ...settings, seed: 'Tromsø 2028' }, cli);
      const other = await picked(wave.id);
      expect(other).toHaveLength(60);
      expect(other).not.toEqual(first);
      const sampling = (
        await t.db.selectFrom('wave').select('sampling').where('id', '=', wave.id).executeTakeFirstOrThrow()
      ).sampling as Record<string, unknown>;
      expect(sampling).toMatchObject({ seed: 'Tromsø 2028', selection: expect.stringMatching(/md5/) });
    },
  );

  it.skipIf(backend.skip)(
    'ranks only candidates, and ranks in full when a stratum has too few: the same sample either way',
    async () => {
      const sizes = { nord: 400, sør: 90, vest: 3 };
      const units = unitsOf(sizes);
      const wave = await sampleWave(units);
      const allocation = [
        { stratum: 'nord', populationSize: 400, sampleSize: 40 },
        { stratum: 'sør', populationSize: 90, sampleSize: 85 },
        { stratum: 'vest', populationSize: 3, sampleSize: 1 },
      ];
      const reference = drawSample(
        units.map((u) => ({ id: u.externalId, region: u.attributes.region })),
        new Map(allocation.map((a) => [a.stratum, a.sampleSize])),
        'kandidater',
        (u) => u.region,
      )
        .selected.map((s) => s.unit.id)
        .sort();
      expect(candidateCutOff(40, 400)).toMatch(/^[0-9a-f]{8}$/);
      expect(candidateCutOff(85, 90)).toBe('g');
      // The real cut-off; none at all ('0' is below every key); about half the keys ('8'): all give one sample.
      for (const cutOff of [candidateCutOff, () => '0', () => '8']) {
        const written = await t.db
          .transaction()
          .execute((trx) => writeSelection(trx, wave.id, 'region', 'kandidater', allocation, cutOff));
        expect(written).toBe(126);
        expect(await picked(wave.id)).toEqual(reference);
      }
    },
  );

  it.skipIf(backend.skip)(
    'building the municipal frame again after a draw follows the re-import rule: a changed frame clears the draw',
    async () => {
      const mw = surveyWorkspace();
      mw.editJson('surveys/mini-survey/instrument.json', (i) => (i.unitType = 'municipality'));
      const municipal = await publishMini(t.db, mw);
      mw.remove();
      const wave = await createWave(
        t.db,
        { instrumentId: municipal, version: 1, name: 'K', mode: 'sample', locales: ['nb', 'nn'] },
        cli,
      );
      const build = (osloDistricts: boolean) => buildMunicipalFrame(t.db, wave.id, { osloDistricts }, cli);
      expect(await build(false)).toMatchObject({ units: 357, sampleCleared: false });
      const contacts = Buffer.from(
        'municipality_code;municipality_name;county;chief_executive_email\n4601;Bergen;Vestland;post@bergen.kommune.no\n',
      );
      await importFrame(t.db, wave.id, { data: contacts, name: 'k.csv' }, cli, now);
      // A municipal file has no language column, so the file left Bergen without one; the list gives it back.
      expect(await build(false)).toMatchObject({ units: 357, sampleCleared: false });
      await drawWaveSample(t.db, wave.id, { size: 40, strata: 'county', seed: 'k' }, cli);
      const selected = async () => (await picked(wave.id)).length;
      const sampling = async () =>
        (await t.db.selectFrom('wave').select('sampling').where('id', '=', wave.id).executeTakeFirstOrThrow())
          .sampling;
      // The same list again changes nothing: the draw stays, and the contacts a file brought are kept.
      expect(await build(false)).toMatchObject({ units: 357, sampleCleared: false });
      expect(await selected()).toBe(40);
      const bergen = () =>
        t.db
          .selectFrom('frame_unit')
          .leftJoin('unit_contact', 'unit_contact.frame_unit_id', 'frame_unit.id')
          .select(['frame_unit.attributes', 'unit_contact.email'])
          .where('frame_unit.wave_id', '=', wave.id)
          .where('frame_unit.external_id', '=', '4601')
          .executeTakeFirstOrThrow();
      expect((await bergen()).email).toBe('post@bergen.kommune.no');
      // A unit whose attributes drifted is written back, and the draw stood on the drifted county: cleared.
      await sql`update frame_unit set attributes = '{"municipality_name":"Bergen","county":"Hordaland"}'
        where wave_id = ${wave.id} and external_id = '4601'`.execute(t.db);
      expect(await build(false)).toMatchObject({ units: 357, sampleCleared: true });
      expect(await selected()).toBe(0);
      expect(await sampling()).toBeNull();
      expect(await bergen()).toMatchObject({
        attributes: { municipality_name: 'Bergen', county: 'Vestland' },
        email: 'post@bergen.kommune.no',
      });
      // Oslo's districts are new units: N_h changes, so a new draw is cleared too and the wave cannot open.
      await drawWaveSample(t.db, wave.id, { size: 40, strata: 'county', seed: 'k' }, cli);
      expect(await build(true)).toMatchObject({ units: 357 - 1 + 15, sampleCleared: true });
      expect(await selected()).toBe(0);
      expect(await sampling()).toBeNull();
      const audit = await t.db
        .selectFrom('audit_event')
        .select(['action', 'details'])
        .where('subject_id', '=', wave.id)
        .where('action', 'in', ['sample.cleared', 'frame.built_municipal'])
        .orderBy('occurred_at')
        .orderBy('id')
        .execute();
      expect(audit.map((a) => a.action)).toEqual([
        'frame.built_municipal',
        'frame.built_municipal',
        'frame.built_municipal',
        'sample.cleared',
        'frame.built_municipal',
        'sample.cleared',
        'frame.built_municipal',
      ]);
      expect(audit.at(-2)).toMatchObject({ details: { reason: 'frame.built_municipal' } });
      expect(audit.at(-1)).toMatchObject({ details: { added: 15, sampleCleared: true } });
      expect((await openWave(t.db, wave.id, cli, now).catch((e) => e)).code).toBe('sample_not_drawn');
    },
  );

  it.skipIf(backend.skip)(
    'stratifies by county in SQL (Oslo districts in Oslo, no code in "(none)") and refuses an unknown column',
    async () => {
      const wave = await sampleWave([
        { externalId: 'a', municipalityCode: '0301' },
        { externalId: 'b', municipalityCode: '030101' },
        { externalId: 'c', municipalityCode: '4601' },
        { externalId: 'd', municipalityCode: '4602' },
        { externalId: 'e', municipalityCode: null },
      ]);
      const drawn = await drawWaveSample(t.db, wave.id, { size: 3, strata: 'county', seed: 'c' }, cli);
      expect(drawn.table.map((r) => [r.stratum, r.populationSize, r.sampleSize])).toEqual([
        ['(none)', 1, 1],
        ['03', 2, 1],
        ['46', 2, 1],
      ]);
      const unknown = await failure(drawWaveSample(t.db, wave.id, { size: 3, strata: 'fylke' }, cli));
      expect(unknown).toMatchObject({ status: 422, code: 'strata_column_unknown' });
      const census = await sampleWave([{ externalId: 'x' }], 'census');
      expect(await failure(drawWaveSample(t.db, census.id, { size: 1 }, cli))).toMatchObject({
        code: 'wave_is_census',
      });
    },
  );

  it.skipIf(backend.skip)(
    'a draw racing an open: either the draw is refused or the open issues links for the final sample',
    async () => {
      for (let round = 0; round < 4; round++) {
        const wave = await sampleWave(unitsOf({ nord: 30, sør: 30 }));
        await drawWaveSample(t.db, wave.id, { size: 10, strata: 'region', seed: 'first' }, cli);
        const [draw, open] = await Promise.allSettled([
          drawWaveSample(t.db, wave.id, { size: 12, strata: 'region', seed: `second-${round}` }, cli),
          openWave(t.db, wave.id, cli, now),
        ]);
        expect(open.status).toBe('fulfilled');
        if (draw.status === 'rejected') expect((draw.reason as { code: string }).code).toBe('wave_not_draft');
        const links = await invited(wave.id);
        expect(links).toEqual(await picked(wave.id));
        expect(links).toHaveLength(draw.status === 'fulfilled' ? 12 : 10);
      }
    },
  );

  it.skipIf(backend.skip || backend.name !== 'postgres')(
    'postgres: a draw that starts while an open holds the wave waits for it, then is refused',
    async () => {
      const wave = await sampleWave(unitsOf({ nord: 30, sør: 30 }));
      await drawWaveSample(t.db, wave.id, { size: 10, strata: 'region', seed: 'first' }, cli);
      let outcome: Promise<string> | undefined;
      // An opening in progress, as openWave does it: the wave locked, the sample read, the status set.
      const seenByOpen = await t.db.transaction().execute(async (trx) => {
        await trx.selectFrom('wave').select('id').where('id', '=', wave.id).forUpdate().execute();
        const sample = await trx
          .selectFrom('frame_unit')
          .select('external_id')
          .where('wave_id', '=', wave.id)
          .where('selected', '=', true)
          .execute();
        outcome = drawWaveSample(t.db, wave.id, { size: 12, strata: 'region', seed: 'second' }, cli).then(
          () => 'drawn',
          (e: { code?: string }) => e.code ?? 'error',
        );
        await waitUntilBlockedOrDone(t, outcome);
        await trx
          .updateTable('wave')
          .set({ status: 'open', opened_at: now })
          .where('id', '=', wave.id)
          .execute();
        return sample.map((u) => u.external_id).sort();
      });
      expect(await outcome).toBe('wave_not_draft');
      expect(await picked(wave.id)).toEqual(seenByOpen);
    },
  );
});

/** Waits until another session waits on a lock in this database, or the promise settles (at most 5 s). */
async function waitUntilBlockedOrDone(t: TestDatabase, p: Promise<unknown>) {
  let settled = false;
  void p.finally(() => {
    settled = true;
  });
  for (let i = 0; i < 100 && !settled; i++) {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock'`.execute(t.db);
    if (rows[0]!.n > 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('svar sample draw on pglite (an embedded data folder)', () => {
  let w: SurveyWorkspace;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    w = surveyWorkspace();
    dir = mkdtempSync(join(tmpdir(), 'svar-sampling-cli-'));
    env = {
      SVAR_DATA_DIR: join(dir, 'data'),
      SVAR_SURVEYS_DIR: w.surveysDir,
      SVAR_LOCALES_DIR: w.localesDir,
    };
  });
  afterAll(() => {
    w.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses empty strata, prints what allowing them costs, and reads a spread file with decimal commas', async () => {
    expect((await runSvar(['surveys', 'publish'], env)).code).toBe(0);
    const create = ['wave', 'create', '--instrument', 'mini-survey', '--version', '1', '--name', 'CLI'];
    const { id } = JSON.parse(
      (await runSvar([...create, '--mode', 'sample', '--locales', 'nb,nn', '--json'], env)).stdout,
    ) as { id: string };
    const sizes = { utsira: 1, røst: 2, oslo: 30, træna: 5 };
    const rows = unitsOf(sizes).map((u) => `${u.externalId};0301;nb;${u.attributes.region}`);
    const frame = join(dir, 'frame.csv');
    writeFileSync(frame, `external_id;municipality_code;preferred_language;region\n${rows.join('\n')}\n`);
    expect((await runSvar(['frame', 'import', id, frame], env)).code).toBe(0);
    const draw = (...args: string[]) => runSvar(['sample', 'draw', id, '--strata', 'region', ...args], env);

    const refused = await draw('--size', '3');
    expect(refused.code).toBe(2);
    expect(refused.stderr + refused.stdout).toMatch(/cannot give each of the 4 non-empty strata a unit/);
    const allowed = await draw('--size', '3', '--allow-empty-strata', '--seed', 'x');
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/Warning: \d non-empty strat.* can never be represented/);

    const spreads = join(dir, 'spreads.json');
    writeFileSync(spreads, JSON.stringify({ utsira: '1,5', røst: 1, oslo: '0,5', træna: '2,0' }));
    const neyman = await draw('--size', '10', '--allocation', 'neyman', '--spread-file', spreads, '--json');
    expect(neyman.code).toBe(0);
    // N_h·S_h: utsira 1.5, røst 2, oslo 15, træna 10, each stratum at least one unit.
    expect(JSON.parse(neyman.stdout).table.map((r: { sampleSize: number }) => r.sampleSize)).toEqual([
      5, 1, 3, 1,
    ]);
    writeFileSync(spreads, JSON.stringify({ utsira: 'mye', røst: 1, oslo: 1, træna: 1 }));
    const bad = await draw('--size', '10', '--allocation', 'neyman', '--spread-file', spreads);
    expect(bad.code).toBe(2);
    expect(bad.stderr + bad.stdout).toMatch(/not a number: "mye"/);
  });
});
