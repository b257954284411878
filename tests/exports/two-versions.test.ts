// The participant survey's two versions on both databases: version 1 from its archive (exactly what was published),
// version 2 from the sources, the diff between them, the scale rule for "don't know", and a two-wave export that
// stacks the waves and aligns their columns by question code (CSV, the codebook, and .sav read back by GNU PSPP).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { memorySink } from '../../server/exports/dataset.ts';
import type { ExportFormat } from '../../server/exports/formats.ts';
import { prepareExport } from '../../server/exports/service.ts';
import { addUnits, closeWave, createWave, openWave } from '../../server/fieldwork/service.ts';
import { saveAnswers, submitResponse } from '../../server/responses/service.ts';
import { archivePath, publishArchive, readArchive, readArchives } from '../../server/surveys/archive.ts';
import type { Codebook } from '../../server/surveys/codebook.ts';
import { importSurveyJs } from '../../server/surveys/import.ts';
import { diffVersions, getVersion, publishInstrument } from '../../server/surveys/service.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { pspp, readerPresent, run } from '../helpers/readers.ts';
import { fixturesDir, realPaths } from '../helpers/surveys.ts';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const cli = { kind: 'cli' } as const;
const operator = { principal: { role: 'operator' as const, municipalityCode: null }, actor: cli };
const now = new Date('2026-11-26T09:00:00Z');
const havePspp = readerPresent(pspp, 'two-wave .sav through GNU PSPP');
const archive = readArchive(archivePath(realPaths.surveysDir, 'participant-survey', 1));

/** Agree/disagree statements whose "don't know" was added in version 2 (a new answer list, so a new code). */
const gainedDontKnow = [
  'p_prog_understand_goal',
  'p_prog_respect',
  'p_soc_understood',
  'p_info_rights',
  'p_infl_decide',
  'p_infl_speak_up',
];
/** Rows by wave (export order), then by overall satisfaction (the test's answers differ there). */
const inOrder = (rows: Record<string, string>[]) =>
  [...rows].sort(
    (a, b) => a.wave!.localeCompare(b.wave!) || Number(a.p_overall_sat) - Number(b.p_overall_sat),
  );

/** Language practice (code 3) added as a choice. */
const gainedLanguagePractice = ['p_prog_want_more', 'p_overall_most_useful'];

