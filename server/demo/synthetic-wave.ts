// The demo's closed sample waves of synthetic participants (this year's on the latest version, last year's on
// version 1), built through the real fieldwork and respondent paths
// (frame, stratified sample, links, saves, submits, close with non-response weights), so exports, estimates and
// fact sheets have something to show. Seeded throughout: the same answers every time; only the link tokens and
// ids are random. Synthetic everywhere it shows: in the wave's name, and `synthetic=1` on every frame unit.
import type { Db } from '../db/connect.ts';
import { drawWaveSample } from '../fieldwork/sample.ts';
import { createRng } from '../fieldwork/sampling.ts';
import { addUnits, closeWave, createWave, openWave } from '../fieldwork/service.ts';
import { municipalities2024 } from '../reference/municipalities.ts';
import { type AnswerSave, saveAnswers, submitResponse } from '../responses/service.ts';
import type { SubmitValidator } from '../responses/validation-pool.ts';
import { getVersion } from '../surveys/service.ts';
import * as q from './queries.ts';
import { type Rng, type SyntheticRespondent, syntheticAnswers } from './synthetic-answers.ts';

export interface SyntheticWaveSpec {
  name: string;
  seed: string;
  /** A past fieldwork period, so the paradata (start, save and completion times) read like a real round. */
  opensAt: Date;
  closesAt: Date;
  sampleSize: number;
}

/** The newest round, on the latest published version of the participant survey. */
export const latestSyntheticWave: SyntheticWaveSpec = {
  name: 'Syntetiske data – Deltakerundersøkelsen 2026 (pilot)',
  seed: 'svar-demo-synthetic-2026',
  opensAt: new Date('2026-01-12T07:00:00Z'),
  closesAt: new Date('2026-02-09T23:00:00Z'),
  sampleSize: 600,
};

/**
 * The round before, on version 1, so a two-wave export and a trend have two versions to align. Half the sample:
 * each synthetic respondent costs the demo real saves and submits, and `npm start` loads it on first run.
 */
export const earlierSyntheticWave: SyntheticWaveSpec = {
  name: 'Syntetiske data – Deltakerundersøkelsen 2025 (pilot)',
  seed: 'svar-demo-synthetic-2025',
  opensAt: new Date('2025-01-13T07:00:00Z'),
  closesAt: new Date('2025-02-10T23:00:00Z'),
  sampleSize: 300,
};

export const syntheticWaveName = latestSyntheticWave.name;
const instrumentId = 'participant-survey';
const actor = { kind: 'cli' } as const;
const waveLocales = ['nb', 'nn', 'en', 'ar', 'ti', 'so', 'prs', 'ur'];
/** Frame units per municipality: 1 500 participants in 15 municipalities of 13 counties. */
const frameSizes: Record<string, number> = {
  '0301': 280,
  '4601': 150,
  '5001': 120,
  '1103': 100,
  '1108': 60,
  '3201': 90,
  '3205': 80,
  '4204': 90,
  '3301': 100,
  '3107': 90,
  '5501': 70,
  '4003': 70,
  '1804': 60,
  '1508': 70,
  '3403': 70,
};
const preferredLanguages: [string, number][] = [
  ['nb', 0.3],
  ['ar', 0.18],
  ['ti', 0.15],
  ['so', 0.12],
  ['prs', 0.1],
  ['en', 0.08],
  ['ur', 0.07],
];
/** The real page saves on every change; the demo saves every ten pages, as each save costs a few ms. */
const pagesPerSave = 10;

export interface SyntheticWaveSummary {
  waveId: string;
  name: string;
  /** False when an earlier run made it (nothing was changed). */
  created: boolean;
  frameUnits: number;
  sampled: number;
  completed: number;
  inProgress: number;
  /** Responses per language answered in. */
  locales: Record<string, number>;
}

function weighted<T>(rng: Rng, table: [T, number][]): T {
  let u = rng();
  for (const [value, p] of table) {
    u -= p;
    if (u < 0) return value;
  }
  return table.at(-1)![0];
}

