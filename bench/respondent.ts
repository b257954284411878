// `npm run bench:respondent`: the respondent bundle against the React + SurveyJS floor, time to a rendered first
// page from a cold load, answer saves per second (validated) against raw pg inserts of the same payload, and saves
// per second while 20 submits/s run against saves alone, on PostgreSQL and PGlite (respondent-submits.ts), links
// opened per second against a raw SELECT of the same rows (respondent-open.ts), all measured in this run on this
// machine. Uses BENCH_DATABASE_URL, else a throwaway PostgreSQL cluster with PostgreSQL's own durable defaults
// (fsync on: the test suites' clusters turn it off, which made a commit nearly free and the raw-insert baseline
// twice what a production server does). BENCH_ONLY=saves measures only the saves
// (PostgreSQL against raw inserts and a bare HTTP server, and PGlite), without building the web app, a browser,
// submits or opens.

import { rmSync } from 'node:fs';
import { sql } from 'kysely';
import pg from 'pg';
import { Model } from 'survey-core';
import { type DatabaseHandle, openDatabase } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { compileAnswerChecker } from '../server/responses/answer-checker.ts';
import { findVersionDefinition } from '../server/responses/queries.ts';
import { getVersion } from '../server/surveys/service.ts';
import { buildWebInto, chromiumPath, launchBrowser, startSurvey } from '../tests/helpers/browser.ts';
import { openBenchPostgres } from './postgres.ts';
import { respondentBundle } from './respondent-bundle.ts';
import { bareHttpSaves } from './respondent-ceiling.ts';
import { loadOpens, openRows, rawOpenSelects } from './respondent-open.ts';
import {
  connections,
  loadSaves,
  seconds,
  startBenchServer,
  submitFailures,
  submitRows,
  submitScenario,
  warmupSeconds,
} from './respondent-submits.ts';

const savesOnly = process.env.BENCH_ONLY === 'saves';
const pacedRate = 500;
const floorKb = 424; // React + survey-core + survey-react-ui alone, gzipped (stack notes)
// The load generators run in their own processes but share the machine's 2 cores with the server and PostgreSQL;
// the pg baseline pays for no HTTP at all. Read the ratio as "what a save costs beyond a bare insert".

/** Saves alone and beside submits over an in-memory PGlite (one connection, on the server's event loop). */
async function pgliteRun(dist: string, answers: Record<string, unknown>) {
  const handle: DatabaseHandle = await openDatabase({ kind: 'pglite', dataDir: null });
  try {
    await migrateToLatest(handle.db);
    const server = await startBenchServer(handle, dist);
    const alone = await loadSaves({ base: server.base, tokens: server.saveTokens, answers });
    const result = savesOnly ? null : await submitScenario(handle, server, answers, alone);
    await server.close();
    return { alone, result };
  } finally {
    await handle.close();
  }
}

