// The municipal survey's version 2 names periods as wave variables ("i {previousYear}"). Wherever staff read its
// texts outside the respondent page, the placeholder is gone: a one-wave export's codebook and .sav labels carry
// the wave's year, an export of waves of two different years says "[året før]" and notes each wave's year, the
// version's codebook (no wave) says "[previous year]", and the regional report's titles carry the wave's years.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { memorySink } from '../../server/exports/dataset.ts';
import type { ExportFormat } from '../../server/exports/formats.ts';
import { prepareExport } from '../../server/exports/service.ts';
import { addUnits, createWave, openWave } from '../../server/fieldwork/service.ts';
import { loadWaveData } from '../../server/reports/regions-data.ts';
import { trendCsv, trendReport } from '../../server/reports/regions-trend.ts';
import { saveAnswers } from '../../server/responses/service.ts';
import { archivePath, publishArchive, readArchive } from '../../server/surveys/archive.ts';
import { publishInstrument } from '../../server/surveys/service.ts';
import { createStaff, logInAs, makeApp } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { pspp, readerPresent, run } from '../helpers/readers.ts';
import { realPaths } from '../helpers/surveys.ts';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

const cli = { kind: 'cli' } as const;
const operator = { principal: { role: 'operator' as const, municipalityCode: null }, actor: cli };
const havePspp = readerPresent(pspp, 'wave years in .sav labels through GNU PSPP');
const settled = 'm_settle_settled_last_year';
const settledNb = (year: string) => `Hvor mange flyktninger ble faktisk bosatt i kommunen i ${year}?`;

/** Every cell of a codebook still showing a wave variable's braces, as "variable.column". */
const placeholders = (rows: Record<string, string>[]) =>
  rows.flatMap((r) =>
    Object.entries(r)
      .filter(([, v]) => /\{(previousYear|referenceYear|nextYear)\}/.test(v))
      .map(([k]) => `${r.name}.${k}`),
  );