describe.each(backends())('the participant survey, version 1 and 2, on $name', (backend) => {
  let t: TestDatabase;
  let dir: string;
  const waveIds: string[] = [];

  async function file(format: ExportFormat) {
    const prepared = await prepareExport(t.db, { waveIds, format, labelLocale: 'nb' }, operator, now);
    const sink = memorySink();
    await prepared.write(sink);
    return sink;
  }
  const csv = async (format: ExportFormat) =>
    parse((await file(format)).text(), { columns: true, bom: true }) as Record<string, string>[];

  /** A closed census wave on one version, with answers given through the respondent's save and submit. */
  async function answeredWave(version: number, name: string, answers: Record<string, unknown>[]) {
    const wave = await createWave(
      t.db,
      {
        instrumentId: 'participant-survey',
        version,
        name,
        mode: 'census',
        locales: ['nb', 'nn'],
        allowDraftLocales: true,
      },
      cli,
    );
    await addUnits(
      t.db,
      wave.id,
      answers.map((_, i) => ({ externalId: `${name}-${i}`, municipalityCode: '0301' })),
    );
    const links = await openWave(t.db, wave.id, cli, now);
    for (const [i, a] of answers.entries()) {
      const token = links.find((l) => l.externalId === `${name}-${i}`)!.token;
      await saveAnswers(t.db, token, { answers: { p_municipality: '0301', ...a } }, { now });
      await submitResponse(t.db, token, { now });
    }
    await closeWave(t.db, wave.id, cli, now);
    waveIds.push(wave.id);
  }

  beforeAll(async () => {
    if (backend.skip) return;
    t = await backend.open();
    dir = mkdtempSync(join(tmpdir(), 'svar-two-versions-'));
  });
  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(backend.skip)(
    'publishes version 1 from its archive, exactly as archived, and only once',
    async () => {
      const first = await publishArchive(t.db, archive, cli);
      expect(first).toMatchObject({ version: 1, created: true, contentHash: archive.contentHash });
      expect(await publishArchive(t.db, archive, cli)).toMatchObject({ version: 1, created: false });
      const stored = await t.db
        .selectFrom('instrument_version')
        .select(['definition', 'codebook', 'content_hash'])
        .where('instrument_id', '=', 'participant-survey')
        .execute();
      expect(stored).toHaveLength(1);
      expect(stored[0]!.definition).toEqual(archive.definition);
      expect(stored[0]!.codebook).toEqual(archive.codebook);
      // Out of order (a version 3 after 1) is refused, and stores nothing.
      const err = await publishArchive(
        t.db,
        { ...archive, version: 3, contentHash: 'f'.repeat(64) },
        cli,
      ).catch((e) => e);
      expect(err.code).toBe('archive_out_of_order');
    },
  );

  it.skipIf(backend.skip)('refuses an archive edited after it was written', () => {
    const edited = join(dir, 'edited.json');
    const text = readFileSync(archivePath(realPaths.surveysDir, 'participant-survey', 1), 'utf8');
    writeFileSync(edited, text.replace('Svært fornøyd', 'Veldig fornøyd'));
    expect(() => readArchive(edited)).toThrow(expect.objectContaining({ code: 'archive_changed' }));
    // An archive under another instrument's folder (or another number) is not taken for that one.
    expect(readArchives(realPaths.surveysDir, 'participant-survey').map((a) => a.version)).toEqual([1, 2]);
    mkdirSync(join(dir, 'surveys', 'municipal-survey', 'versions'), { recursive: true });
    writeFileSync(join(dir, 'surveys', 'municipal-survey', 'versions', '1.json'), text);
    expect(() => readArchives(join(dir, 'surveys'), 'municipal-survey')).toThrow(
      expect.objectContaining({ code: 'archive_misplaced' }),
    );
  });

  it.skipIf(backend.skip)(
    'publishes the sources as version 2, and the diff lists exactly what changed',
    async () => {
      const v2 = await publishInstrument(t.db, realPaths, 'participant-survey', cli);
      expect(v2).toMatchObject({ version: 2, created: true });
      const diff = await diffVersions(t.db, 'participant-survey', 1, 2);
      expect(diff.removed.sort()).toEqual([...gainedDontKnow, ...gainedLanguagePractice].sort());
      expect(diff.added.sort()).toEqual(
        [
          ...gainedDontKnow.map((c) => `${c}_dk`),
          ...gainedLanguagePractice.map((c) => `${c}_sp`),
          'p_nor_helped_most',
        ].sort(),
      );
      expect(diff.changed.map((c) => c.code)).toEqual(['p_overall_sat']);
      expect(diff.changed[0]!.changes).toEqual([
        expect.objectContaining({ field: 'required', from: true, to: false }),
      ]);
    },
  );

  it.skipIf(backend.skip)(
    'version 2: every agree/disagree and part-satisfaction scale offers 98, marked missing; language practice is a choice',
    async () => {
      const { codebook } = await getVersion(t.db, 'participant-survey', 2);
      const variables = (codebook as unknown as Codebook).variables;
      const scales = variables.filter((v) =>
        v.values.some((x) => ['Helt uenig', 'Svært misfornøyd'].includes(x.labels.nb ?? '')),
      );
      expect(scales.length).toBeGreaterThan(25);
      for (const v of scales.filter((s) => s.code !== 'p_overall_sat'))
        expect(
          v.values.find((x) => x.value === 98),
          v.code,
        ).toMatchObject({ missing: 'dont_know' });
      // The headline trend keeps its code and answer codes, and is never forced.
      expect(variables.find((v) => v.code === 'p_overall_sat')).toMatchObject({ required: false });
      expect(variables.filter((v) => v.required).map((v) => v.code)).toEqual(['p_municipality']);
      for (const code of ['p_prog_want_more_sp', 'p_overall_most_useful_sp', 'p_nor_helped_most'])
        expect(variables.find((v) => v.code === code)!.values.find((x) => x.value === 3)!.labels.nb).toMatch(
          /^Språkpraksis/,
        );
    },
  );

  it.skipIf(backend.skip)(
    'a two-wave export stacks the waves and aligns columns by code; the codebook says which versions asked each',
    async () => {
      await answeredWave(1, 'Runde 2025', [
        { p_overall_sat: 4, p_prog_respect: 5, p_prog_want_more: [1, 4], p_overall_most_useful: 4 },
        { p_overall_sat: 2, p_prog_respect: 3 },
      ]);
      await answeredWave(2, 'Runde 2026', [
        { p_overall_sat: 5, p_prog_respect_dk: 98, p_prog_want_more_sp: [3], p_nor_helped_most: 3 },
      ]);
      // Waves come in order; within a wave, rows go by response id, so sort them by the answer that tells them apart.
      const rows = inOrder(await csv('csv'));
      expect(rows.map((r) => [r.wave, r.instrument_version])).toEqual([
        ['Runde 2025', '1'],
        ['Runde 2025', '1'],
        ['Runde 2026', '2'],
      ]);
      const header = Object.keys(rows[0]!);
      // The replaced question stands beside its successor.
      expect(header.indexOf('p_prog_respect_dk')).toBe(header.indexOf('p_prog_respect') + 1);
      expect(rows.map((r) => r.p_overall_sat)).toEqual(['2', '4', '5']);
      expect(rows.map((r) => r.p_prog_respect)).toEqual(['3', '5', '']);
      expect(rows.map((r) => r.p_prog_respect_dk)).toEqual(['', '', '98']);
      expect(rows.map((r) => r.p_prog_want_more_4)).toEqual(['', '1', '']);
      expect(rows.map((r) => r.p_prog_want_more_sp_3)).toEqual(['', '', '1']);
      expect(rows.map((r) => r.p_nor_helped_most)).toEqual(['', '', '3']);

      const codebook = new Map((await csv('codebook-csv')).map((r) => [r.name, r]));
      expect(codebook.get('p_overall_sat')).toMatchObject({
        versions: '1 2',
        waves: 'Runde 2025\nRunde 2026',
      });
      expect(codebook.get('p_prog_respect')).toMatchObject({ versions: '1', missing_codes: '' });
      expect(codebook.get('p_prog_respect_dk')).toMatchObject({
        versions: '2',
        missing_codes: '98 = dont_know',
      });
      expect(codebook.get('p_nor_helped_most')).toMatchObject({ versions: '2', source_name: '' });
    },
  );

  it.skipIf(backend.skip || !havePspp)('the two-wave .sav reads back in GNU PSPP as the CSV', async () => {
    const sav = join(dir, 'two.sav');
    writeFileSync(sav, (await file('sav')).bytes());
    const out = join(dir, 'two-pspp.csv');
    const r = await run('pspp-convert', [sav, out]);
    expect(r.code, r.stderr).toBe(0);
    const trim = (v: string | undefined) => String(v ?? '').trim();
    const back = inOrder(
      (parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[]).map((r) =>
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k, trim(v)])),
      ),
    );
    expect(back.map((b) => trim(b.wave))).toEqual(['Runde 2025', 'Runde 2025', 'Runde 2026']);
    expect(back.map((b) => trim(b.p_prog_respect))).toEqual(['3', '5', '']);
    expect(back.map((b) => trim(b.p_prog_respect_dk))).toEqual(['', '', '98']);
  });
});

