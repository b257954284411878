// `npm run bench:respondent`: the respondent bundle against the React + SurveyJS floor, time to a rendered first
// page from a cold load, answer saves per second (validated) against raw pg inserts of the same payload, and saves
// per second while 20 submits/s run against saves alone (PostgreSQL and PGlite), all measured in this run on this
// machine. Uses BENCH_DATABASE_URL, else a throwaway PostgreSQL cluster.

import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import pg from 'pg';
import { Model } from 'survey-core';
import { type DatabaseHandle, openDatabase } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { syntheticAnswers } from '../server/demo/synthetic-answers.ts';
import { createRng } from '../server/fieldwork/sampling.ts';
import { compileAnswerChecker } from '../server/responses/answer-checker.ts';
import { findVersionDefinition } from '../server/responses/queries.ts';
import { saveAnswers } from '../server/responses/service.ts';
import { closeSubmitValidation } from '../server/responses/validation-pool.ts';
import { getVersion } from '../server/surveys/service.ts';
import { buildWebInto, chromiumPath, launchBrowser } from '../tests/helpers/browser.ts';
import { startRespondentServer } from '../tests/helpers/respondent-server.ts';
import { findPostgresBin, startCluster } from '../tests/setup/postgres-cluster.ts';

const floorKb = 424; // React + survey-core + survey-react-ui alone, gzipped (stack notes)
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = 50;
const submitsPerSecond = 20;
const saveUnits = 2000;

type SaveLoad = { average: number; p50: number; p99: number; non2xx: number };
type SubmitLoad = { sent: number; ok: number; non2xx: number; p50: number; p99: number };