/** Creates the wave unless a closed one exists; a half-built one (an interrupted run) is removed and rebuilt. */
export async function loadSyntheticWave(
  db: Db,
  version: number,
  spec: SyntheticWaveSpec = latestSyntheticWave,
  /** Where submits are validated (the server's pool); on the event loop when absent. */
  validate?: SubmitValidator,
): Promise<SyntheticWaveSummary> {
  const { name, seed, opensAt, closesAt, sampleSize } = spec;
  const existing = await q.findWaveByName(db, instrumentId, name);
  if (existing?.status === 'closed') return summarise(db, existing.id, name, false);
  if (existing) await q.deleteWave(db, existing.id);
  const wave = await createWave(
    db,
    {
      instrumentId,
      version,
      name,
      mode: 'sample',
      locales: waveLocales,
      allowDraftLocales: true,
      opensAt,
      closesAt,
    },
    actor,
  );
  const rng = createRng(seed);
  const units = Object.entries(frameSizes).flatMap(([code, n]) =>
    Array.from({ length: n }, () => ({
      municipalityCode: code,
      preferredLocale: weighted(rng, preferredLanguages),
      attributes: { synthetic: '1' },
    })),
  );
  await addUnits(
    db,
    wave.id,
    units.map((u, i) => ({ ...u, externalId: `syn-${String(i + 1).padStart(4, '0')}` })),
  );
  await drawWaveSample(
    db,
    wave.id,
    { size: sampleSize, strata: 'county', allocation: 'proportional', minPerStratum: 20, seed },
    actor,
  );
  const links = (await openWave(db, wave.id, actor, opensAt)).sort((a, b) =>
    a.externalId.localeCompare(b.externalId),
  );
  const { definition } = await getVersion(db, instrumentId, version);
  const county = countyEffects(seed);
  const visits: Visit[] = [];
  for (const link of links) {
    const unit = units[Number(link.externalId.slice(4)) - 1]!;
    const effect = county(unit.municipalityCode);
    const locale = unit.preferredLocale;
    // Participants answering in bokmål respond a little more often: realistic non-response by language.
    if (rng() > effect.propensity + (locale === 'nb' ? 0.08 : -0.03)) continue;
    const who: SyntheticRespondent = {
      municipalityCode: unit.municipalityCode,
      locale,
      satisfaction: effect.satisfaction + 1.4 * (rng() - 0.5),
    };
    visits.push(planVisit(link.token, who, syntheticAnswers(definition, who, rng), rng, opensAt));
  }
  // Everything a visit sends is decided above, in one order, by the seed alone; the visits then run a few at a
  // time, as respondents do, so one's submit is validated (in the pool when given) while others' saves are written.
  let next = 0;
  const visitor = async () => {
    for (let v = visits[next++]; v; v = visits[next++]) await sendVisit(db, v, validate);
  };
  await Promise.all(Array.from({ length: visitsAtOnce }, visitor));
  await closeWave(db, wave.id, actor, closesAt);
  return summarise(db, wave.id, name, true);
}

/** Each county's response propensity and mean satisfaction, drawn once from the seed. */
function countyEffects(seed: string) {
  const counties = new Map(municipalities2024().map((m) => [m.code, m.countyCode]));
  const effects = new Map<string, { propensity: number; satisfaction: number }>();
  return (municipalityCode: string) => {
    const county = counties.get(municipalityCode) ?? '';
    if (!effects.has(county)) {
      const r = createRng(`${seed}:${county}`);
      effects.set(county, { propensity: 0.45 + 0.24 * r(), satisfaction: 2.9 + 1.3 * r() });
    }
    return effects.get(county)!;
  };
}

/** Respondents visiting at once while the demo is built. */
const visitsAtOnce = 6;

interface Visit {
  token: string;
  saves: { save: AnswerSave; now: Date; device: string }[];
  submit: { now: Date; locale: string } | null;
}

/**
 * One respondent's visit, to be made through the same calls the respondent page makes: a save after the first page
 * (the start time) and then every ten pages, at plausible times, then the submit; about one in seven breaks off
 * part-way and stays in progress.
 */
function planVisit(
  token: string,
  who: SyntheticRespondent,
  pages: ReturnType<typeof syntheticAnswers>,
  rng: Rng,
  opensAt: Date,
): Visit {
  const breaksOff = rng() < 0.15;
  const reached = breaksOff ? 1 + Math.floor(rng() * (pages.length - 1)) : pages.length;
  const device = weighted(rng, [
    ['mobile', 0.6],
    ['desktop', 0.3],
    ['tablet', 0.1],
  ] as [string, number][]);
  // Some start in bokmål and switch to their own language on the first page.
  const firstLocale = who.locale !== 'nb' && rng() < 0.1 ? 'nb' : who.locale;
  let at = opensAt.getTime() + rng() * 24 * 86_400_000;
  const chunks = [pages.slice(0, 1)];
  for (let from = 1; from < reached; from += pagesPerSave)
    chunks.push(pages.slice(from, Math.min(reached, from + pagesPerSave)));
  const saves = chunks.map((chunk, i) => {
    at += chunk.length * (30_000 + rng() * 60_000);
    return {
      save: {
        answers: Object.assign({}, ...chunk.map((p) => p.answers)),
        page: chunk.at(-1)!.page,
        locale: i === 0 ? firstLocale : who.locale,
        device: `synthetic-${device}`,
      },
      now: new Date(at),
      device,
    };
  });
  return { token, saves, submit: breaksOff ? null : { now: new Date(at + 20_000), locale: who.locale } };
}

async function sendVisit(db: Db, visit: Visit, validate: SubmitValidator | undefined) {
  for (const s of visit.saves)
    await saveAnswers(db, visit.token, s.save, { now: s.now, userAgentClass: s.device });
  if (visit.submit) await submitResponse(db, visit.token, { ...visit.submit, validate });
}

async function summarise(
  db: Db,
  waveId: string,
  name: string,
  created: boolean,
): Promise<SyntheticWaveSummary> {
  const frame = await q.countFrame(db, waveId);
  const counts = await q.countResponses(db, waveId);
  const locales: Record<string, number> = {};
  for (const c of counts) locales[c.locale] = (locales[c.locale] ?? 0) + c.n;
  const sum = (status: string) => counts.filter((c) => c.status === status).reduce((a, c) => a + c.n, 0);
  return {
    waveId,
    name,
    created,
    frameUnits: frame.units,
    sampled: frame.sampled,
    completed: sum('completed'),
    inProgress: sum('in_progress'),
    locales,
  };
}
