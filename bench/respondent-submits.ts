// The respondent benchmark's submit scenario: saves per second while 20 submits/s run, beside saves alone, over
// one server and database; submits validated in the pool (as served) and, for comparison, on the event loop (as
// before the pool). Load generators run in child processes (load-saves.ts, load-submits.ts).
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { pino } from 'pino';
import { buildApp } from '../server/app.ts';
import { testConfig } from '../server/config.ts';
import type { DatabaseHandle } from '../server/db/connect.ts';
import { syntheticAnswers } from '../server/demo/synthetic-answers.ts';
import { createRng } from '../server/fieldwork/sampling.ts';
import { systemClock } from '../server/http/context.ts';
import { saveAnswers } from '../server/responses/service.ts';
import { closeSubmitValidation } from '../server/responses/validation-pool.ts';
import { getVersion } from '../server/surveys/service.ts';
import { startRespondentServer } from '../tests/helpers/respondent-server.ts';

export const seconds = Number(process.env.BENCH_SECONDS ?? 10);
/** Seconds of load before each measured one (caches filled, code compiled), not counted. */
export const warmupSeconds = 3;
export const connections = 50;
export const submitsPerSecond = 20;
const saveUnits = 2000;
const submitUnits = seconds * submitsPerSecond + 20;

export type SaveLoad = { average: number; p50: number; p99: number; non2xx: number };
export type SubmitLoad = { sent: number; ok: number; non2xx: number; p50: number; p99: number };
type Answers = Record<string, unknown>;

async function runChild<T>(name: string, input: Record<string, unknown>): Promise<T> {
  const script = fileURLToPath(new URL(`./${name}`, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stdin.end(JSON.stringify(input));
  await new Promise((r) => child.on('close', r));
  return JSON.parse(out) as T;
}

/** autocannon's saves against `tokens`, each request to the next link, for `seconds` (at `rate` per second if set). */
export const loadSaves = (input: { base: string; tokens: string[]; answers: Answers; rate?: number }) =>
  runChild<SaveLoad>('load-saves.ts', { ...input, seconds, warmup: warmupSeconds, connections });

/** The respondent server over `handle`: links for the save load (u…) and two batches for submits (s…, t…). */
export async function startBenchServer(handle: DatabaseHandle, dist: string) {
  const units = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({ externalId: `${prefix}${i}`, preferredLocale: 'ar' }));
  const server = await startRespondentServer(handle, {
    webDist: dist,
    locales: ['nb', 'nn', 'ar'],
    units: [...units('u', saveUnits), ...units('s', submitUnits), ...units('t', submitUnits)],
  });
  const tokensOf = (prefix: string) =>
    [...server.links].filter(([id]) => id.startsWith(prefix)).map(([, token]) => token);
  return { ...server, saveTokens: tokensOf('u'), submitBatches: [tokensOf('s'), tokensOf('t')] as const };
}

/** The same app as served, on its own port, with survey-core's pass in `submitWorkers` threads (0: the loop). */
async function serveWith(handle: DatabaseHandle, submitWorkers: number) {
  const app = buildApp({
    db: handle.db,
    databaseKind: handle.kind,
    config: testConfig({ submitWorkers }),
    clock: systemClock,
    logger: pino({ level: 'silent' }),
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * Saves/s while submits arrive at a fixed rate, each link holding the full answers of one of the demo's synthetic
 * respondents first, so every submit runs survey-core's whole pass (~50 ms) and completes.
 */
async function savesWhileSubmitting(
  handle: DatabaseHandle,
  server: Awaited<ReturnType<typeof startBenchServer>>,
  submitTokens: readonly string[],
  submitWorkers: number,
  answers: Answers,
) {
  const { definition } = await getVersion(handle.db, 'participant-survey', server.published.version);
  const rng = createRng('bench-submits');
  for (const token of submitTokens) {
    const who = { municipalityCode: '0301', locale: 'ar', satisfaction: 3 };
    const all = Object.assign({}, ...syntheticAnswers(definition, who, rng).map((p) => p.answers));
    await saveAnswers(handle.db, token, { answers: all, locale: 'ar' }, { now: new Date() });
  }
  const app = await serveWith(handle, submitWorkers);
  try {
    const saving = loadSaves({ base: app.base, tokens: server.saveTokens, answers });
    // Submits start when the saves' warm-up ends, so they run through the measured seconds.
    await new Promise((r) => setTimeout(r, warmupSeconds * 1000));
    const submitting = runChild<SubmitLoad>('load-submits.ts', {
      base: app.base,
      tokens: submitTokens,
      seconds,
      perSecond: submitsPerSecond,
    });
    return { saves: await saving, submits: await submitting };
  } finally {
    await app.close();
    await closeSubmitValidation();
  }
}

/** Saves alone, then while submits run validated in the pool, then while they run on the event loop. */
export async function submitScenario(
  handle: DatabaseHandle,
  server: Awaited<ReturnType<typeof startBenchServer>>,
  answers: Answers,
  alone: SaveLoad,
) {
  const pooled = await savesWhileSubmitting(handle, server, server.submitBatches[0], 2, answers);
  const onLoop = await savesWhileSubmitting(handle, server, server.submitBatches[1], 0, answers);
  return { alone, pooled, onLoop };
}

/** Rows for the summary table: saves/s during submits beside saves/s alone, and what the submits took. */
export function submitRows(prefix: string, r: Awaited<ReturnType<typeof submitScenario>>) {
  const row = (label: string, during: { saves: SaveLoad; submits: SubmitLoad }) => [
    [
      `${prefix}saves/s while ${submitsPerSecond} submits/s run, ${label}`,
      during.saves.average.toFixed(0),
      `${r.alone.average.toFixed(0)} saves/s alone`,
      (during.saves.average / r.alone.average).toFixed(2),
    ],
    [
      `${prefix}  save p99 / submits done, p50 / p99`,
      `${during.saves.p99} ms / ${during.submits.ok}/${during.submits.sent}, ${during.submits.p50} / ${during.submits.p99} ms`,
      `save p99 ${r.alone.p99} ms alone`,
      '',
    ],
  ];
  return [...row('pool', r.pooled), ...row('on the loop', r.onLoop)];
}

/** Submits or saves that were not 2xx, for the warnings under the table. */
export function submitFailures(r: Awaited<ReturnType<typeof submitScenario>>) {
  return [r.pooled, r.onLoop].reduce(
    (n, d) => ({ saves: n.saves + d.saves.non2xx, submits: n.submits + d.submits.sent - d.submits.ok }),
    { saves: 0, submits: 0 },
  );
}
