// Svar's estimates on a seeded, closed sample wave against R survey run on Svar's own CSV export.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memorySink } from '../../server/exports/dataset.ts';
import { prepareExport } from '../../server/exports/service.ts';
import { drawWaveSample } from '../../server/fieldwork/sample.ts';
import { createRng } from '../../server/fieldwork/sampling.ts';
import { addUnits, closeWave, createWave, openWave } from '../../server/fieldwork/service.ts';
import { type WaveEstimates, waveEstimates } from '../../server/reports/estimates.ts';
import { saveAnswers, submitResponse } from '../../server/responses/service.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { publishMini } from '../helpers/fieldwork.ts';
import { type Reader, readerPresent, run } from '../helpers/readers.ts';
import { type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

const rSurvey: Reader = {
  name: 'R with the survey package',
  available: (await run('Rscript', ['-e', 'library(survey)']).catch(() => ({ code: 1 }))).code === 0,
};
const present = readerPresent(rSurvey, 'estimates against R survey');

const cli = { kind: 'cli' } as const;
const opened = new Date('2026-11-25T12:00:00Z');
/** 300 units in three counties (the strata), a few municipalities each, three languages. */
const frame: [municipality: string, units: number][] = [
  ['0301', 150],
  ['4601', 50],
  ['4626', 40],
  ['5001', 40],
  ['5007', 20],
];

/** A closed sample wave: 120 of 300, proportional by county, about 80 % answering, some breaking off. */
async function seedWave(t: TestDatabase, w: SurveyWorkspace): Promise<string> {
  const instrumentId = await publishMini(t.db, w);
  const wave = await createWave(
    t.db,
    {
      instrumentId,
      version: 1,
      name: 'R check',
      mode: 'sample',
      locales: ['nb', 'nn', 'ar'],
      allowDraftLocales: true,
    },
    cli,
  );
  const rng = createRng('svar-estimates-r');
  const languages = ['nb', 'nb', 'nn', 'ar'];
  let k = 0;
  const units = frame.flatMap(([municipalityCode, n]) =>
    Array.from({ length: n }, () => ({
      externalId: `u${String(++k).padStart(3, '0')}`,
      municipalityCode,
      preferredLocale: languages[Math.floor(rng() * languages.length)]!,
    })),
  );
  await addUnits(t.db, wave.id, units);
  await drawWaveSample(
    t.db,
    wave.id,
    { size: 120, strata: 'county', allocation: 'proportional', seed: 'r' },
    cli,
  );
  const links = await openWave(t.db, wave.id, cli, opened);
  const localeOf = new Map(units.map((u) => [u.externalId, u.preferredLocale]));
  for (const [i, link] of links.sort((a, b) => (a.externalId < b.externalId ? -1 : 1)).entries()) {
    if (rng() > 0.8) continue;
    const locale = localeOf.get(link.externalId)!;
    const u = rng();
    // Satisfaction leans by language, so the language domains differ; 98 is "don't know".
    const sat = u < (locale === 'ar' ? 0.55 : 0.3) ? 1 : u < 0.9 ? 2 : 98;
    const answers: Record<string, unknown> = { q_sat: sat, q_topics: [1, 2, 3].filter(() => rng() < 0.5) };
    if (rng() < 0.85) answers.q_months = Math.floor(rng() * 37);
    const now = new Date(opened.getTime() + (i + 1) * 60_000);
    await saveAnswers(t.db, link.token, { answers, locale, page: 'p2' }, { now });
    if (rng() < 0.93)
      await submitResponse(t.db, link.token, { now: new Date(now.getTime() + 30_000), locale });
  }
  await closeWave(t.db, wave.id, cli, new Date('2026-12-01T00:00:00Z'));
  return wave.id;
}

// survey's domain estimates (subset of the whole design, as svyby does); missing codes and unanswered are NA.
const rScript = `
suppressMessages(library(survey))
options(survey.lonely.psu = "remove")
a <- commandArgs(TRUE)
x <- read.csv(a[1], colClasses = c(stratum = "character", design_stratum = "character", county = "character", municipality = "character"))
x <- x[x$status == "completed", ]
sat <- ifelse(x$q_sat %in% c(1, 2), x$q_sat, NA)
x$sat_1 <- as.numeric(sat == 1); x$sat_2 <- as.numeric(sat == 2)
x$sat_98 <- as.numeric(!is.na(x$q_sat) & x$q_sat == 98)
d <- svydesign(id = ~1, strata = ~design_stratum, weights = ~nr_weight, fpc = ~design_stratum_size, data = x)
emit <- function(tag, f, design) {
  s <- svymean(f, design, na.rm = TRUE)
  for (i in seq_along(coef(s))) cat(sprintf("%s|%s\\t%.15g\\t%.15g\\n", tag, names(coef(s))[i], coef(s)[i], SE(s)[i]))
}
each <- function(by, f) for (g in sort(unique(x[[by]]))) emit(paste0(by, "=", g), f, d[x[[by]] == g, ])
emit("all", ~sat_1 + sat_2, d); each("county", ~sat_1 + sat_2); each("locale", ~sat_1 + sat_2)
emit("all", ~sat_98, d); each("locale", ~sat_98)
emit("all", ~q_months, d); each("locale", ~q_months); each("county", ~q_months)
emit("all", ~q_topics_1 + q_topics_3, d); each("locale", ~q_topics_1 + q_topics_3)
`;

function agrees(actual: number, expected: number, digits: number): boolean {
  if (expected === 0) return Math.abs(actual) < 1e-12;
  const unit = 10 ** (Math.floor(Math.log10(Math.abs(expected))) - digits + 1);
  return Math.abs(actual - expected) <= unit / 2;
}

/** Svar's figures keyed as the R script prints them: "<group>|<R column>". */
function keyed(e: WaveEstimates, column: (category: string | number | null) => string, missing = false) {
  const out = new Map<string, { estimate: number; se: number }>();
  const rows = missing ? e.missing.filter((m) => m.code === 98) : e.rows;
  for (const r of rows) {
    const group = r.group === null ? 'all' : `${e.by === 'language' ? 'locale' : e.by}=${r.group}`;
    const category = 'category' in r ? r.category : (r as { code: number }).code;
    if (r.estimate !== null) out.set(`${group}|${column(category)}`, { estimate: r.estimate, se: r.se! });
  }
  return out;
}

describe.each(backends())('estimates against R survey on $name', (backend) => {
  const skip = backend.skip || !present;
  let t: TestDatabase;
  let w: SurveyWorkspace;
  let dir: string;
  let waveId: string;
  let r: Map<string, { estimate: number; se: number }>;

  beforeAll(async () => {
    if (skip) return;
    t = await backend.open();
    w = surveyWorkspace();
    dir = mkdtempSync(join(tmpdir(), 'svar-estimates-r-'));
    waveId = await seedWave(t, w);
    const prepared = await prepareExport(
      t.db,
      { waveIds: [waveId], format: 'csv', labelLocale: 'nb' },
      { principal: { role: 'operator', municipalityCode: null }, actor: cli },
      new Date('2026-12-02T00:00:00Z'),
    );
    const sink = memorySink();
    await prepared.write(sink);
    writeFileSync(join(dir, 'wave.csv'), sink.bytes());
    // The export carries the design itself: the weighting stratum and its N_h (the fpc), nothing added here.
    writeFileSync(join(dir, 'check.R'), rScript);
    const out = await run('Rscript', [join(dir, 'check.R'), join(dir, 'wave.csv')]);
    if (out.code !== 0) throw new Error(`Rscript failed: ${out.stderr}`);
    r = new Map(
      out.stdout
        .trim()
        .split('\n')
        .map((line) => {
          const [key, estimate, se] = line.split('\t');
          return [key!, { estimate: Number(estimate), se: Number(se) }];
        }),
    );
  });
  afterAll(async () => {
    w?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await t?.close();
  });

  async function expectSameAsR(
    variable: string,
    by: string | null,
    column: (c: string | number | null) => string,
    missing = false,
  ) {
    const e = await waveEstimates(t.db, waveId, { variable, by });
    expect(e.weights).toBe('nr_weight');
    const ours = keyed(e, column, missing);
    const theirs = [...r].filter(([key]) => ours.has(key));
    // Every figure of R's for this variable and breakdown has its Svar twin.
    const group = by === null ? null : `${by === 'language' ? 'locale' : by}=`;
    const names = new Set([...ours.keys()].map((k) => k.split('|')[1]));
    const expected = [...r.keys()].filter((k) => {
      const [g, name] = k.split('|');
      return names.has(name) && (g === 'all' || (group !== null && g!.startsWith(group)));
    });
    expect(theirs.map(([k]) => k).sort()).toEqual(expected.sort());
    expect(theirs.length).toBeGreaterThan(0);
    for (const [key, want] of theirs) {
      const got = ours.get(key)!;
      expect(
        agrees(got.estimate, want.estimate, 6),
        `${key} estimate ${got.estimate} vs R ${want.estimate}`,
      ).toBe(true);
      expect(agrees(got.se, want.se, 6), `${key} SE ${got.se} vs R ${want.se}`).toBe(true);
    }
  }

  const sat = (c: string | number | null) => `sat_${c}`;
  it.skipIf(skip)(
    'shares of every category, overall and by county (the strata) and language (across them)',
    async () => {
      await expectSameAsR('q_sat', null, sat);
      await expectSameAsR('q_sat', 'county', sat);
      await expectSameAsR('q_sat', 'language', sat);
    },
  );

  it.skipIf(skip)('the "don\'t know" share of all respondents, reported apart', async () => {
    await expectSameAsR('q_sat', null, sat, true);
    await expectSameAsR('q_sat', 'language', sat, true);
  });

  it.skipIf(skip)('means, overall and by domain, with unanswered left out', async () => {
    await expectSameAsR('q_months', null, () => 'q_months');
    await expectSameAsR('q_months', 'language', () => 'q_months');
    await expectSameAsR('q_months', 'county', () => 'q_months');
  });

  it.skipIf(skip)('multi-select: the share choosing each option', async () => {
    const topic = (c: string | number | null) => `q_topics_${c}`;
    await expectSameAsR('q_topics', null, topic);
    await expectSameAsR('q_topics', 'language', topic);
  });
});