describe.each(backends())('the wave years in what staff read, on $name', (backend) => {
  let t: TestDatabase;
  let dir: string;
  /** Wave name → id: one wave asking about 2025 (opens 2026), one about 2026 (opens 2027). */
  const waves = new Map<string, string>();

  async function file(waveIds: string[], format: ExportFormat) {
    const now = new Date('2027-03-01T09:00:00Z');
    const prepared = await prepareExport(t.db, { waveIds, format, labelLocale: 'nb' }, operator, now);
    const sink = memorySink();
    await prepared.write(sink);
    return sink;
  }
  const codebook = async (waveIds: string[]) =>
    parse((await file(waveIds, 'codebook-csv')).text(), { columns: true, bom: true }) as Record<
      string,
      string
    >[];

  /** A variable's label as GNU PSPP reads it from the .sav. */
  async function savLabel(waveIds: string[], variable: string): Promise<string> {
    const sav = join(dir, `${waveIds.length}.sav`);
    writeFileSync(sav, (await file(waveIds, 'sav')).bytes());
    const syntax = join(dir, 'labels.sps');
    writeFileSync(syntax, `GET FILE='${sav}'.\nDISPLAY LABELS /VARIABLES=${variable}.\n`);
    const r = await run('pspp', ['-O', 'format=csv', '-o', '-', syntax]);
    expect(r.code, r.stderr).toBe(0);
    const row = (parse(r.stdout, { relaxColumnCount: true }) as string[][]).find((x) => x[0] === variable);
    expect(row, r.stdout).toBeDefined();
    return row!.at(-1)!;
  }

  beforeAll(async () => {
    if (backend.skip) return;
    t = await backend.open();
    dir = mkdtempSync(join(tmpdir(), 'svar-wave-years-'));
    // Version 1 said "i fjor"; version 2, from the sources, says "i {previousYear}".
    await publishArchive(t.db, readArchive(archivePath(realPaths.surveysDir, 'municipal-survey', 1)), cli);
    const v2 = await publishInstrument(t.db, realPaths, 'municipal-survey', cli);
    expect(v2.version).toBe(2);
    for (const [name, opensAt] of [
      ['Kommuneundersøkelsen 2026', new Date('2026-01-05T07:00:00Z')],
      ['Kommuneundersøkelsen 2027', new Date('2027-01-04T07:00:00Z')],
    ] as const) {
      const wave = await createWave(
        t.db,
        {
          instrumentId: 'municipal-survey',
          version: 2,
          name,
          mode: 'census',
          locales: ['nb', 'nn'],
          allowDraftLocales: true,
          opensAt,
        },
        cli,
      );
      await addUnits(t.db, wave.id, [{ externalId: '4601', municipalityCode: '4601' }]);
      const now = new Date(opensAt.getTime() + 24 * 3600_000);
      const [link] = await openWave(t.db, wave.id, cli, now);
      await saveAnswers(t.db, link!.token, { answers: { [settled]: 12 } }, { now });
      waves.set(name, wave.id);
    }
  });
  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const id = (year: number) => waves.get(`Kommuneundersøkelsen ${year}`)!;

  it.skipIf(backend.skip)(
    "a one-wave export's codebook names the wave's years, no placeholder left",
    async () => {
      const rows = await codebook([id(2027)]);
      const row = rows.find((r) => r.name === settled)!;
      expect(row.label_nb).toBe(settledNb('2026'));
      expect(row.label_en).toContain('2026');
      expect(rows.find((r) => r.name === 'm_settle_decision_vs_request')!.label_nb).toContain('for 2027');
      expect(placeholders(rows)).toEqual([]);
      // Labels name years; only the version's change notes speak of the variables, in words.
      expect(row.minor_edits).toContain('([året før], [referanseåret] eller [året etter])');
      const labelCells = rows.flatMap((r) => Object.entries(r).filter(([k]) => k.includes('label')));
      expect(labelCells.filter(([, v]) => v.includes('[året før]'))).toEqual([]);
      expect(Object.keys(row)).not.toContain('wave_years');
      expect((await file([id(2026)], 'codebook')).text()).toContain(settledNb('2025'));
    },
  );

  it.skipIf(backend.skip || !havePspp)("a one-wave .sav's variable label names the wave's year", async () => {
    expect(await savLabel([id(2027)], settled)).toBe(settledNb('2026'));
  });

  it.skipIf(backend.skip)(
    'waves of two years stacked: a marker in each language, and which year each wave means',
    async () => {
      const rows = await codebook([id(2026), id(2027)]);
      const row = rows.find((r) => r.name === settled)!;
      expect(row.label_nb).toBe(settledNb('[året før]'));
      expect(row.label_nn).toContain('[året før]');
      expect(row.label_en).toContain('[previous year]');
      expect(row.wave_years!.split('\n')).toEqual([
        'Kommuneundersøkelsen 2026: [previous year] = 2025',
        'Kommuneundersøkelsen 2027: [previous year] = 2026',
      ]);
      // A variable without a year has no note.
      expect(rows.find((r) => r.name === 'response_id')!.wave_years).toBe('');
      expect(placeholders(rows)).toEqual([]);
      const json = JSON.parse((await file([id(2026), id(2027)], 'codebook-json')).text());
      expect(json.waves.map((w: { referenceYear: number }) => w.referenceYear)).toEqual([2026, 2027]);
      const ddi = (await file([id(2026), id(2027)], 'ddi')).text();
      expect(ddi).toContain(
        '<notes type="svar:waveYears">Kommuneundersøkelsen 2027: [previous year] = 2026</notes>',
      );
      expect(ddi).toContain('Kommuneundersøkelsen 2026 (instrument version 2, reference year 2026)');
    },
  );

  it.skipIf(backend.skip || !havePspp)('a two-year .sav carries the marker, not a year', async () => {
    expect(await savLabel([id(2026), id(2027)], settled)).toBe(settledNb('[året før]'));
  });

  it.skipIf(backend.skip)(
    "the version's codebook, read without a wave, shows markers in each language",
    async () => {
      const app = makeApp(t);
      const analyst = await createStaff(t.db, { role: 'analyst' });
      const { cookie } = await logInAs(app, analyst.email, analyst.password);
      const res = await app.request('/api/v1/instruments/municipal-survey/versions/2/codebook', {
        headers: { cookie },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { variables: { code: string; labels: Record<string, string> }[] };
      const labels = body.variables.find((v) => v.code === settled)!.labels;
      expect(labels.nb).toBe(settledNb('[året før]'));
      expect(labels.en).toContain('[previous year]');
      expect(JSON.stringify(body)).not.toMatch(/\{(previousYear|referenceYear|nextYear)\}/);
      // The stored codebook is the published one, placeholders and all.
      const stored = await t.db
        .selectFrom('instrument_version')
        .select('codebook')
        .where('instrument_id', '=', 'municipal-survey')
        .where('version', '=', 2)
        .executeTakeFirstOrThrow();
      expect(JSON.stringify(stored.codebook)).toContain('{previousYear}');
      // The difference from version 1 reads the same way: "i fjor" became "i [året før]".
      const diff = await app.request('/api/v1/instruments/municipal-survey/diff?from=1&to=2', {
        headers: { cookie },
      });
      expect(diff.status).toBe(200);
      const changes = (
        (await diff.json()) as { changed: { code: string; changes: Record<string, unknown>[] }[] }
      ).changed;
      const nb = changes.find((c) => c.code === settled)!.changes.filter((c) => c.locale === 'nb');
      expect(nb).toContainEqual({
        field: 'title',
        locale: 'nb',
        from: settledNb('fjor'),
        to: settledNb('[året før]'),
      });
      expect(JSON.stringify(changes)).not.toMatch(/\{(previousYear|referenceYear|nextYear)\}/);
    },
  );

  it.skipIf(backend.skip)(
    "the regional report's question and page titles carry the wave's years",
    async () => {
      const data = await loadWaveData(t.db, id(2027));
      const decision = data.questions.find((q) => q.code === 'm_settle_decision_vs_request')!;
      expect(decision.title.nb).toContain('for 2027');
      const texts = JSON.stringify([data.questions.map((q) => [q.title, q.categories]), data.pages]);
      expect(texts).not.toMatch(/\{(previousYear|referenceYear|nextYear)\}/);
    },
  );

  it.skipIf(backend.skip)(
    'a trend across the two years titles its questions with markers and gives each wave its year',
    async () => {
      const trend = await trendReport(t.db, [id(2026), id(2027)], 'analyst');
      expect(trend.waves.map((w) => w.referenceYear)).toEqual([2026, 2027]);
      const decision = trend.questions.find((q) => q.key === 'm_settle_decision_vs_request')!;
      expect(decision.latest.title.nb).toContain('for [referanseåret] sammenlignet');
      const csv = parse(trendCsv(trend, 'nb'), { columns: true, bom: true }) as Record<string, string>[];
      const rows = csv.filter((r) => r.variable === 'm_settle_decision_vs_request');
      expect(new Set(rows.map((r) => `${r.wave}=${r.reference_year}`))).toEqual(
        new Set(['Kommuneundersøkelsen 2026=2026', 'Kommuneundersøkelsen 2027=2027']),
      );
      expect(csv.filter((r) => /\{(previousYear|referenceYear|nextYear)\}/.test(r.question!))).toEqual([]);
    },
  );
});