// The load generators run in their own processes but share the machine's 2 cores with the server and PostgreSQL;
// the pg baseline pays for no HTTP at all. Read the ratio as "what a save costs beyond a bare insert".
async function runChild<T>(name: string, input: Record<string, unknown>): Promise<T> {
  const script = fileURLToPath(new URL(`./${name}`, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stdin.end(JSON.stringify(input));
  await new Promise((r) => child.on('close', r));
  return JSON.parse(out) as T;
}
const loadInChildProcess = (input: Record<string, unknown>) => runChild<SaveLoad>('load-saves.ts', input);

/** The respondent server over `handle`: links for the save load (u…) and for submits (s…). */
function startServer(handle: DatabaseHandle, dist: string) {
  const submitUnits = seconds * submitsPerSecond + 20;
  return startRespondentServer(handle, {
    webDist: dist,
    locales: ['nb', 'nn', 'ar'],
    units: [
      ...Array.from({ length: saveUnits }, (_, i) => ({ externalId: `u${i}`, preferredLocale: 'ar' })),
      ...Array.from({ length: submitUnits }, (_, i) => ({ externalId: `s${i}`, preferredLocale: 'ar' })),
    ],
  });
}

/**
 * Saves/s while submits run at a fixed rate (each survey-core's full pass, ~50 ms, in the submit pool): the submit
 * links first get the full answers of the demo's synthetic respondents, so every submit validates and completes.
 */
async function savesWhileSubmitting(
  handle: DatabaseHandle,
  server: Awaited<ReturnType<typeof startServer>>,
  answers: Record<string, unknown>,
) {
  const { definition } = await getVersion(handle.db, 'participant-survey', server.published.version);
  const rng = createRng('bench-submits');
  const submitTokens = [...server.links].filter(([id]) => id.startsWith('s')).map(([, token]) => token);
  for (const token of submitTokens) {
    const pages = syntheticAnswers(
      definition,
      { municipalityCode: '0301', locale: 'ar', satisfaction: 3 },
      rng,
    );
    const all = Object.assign({}, ...pages.map((p) => p.answers));
    await saveAnswers(handle.db, token, { answers: all, locale: 'ar' }, { now: new Date() });
  }
  const base = server.base;
  const submitting = runChild<SubmitLoad>('load-submits.ts', {
    base,
    tokens: submitTokens,
    seconds,
    perSecond: submitsPerSecond,
  });
  const saves = await loadInChildProcess({
    base,
    tokens: saveTokensOf(server),
    seconds,
    connections,
    answers,
  });
  return { saves, submits: await submitting };
}

const saveTokensOf = (server: { links: Map<string, string> }) =>
  [...server.links].filter(([id]) => id.startsWith('u')).map(([, token]) => token);

/** Plain saves/s, then saves/s while submits run, over an in-memory PGlite (one connection). */
async function pgliteRun(dist: string, answers: Record<string, unknown>) {
  const handle = await openDatabase({ kind: 'pglite', dataDir: null });
  try {
    await migrateToLatest(handle.db);
    const server = await startServer(handle, dist);
    const plain = await loadInChildProcess({
      base: server.base,
      tokens: saveTokensOf(server),
      seconds,
      connections,
      answers,
    });
    const during = await savesWhileSubmitting(handle, server, answers);
    await server.close();
    return { plain, ...during };
  } finally {
    await closeSubmitValidation();
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

/** Gzipped size of everything the respondent route loads: the entry, the respondent chunk and what they import. */
function respondentBundleKb(dist: string): number {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<
    string,
    { file: string; imports?: string[]; dynamicImports?: string[]; css?: string[]; isEntry?: boolean }
  >;
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const c of chunk.css ?? []) files.add(c);
    for (const i of chunk.imports ?? []) visit(i);
  };
  const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry)!;
  visit(entry);
  visit(Object.keys(manifest).find((k) => k.endsWith('respondent-app.tsx'))!);
  let bytes = 0;
  for (const f of files) bytes += gzipSync(readFileSync(join(dist, f))).length;
  return bytes / 1024;
}

async function main() {
  const dist = await buildWebInto({ manifest: true });
  const bundleKb = respondentBundleKb(dist);

  const adminUrl = process.env.BENCH_DATABASE_URL ?? null;
  const cluster = adminUrl
    ? null
    : await startCluster(findPostgresBin() ?? fail('PostgreSQL not found: npm run setup:system'));
  const url = adminUrl ?? cluster!.url;
  const handle = await openDatabase({ kind: 'postgres', url, poolMax: 10 });
  try {
    await sql`drop schema public cascade; create schema public`.execute(handle.db).catch(() => {});
    await migrateToLatest(handle.db);
    const server = await startServer(handle, dist);
    const { base, published } = server;
    const tokens = saveTokensOf(server);

    // Time to a rendered first page, cold (a new browser profile each time).
    const renderMs: number[] = [];
    if (chromiumPath) {
      for (let i = 0; i < 5; i++) {
        const context = await launchBrowser({ width: 390, height: 844 });
        const page = await context.newPage();
        const t0 = performance.now();
        await page.goto(`${base}/s/${tokens[i]}`);
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
    const saves = await loadInChildProcess({ base, tokens, seconds, connections, answers });
    const during = await savesWhileSubmitting(handle, server, answers);
    const non2xx = saves.non2xx + during.saves.non2xx;
    await server.close();
    // The pool is one per process: closed here so the PGlite run starts its own, as a server would.
    await closeSubmitValidation();

    // Baseline: raw pg single-row inserts of the same payload, same concurrency, same server.
    await sql`create table bench_raw (id bigserial primary key, data jsonb not null, at timestamptz default now())`.execute(
      handle.db,
    );
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    const payload = JSON.stringify(answers);
    let inserts = 0;
    const until = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (Date.now() < until) {
          await pool.query('insert into bench_raw (data) values ($1)', [payload]);
          inserts += 1;
        }
      }),
    );
    await pool.end();

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
      [
        'answer saves/s (validated, committed)',
        savesPerSec.toFixed(0),
        `${insertsPerSec.toFixed(0)} raw pg inserts/s`,
        (savesPerSec / insertsPerSec).toFixed(2),
      ],
      ['save latency p50 / p99', `${saves.p50} / ${saves.p99} ms`, '', ''],
      ...submitRows('', saves, during),
      [
        'PGlite: answer saves/s',
        lite.plain.average.toFixed(0),
        `${savesPerSec.toFixed(0)} on PostgreSQL`,
        (lite.plain.average / savesPerSec).toFixed(2),
      ],
      ...submitRows('PGlite: ', lite.plain, lite),
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
    process.stdout.write(`${'measure'.padEnd(42)} ${'Svar'.padEnd(22)} ${'baseline'.padEnd(26)} ratio\n`);
    for (const r of rows)
      process.stdout.write(`${r[0]!.padEnd(42)} ${r[1]!.padEnd(22)} ${r[2]!.padEnd(26)} ${r[3]}\n`);
    if (non2xx) process.stdout.write(`warning: ${non2xx} save(s) were not 2xx\n`);
    for (const s of [during.submits, lite.submits])
      if (s.non2xx || s.ok < s.sent)
        process.stdout.write(`warning: ${s.sent - s.ok} submit(s) were not 2xx\n`);
  } finally {
    await handle.close();
    cluster?.stop();
    rmSync(dist, { recursive: true, force: true });
  }
}

/** Saves/s while submits run beside saves/s alone, and what the submits themselves took. */
function submitRows(prefix: string, plain: SaveLoad, during: { saves: SaveLoad; submits: SubmitLoad }) {
  const { saves, submits } = during;
  return [
    [
      `${prefix}saves/s while ${submitsPerSecond} submits/s run`,
      saves.average.toFixed(0),
      `${plain.average.toFixed(0)} saves/s alone`,
      (saves.average / plain.average).toFixed(2),
    ],
    [
      `${prefix}  save p50 / p99 during submits`,
      `${saves.p50} / ${saves.p99} ms`,
      `${plain.p50} / ${plain.p99} ms alone`,
      '',
    ],
    [
      `${prefix}  submits completed, p50 / p99`,
      `${submits.ok}/${submits.sent}, ${submits.p50} / ${submits.p99} ms`,
      '',
      '',
    ],
  ];
}

function fail(message: string): never {
  throw new Error(message);
}

await main();