describe.each(backends())(
  'an imported question keeps its SurveyJS name in the export codebook on $name',
  (backend) => {
    let t: TestDatabase;
    let root: string;
    beforeAll(async () => {
      if (backend.skip) return;
      t = await backend.open();
      root = mkdtempSync(join(tmpdir(), 'svar-source-name-'));
    });
    afterAll(async () => {
      await t?.close();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    it.skipIf(backend.skip)(
      'codebook CSV and DDI name "recommend friends" beside recommend_friends',
      async () => {
        const paths = {
          projectRoot: root,
          surveysDir: join(root, 'surveys'),
          localesDir: join(root, 'locales'),
        };
        const file = join(fixturesDir, 'surveyjs-cases', '01-product-feedback-multipage.json');
        importSurveyJs({
          json: JSON.parse(readFileSync(file, 'utf8')),
          file,
          instrumentId: 'product-feedback',
          ...paths,
        });
        const { version } = await publishInstrument(t.db, paths, 'product-feedback', cli);
        const wave = await createWave(
          t.db,
          { instrumentId: 'product-feedback', version, name: 'Import', mode: 'census', locales: ['en'] },
          cli,
        );
        const write = async (format: ExportFormat) => {
          const prepared = await prepareExport(
            t.db,
            { waveIds: [wave.id], format, labelLocale: 'en' },
            operator,
            now,
          );
          const sink = memorySink();
          await prepared.write(sink);
          return sink.text();
        };
        const codebook = parse(await write('codebook-csv'), { columns: true, bom: true }) as Record<
          string,
          string
        >[];
        expect(codebook.find((r) => r.name === 'recommend_friends')).toMatchObject({
          question_code: 'recommend_friends',
          source_name: 'recommend friends',
        });
        // A name that was already a code has none; every recoded one has its own.
        expect(
          Object.fromEntries(codebook.filter((r) => r.source_name).map((r) => [r.name, r.source_name])),
        ).toEqual({
          recommend_friends: 'recommend friends',
          price_to_competitors: 'price to competitors',
        });
        const ddi = await write('ddi');
        expect(ddi).toMatch(
          /<var [^>]*name="recommend_friends"[^>]*>.*<notes type="svar:sourceName">recommend friends<\/notes>/,
        );
      },
    );
  },
);