function timePer(n: number, fn: () => void): number {
  fn();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  return (performance.now() - t0) / n;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  // No web folder when only saves are measured: the app then serves the API alone.
  const dist = savesOnly ? '' : await buildWebInto({ manifest: true });
  const bundleKb = savesOnly ? 0 : respondentBundle(dist).jsKb;

  const postgres = await openBenchPostgres(process.env.BENCH_DATABASE_URL ?? null, {
    durable: true,
    poolMax: 10,
  });
  const { url, handle } = postgres;
  try {
    const server = await startBenchServer(handle, dist);
    const { base, published } = server;
    const tokens = server.saveTokens;

    // Time to a rendered first page, cold (a new browser profile each time).
    const renderMs: number[] = [];
    if (chromiumPath && !savesOnly) {
      for (let i = 0; i < 5; i++) {
        const context = await launchBrowser({ width: 390, height: 844 });
        const page = await context.newPage();
        const t0 = performance.now();
        // Time to the first question, pressing start as soon as it shows (as a respondent would).
        await startSurvey(page, `${base}/s/${tokens[i]}`);
        await page.waitForSelector('.sd-root-modern .sd-question');
        renderMs.push(performance.now() - t0);
        await context.close();
      }
    }

    // A realistic save: a page's worth of answers, ~2 KB with a free-text comment.
    const answers = {
      p_municipality: '0301',
      p_prog_months: 14,
      p_school_years: 3,
      p_prog_content: [1, 2, 4],
      p_comment: 'Jeg liker norskkurset, men jeg vil ha mer arbeidspraksis. '.repeat(30),
    };
    // Each measured load starts from a checkpoint: otherwise one pays for the full-page images in the write-ahead
    // log that follow the previous load's checkpoint, and the raw-insert baseline was seen anywhere from 7 300/s to
    // 11 200/s from run to run.
    const checkpoint = () => sql`checkpoint`.execute(handle.db);
    await checkpoint();
    const saves = await loadSaves({ base, tokens, answers });
    // The latency goal is set at a fixed load (issue 12: p99 < 100 ms at 500 saves/s), not at saturation.
    await checkpoint();
    const paced = await loadSaves({ base, tokens, answers, rate: pacedRate });
    const submits = savesOnly ? null : await submitScenario(handle, server, answers, saves);
    // The links the saves went to, each now holding a page of answers.
    const opens = savesOnly ? null : await loadOpens(base, tokens);
    await server.close();
    const selects = savesOnly ? null : await rawOpenSelects(url, tokens);

    // Baseline: raw pg single-row inserts of the same payload, same concurrency, same server.
    await sql`create table bench_raw (id bigserial primary key, data jsonb not null, at timestamptz default now())`.execute(
      handle.db,
    );
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    const payload = JSON.stringify(answers);
    const insertFor = async (secondsToRun: number) => {
      let n = 0;
      const until = Date.now() + secondsToRun * 1000;
      await Promise.all(
        Array.from({ length: connections }, async () => {
          while (Date.now() < until) {
            await pool.query('insert into bench_raw (data) values ($1)', [payload]);
            n += 1;
          }
        }),
      );
      return n;
    };
    // Warmed up like the HTTP loads (load-saves.ts), for seconds not counted.
    await checkpoint();
    await insertFor(warmupSeconds);
    const inserts = await insertFor(seconds);
    await pool.end();
    // What HTTP allows here: a bare server writing the same payload alone, and in batches (respondent-ceiling.ts).
    await checkpoint();
    const bareSingle = await bareHttpSaves(url, 'single', tokens, answers);
    await checkpoint();
    const bareBatched = await bareHttpSaves(url, 'batched', tokens, answers);

    // The effect of the compiled checker: validating one save with it, against a fresh survey-core model.
    const definition = await findVersionDefinition(
      handle.db,
      (await getVersion(handle.db, 'participant-survey', published.version)).id,
    );
    const lite = await pgliteRun(dist, answers);

    const checker = compileAnswerChecker(definition);
    const checkerMs = timePer(2000, () => checker.check(answers));
    const modelMs = timePer(20, () => {
      const m = new Model(definition);
      m.data = answers;
      m.validate(true, false);
    });

    const savesPerSec = saves.average;
    const insertsPerSec = inserts / seconds;
    const rows = [
      ...(savesOnly
        ? []
        : [
            [
              'respondent bundle (gzip)',
              `${bundleKb.toFixed(0)} KB`,
              `${floorKb} KB floor`,
              (bundleKb / floorKb).toFixed(2),
            ],
            [
              'first page rendered, cold (median of 5)',
              renderMs.length ? `${median(renderMs).toFixed(0)} ms` : 'skipped (no Chromium)',
              '',
              '',
            ],
          ]),
      [
        'answer saves/s (validated, committed)',
        savesPerSec.toFixed(0),
        `${insertsPerSec.toFixed(0)} raw pg inserts/s`,
        (savesPerSec / insertsPerSec).toFixed(2),
      ],
      ['save latency p50 / p99', `${saves.p50} / ${saves.p99} ms`, '', ''],
      [
        'bare Hono POST + the same INSERT (no checks)',
        bareSingle.average.toFixed(0),
        `${insertsPerSec.toFixed(0)} raw pg inserts/s`,
        (bareSingle.average / insertsPerSec).toFixed(2),
      ],
      [
        'bare Hono POST + batched INSERT (no checks)',
        bareBatched.average.toFixed(0),
        `${insertsPerSec.toFixed(0)} raw pg inserts/s`,
        (bareBatched.average / insertsPerSec).toFixed(2),
      ],
      [
        'answer saves/s against the bare batched POST',
        savesPerSec.toFixed(0),
        `${bareBatched.average.toFixed(0)} bare batched/s`,
        (savesPerSec / bareBatched.average).toFixed(2),
      ],
      [
        `save latency p50 / p99 at ${pacedRate} saves/s`,
        `${paced.p50} / ${paced.p99} ms (${paced.average.toFixed(0)}/s)`,
        'p99 goal 100 ms',
        (paced.p99 / 100).toFixed(2),
      ],
      ...(opens && selects ? openRows(opens, selects) : []),
      ...(submits ? submitRows('', submits) : []),
      [
        'PGlite: answer saves/s',
        lite.alone.average.toFixed(0),
        `${savesPerSec.toFixed(0)} on PostgreSQL`,
        (lite.alone.average / savesPerSec).toFixed(2),
      ],
      ['PGlite: save latency p50 / p99', `${lite.alone.p50} / ${lite.alone.p99} ms`, '', ''],
      ...(lite.result ? submitRows('PGlite: ', lite.result) : []),
      [
        'validate one save: compiled checker',
        `${(checkerMs * 1000).toFixed(1)} µs`,
        `${modelMs.toFixed(1)} ms fresh survey-core model`,
        (checkerMs / modelMs).toFixed(4),
      ],
    ];
    process.stdout.write(
      `\nRespondent benchmark (${seconds} s per load test, ${connections} connections, PostgreSQL)\n`,
    );
    process.stdout.write(`${'measure'.padEnd(58)} ${'Svar'.padEnd(30)} ${'baseline'.padEnd(28)} ratio\n`);
    for (const r of rows)
      process.stdout.write(`${r[0]!.padEnd(58)} ${r[1]!.padEnd(30)} ${r[2]!.padEnd(28)} ${r[3]}\n`);
    const failed = [submits, lite.result].filter((r) => r !== null).map(submitFailures);
    const non2xx =
      saves.non2xx +
      paced.non2xx +
      lite.alone.non2xx +
      bareSingle.non2xx +
      bareBatched.non2xx +
      failed.reduce((n, f) => n + f.saves, 0);
    const submitsFailed = failed.reduce((n, f) => n + f.submits, 0);
    if (non2xx) process.stdout.write(`warning: ${non2xx} save(s) were not 2xx\n`);
    if (submitsFailed) process.stdout.write(`warning: ${submitsFailed} submit(s) were not 2xx\n`);
    if (opens?.non2xx) process.stdout.write(`warning: ${opens.non2xx} open(s) were not 2xx\n`);
  } finally {
    await postgres.close();
    if (dist) rmSync(dist, { recursive: true, force: true });
  }
}

await main();
