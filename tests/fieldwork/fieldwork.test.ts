// Fieldwork end to end on both databases: frames, census and sample waves, links, reminders, progress, weights,
// purging contacts.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildMunicipalFrame, importFrame } from '../../server/fieldwork/frames.ts';
import { distributionList, issueReminderLinks, reissueLink } from '../../server/fieldwork/links.ts';
import { waveProgress } from '../../server/fieldwork/progress.ts';
import { drawWaveSample } from '../../server/fieldwork/sample.ts';
import { closeWave, createWave, openWave, purgeContacts } from '../../server/fieldwork/service.ts';
import { optOut, saveAnswers, submitResponse } from '../../server/responses/service.ts';
import { hashSecretToken } from '../../server/security/secret-token.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { publishMini } from '../helpers/fieldwork.ts';
import { type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

const cli = { kind: 'cli' } as const;
const now = new Date('2026-11-26T09:00:00Z');
const csv = (lines: string[]) => Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
const header = 'external_id;municipality_code;preferred_language;email;navn;region';

/** A fresh copy of the fixture instrument, declared a municipal survey. */
function surveyWorkspaceAsMunicipal(): SurveyWorkspace {
  const m = surveyWorkspace();
  m.editJson('surveys/mini-survey/instrument.json', (i) => (i.unitType = 'municipality'));
  return m;
}

describe.each(backends())('fieldwork on $name', (backend) => {
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

  const census = () =>
    createWave(
      t.db,
      {
        instrumentId,
        version: 1,
        name: 'Census',
        mode: 'census',
        locales: ['nb', 'nn', 'ar'],
        allowDraftLocales: true,
      },
      cli,
    );

  it.skipIf(backend.skip)(
    'builds the municipal frame from reference data, with Oslo districts when asked',
    async () => {
      const mw = surveyWorkspaceAsMunicipal();
      const municipal = await publishMini(t.db, mw);
      mw.remove();
      const wave = await createWave(
        t.db,
        { instrumentId: municipal, version: 1, name: 'K', mode: 'census', locales: ['nb', 'nn'] },
        cli,
      );
      expect((await buildMunicipalFrame(t.db, wave.id, { osloDistricts: true }, cli)).units).toBe(356 + 15);
      const codes = (
        await t.db.selectFrom('frame_unit').select('external_id').where('wave_id', '=', wave.id).execute()
      ).map((u) => u.external_id);
      expect(codes).toContain('030101');
      expect(codes).not.toContain('0301');
      expect(codes).toContain('4601');
      const participantWave = await census();
      expect(
        (await buildMunicipalFrame(t.db, participantWave.id, { osloDistricts: false }, cli).catch((e) => e))
          .code,
      ).toBe('wave_not_municipal');
    },
  );

  it.skipIf(backend.skip)('refuses languages a wave may not offer', async () => {
    const err = await createWave(
      t.db,
      { instrumentId, version: 1, name: 'X', mode: 'census', locales: ['nb', 'ar'] },
      cli,
    ).catch((e) => e);
    expect(err.code).toBe('wave_languages_invalid');
    expect(err.invalidParams.map((p: { name: string }) => p.name).sort()).toEqual([
      'locales.ar',
      'locales.nn',
    ]);
  });

  it.skipIf(backend.skip)(
    'imports a Norwegian-Excel frame; the same file again is a no-op; an update upserts',
    async () => {
      const wave = await census();
      const file = csv([
        header,
        'p1;0301;ar;p1@example.no;"Amina; A.";east',
        'p2;4601;nb;;"Bjørn ""B"" Berg";west',
        'p3;0301;nn;p3@example.no;Chen;east',
      ]);
      expect(await importFrame(t.db, wave.id, { data: file, name: 'frame.csv' }, cli, now)).toMatchObject({
        rows: 3,
        added: 3,
        updated: 0,
        unchanged: 0,
      });
      expect(await importFrame(t.db, wave.id, { data: file, name: 'frame.csv' }, cli, now)).toMatchObject({
        added: 0,
        updated: 0,
        unchanged: 3,
      });
      const changed = csv([
        header,
        'p1;0301;ar;p1@example.no;"Amina; A.";north',
        'p2;4601;nb;;"Bjørn ""B"" Berg";west',
        'p4;5001;nb;;D;north',
      ]);
      expect(await importFrame(t.db, wave.id, { data: changed, name: 'frame.csv' }, cli, now)).toMatchObject({
        added: 1,
        updated: 1,
        unchanged: 1,
      });
      const units = await t.db
        .selectFrom('frame_unit')
        .select(['external_id', 'attributes'])
        .where('wave_id', '=', wave.id)
        .orderBy('external_id')
        .execute();
      expect(units.map((u) => u.external_id)).toEqual(['p1', 'p2', 'p3', 'p4']);
      expect(units[0]!.attributes).toEqual({ region: 'north' });
      const contact = await t.db
        .selectFrom('unit_contact')
        .innerJoin('frame_unit', 'frame_unit.id', 'unit_contact.frame_unit_id')
        .select('unit_contact.name')
        .where('frame_unit.external_id', '=', 'p2')
        .where('frame_unit.wave_id', '=', wave.id)
        .executeTakeFirstOrThrow();
      expect(contact.name).toBe('Bjørn "B" Berg');
    },
  );

  it.skipIf(backend.skip)(
    'refuses a frame with any bad row, naming every line, and changes nothing',
    async () => {
      const wave = await census();
      const bad = csv([
        header,
        'p1;0301;ar;ok@example.no;A;x',
        'p1;9999;xx;not-an-email;B;y',
        'p3;0301;ti;;C;z',
      ]);
      const err = await importFrame(t.db, wave.id, { data: bad, name: 'bad.csv' }, cli, now).catch((e) => e);
      expect(err.code).toBe('frame_invalid');
      const reasons = err.invalidParams
        .map((p: { name: string; reason: string }) => `${p.name}: ${p.reason}`)
        .join('\n');
      expect(reasons).toMatch(/line 3.*duplicate/i);
      expect(reasons).toMatch(/line 3.*9999/);
      expect(reasons).toMatch(/line 3.*xx/);
      expect(reasons).toMatch(/line 3.*not-an-email/);
      expect(reasons).not.toMatch(/line 4/); // a language the wave does not offer falls back (frame-import.test.ts)
      expect(
        await t.db.selectFrom('frame_unit').select('id').where('wave_id', '=', wave.id).execute(),
      ).toEqual([]);
      const latin1 = Buffer.from('external_id;navn\n1;Bjørn\n', 'latin1');
      const enc = await importFrame(t.db, wave.id, { data: latin1, name: 'latin1.csv' }, cli, now).catch(
        (e) => e,
      );
      expect(enc.invalidParams[0].reason).toMatch(/UTF-8/);
    },
  );

  it.skipIf(backend.skip)(
    'opens a census: one link per unit, stored hashed, in the distribution list; then frozen',
    async () => {
      const wave = await census();
      await importFrame(
        t.db,
        wave.id,
        { data: csv([header, 'p1;0301;ar;p1@example.no;A;e', 'p2;4601;nb;;B;w']), name: 'f.csv' },
        cli,
        now,
      );
      const links = await openWave(t.db, wave.id, cli, now);
      expect(links).toHaveLength(2);
      expect(new Set(links.map((l) => l.token)).size).toBe(2);
      const stored = await t.db
        .selectFrom('invitation')
        .select('token_hash')
        .where('wave_id', '=', wave.id)
        .execute();
      expect(stored.map((s) => s.token_hash).sort()).toEqual(
        links.map((l) => hashSecretToken(l.token)).sort(),
      );
      const list = await distributionList(t.db, wave.id, links, 'https://svar.example');
      expect(list.startsWith('\uFEFFexternal_id;link;opt_out_link;preferred_language')).toBe(true);
      expect(list).toContain(`https://svar.example/s/${links.find((l) => l.externalId === 'p1')!.token}`);
      expect(list).toContain('p1@example.no');
      const units = await t.db
        .selectFrom('frame_unit')
        .select(['selected', 'design_weight'])
        .where('wave_id', '=', wave.id)
        .execute();
      expect(units.every((u) => u.selected && u.design_weight === 1)).toBe(true);
      const frozen = await importFrame(
        t.db,
        wave.id,
        { data: csv([header, 'p9;0301;nb;;Z;e']), name: 'f.csv' },
        cli,
        now,
      ).catch((e) => e);
      expect(frozen.code).toBe('wave_not_draft');
      // Opening again issues nothing new.
      expect(await openWave(t.db, wave.id, cli, now)).toEqual([]);
    },
  );

  it.skipIf(backend.skip)(
    'draws a reproducible stratified sample with design weights, and opens only the sample',
    async () => {
      const wave = await createWave(
        t.db,
        { instrumentId, version: 1, name: 'Sample', mode: 'sample', locales: ['nb', 'nn'] },
        cli,
      );
      const lines = [header];
      for (let i = 0; i < 90; i++)
        lines.push(
          `u${String(i).padStart(3, '0')};${i < 60 ? '0301' : '4601'};nb;;N${i};${i % 3 === 0 ? 'a' : 'b'}`,
        );
      await importFrame(t.db, wave.id, { data: csv(lines), name: 'frame.csv' }, cli, now);
      expect((await openWave(t.db, wave.id, cli, now).catch((e) => e)).code).toBe('sample_not_drawn');
      const first = await drawWaveSample(
        t.db,
        wave.id,
        { size: 12, strata: 'municipality_code', seed: 'svar-2026' },
        cli,
      );
      expect(first.table).toEqual([
        { stratum: '0301', populationSize: 60, sampleSize: 8, designWeight: 7.5 },
        { stratum: '4601', populationSize: 30, sampleSize: 4, designWeight: 7.5 },
      ]);
      const pick = async () =>
        (
          await t.db
            .selectFrom('frame_unit')
            .select('external_id')
            .where('wave_id', '=', wave.id)
            .where('selected', '=', true)
            .orderBy('external_id')
            .execute()
        ).map((u) => u.external_id);
      const firstPick = await pick();
      await drawWaveSample(t.db, wave.id, { size: 12, strata: 'municipality_code', seed: 'svar-2026' }, cli);
      expect(await pick()).toEqual(firstPick);
      await drawWaveSample(
        t.db,
        wave.id,
        { size: 12, strata: 'municipality_code', seed: 'another seed' },
        cli,
      );
      expect(await pick()).not.toEqual(firstPick);
      const weights = await t.db
        .selectFrom('frame_unit')
        .select(['stratum', 'design_weight'])
        .where('wave_id', '=', wave.id)
        .where('selected', '=', true)
        .execute();
      const sum = (s: string) =>
        weights.filter((w) => w.stratum === s).reduce((a, w) => a + w.design_weight!, 0);
      expect(sum('0301')).toBeCloseTo(60, 9);
      expect(sum('4601')).toBeCloseTo(30, 9);
      const sampling = (
        await t.db.selectFrom('wave').select('sampling').where('id', '=', wave.id).executeTakeFirstOrThrow()
      ).sampling as Record<string, unknown>;
      expect(sampling).toMatchObject({ seed: 'another seed', allocation: 'proportional', size: 12 });
      expect(await openWave(t.db, wave.id, cli, now)).toHaveLength(12);
      const bad = await drawWaveSample(t.db, wave.id, { size: 5 }, cli).catch((e) => e);
      expect(bad.code).toBe('wave_not_draft');
    },
  );

  it.skipIf(backend.skip)(
    'reminds only units that have not completed or opted out; reissue revokes; progress; weights; purge',
    async () => {
      const wave = await census();
      await importFrame(
        t.db,
        wave.id,
        {
          data: csv([
            header,
            'p1;0301;nb;a@example.no;A;e',
            'p2;0301;ar;b@example.no;B;e',
            'p3;4601;nb;c@example.no;C;w',
            'p4;4601;nn;;D;w',
          ]),
          name: 'f.csv',
        },
        cli,
        now,
      );
      const links = await openWave(t.db, wave.id, cli, now);
      const token = (id: string) => links.find((l) => l.externalId === id)!.token;
      // p1 completes, p2 opts out, p3 starts, p4 does nothing.
      await saveAnswers(t.db, token('p1'), { answers: { q_sat: 2 }, clientTime: 1 }, { now });
      await submitResponse(t.db, token('p1'), { now });
      await optOut(t.db, token('p2'), now);
      await saveAnswers(t.db, token('p3'), { answers: { q_months: 3 }, clientTime: 1 }, { now });

      const reminders = await issueReminderLinks(t.db, wave.id, cli, now);
      expect(reminders.map((r) => r.externalId).sort()).toEqual(['p3', 'p4']);
      // The first link still works for p3, and so does the reminder's.
      await saveAnswers(t.db, token('p3'), { answers: { q_months: 4 }, clientTime: 2 }, { now });
      await saveAnswers(
        t.db,
        reminders.find((r) => r.externalId === 'p3')!.token,
        { answers: { q_months: 5 }, clientTime: 3 },
        { now },
      );

      const fresh = await reissueLink(t.db, wave.id, 'p4', cli, now);
      expect(
        (await saveAnswers(t.db, token('p4'), { answers: {}, clientTime: 1 }, { now }).catch((e) => e)).code,
      ).toBe('link_not_valid');
      await saveAnswers(t.db, fresh.token, { answers: { q_sat: 1 }, clientTime: 1 }, { now });

      const total = await waveProgress(t.db, wave.id, 'total');
      expect(total).toEqual([
        // Opened counts the units that started, though no page load recorded an open here.
        { group: 'total', invited: 4, opened: 3, started: 3, completed: 1, optedOut: 1, responseRate: 0.25 },
      ]);
      const byMunicipality = await waveProgress(t.db, wave.id, 'municipality');
      expect(byMunicipality.map((r) => [r.group, r.completed, r.invited])).toEqual([
        ['0301', 1, 2],
        ['4601', 0, 2],
      ]);
      const own = await waveProgress(t.db, wave.id, 'total', { municipalityCode: '4601' });
      expect(own[0]).toMatchObject({ invited: 2, completed: 0 });

      const closed = await closeWave(t.db, wave.id, cli, now);
      // A participant census adjusts within municipalities; 4601 has no respondent, nor has its county: all carry it.
      expect(closed.nonresponse_adjustment).toMatchObject({
        adjustBy: 'municipality',
        population: 4,
        weightSum: 4,
        collapsed: [{ class: '4601', into: 'all', units: 2, weight: 2 }],
      });
      const weights = await t.db
        .selectFrom('response')
        .innerJoin('frame_unit', 'frame_unit.id', 'response.frame_unit_id')
        .select(['frame_unit.external_id', 'response.nonresponse_weight'])
        .where('response.wave_id', '=', wave.id)
        .orderBy('frame_unit.external_id')
        .execute();
      // Census: 1 × 2/1 within 0301 (2 selected, 1 responded), × 4/2 for carrying 4601.
      expect(weights.find((r) => r.external_id === 'p1')?.nonresponse_weight).toBe(4);
      expect(weights.find((r) => r.external_id === 'p3')?.nonresponse_weight).toBeNull();

      const purged = await purgeContacts(t.db, wave.id, cli);
      expect(purged.purged).toBe(4);
      const left = await t.db
        .selectFrom('unit_contact')
        .innerJoin('frame_unit', 'frame_unit.id', 'unit_contact.frame_unit_id')
        .select('unit_contact.frame_unit_id')
        .where('frame_unit.wave_id', '=', wave.id)
        .execute();
      expect(left).toEqual([]);
      const answers = await t.db
        .selectFrom('response')
        .select('answers')
        .where('wave_id', '=', wave.id)
        .execute();
      expect(answers).toHaveLength(3);
    },
  );
});
