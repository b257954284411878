// `npm run bench:lighthouse`: Lighthouse's mobile profile (simulated 4G, 4× CPU slowdown) on a first visit to an
// Arabic respondent link of the participant survey in all twelve languages, in Debian's Chromium, beside the goals
// of issue 12. Runs BENCH_LIGHTHOUSE_RUNS times (default 3) and reports the run with the median score; writes JSON
// to bench/results/. The app runs on an embedded (in-memory) database, with the web app built for this run.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import lighthouse from 'lighthouse';
import { openDatabase } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { chromiumFlags } from '../server/reports/chromium.ts';
import { languageCodes } from '../server/surveys/languages.ts';
import { buildWebInto, chromiumPath } from '../tests/helpers/browser.ts';
import { startRespondentServer } from '../tests/helpers/respondent-server.ts';

const runs = Math.max(1, Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3));
const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));

/** Each figure, its goal, and whether a lower value is better. */
export const lighthouseGoals = {
  performance: { goal: 0.9, lowerIsBetter: false, unit: '' },
  fcpMs: { goal: 1800, lowerIsBetter: true, unit: 'ms' },
  lcpMs: { goal: 2500, lowerIsBetter: true, unit: 'ms' },
  tbtMs: { goal: 200, lowerIsBetter: true, unit: 'ms' },
  cls: { goal: 0.1, lowerIsBetter: true, unit: '' },
  transferKb: { goal: 600, lowerIsBetter: true, unit: 'KB' },
  accessibility: { goal: 1, lowerIsBetter: false, unit: '' },
} as const;
export type LighthouseFigures = Record<keyof typeof lighthouseGoals, number>;

/** Before issue 12 (README): the figures the goals are read against. */
export const lighthouseBefore: LighthouseFigures = {
  performance: 0.25,
  fcpMs: 7400,
  lcpMs: 15000,
  tbtMs: 820,
  cls: 0.27,
  transferKb: 2700,
  accessibility: 1,
};

/** Debian's Chromium with a DevTools port for Lighthouse; resolves with the port once it listens. */
function startChromium(profile: string): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(
    chromiumPath!,
    [
      '--headless=new',
      ...chromiumFlags,
      `--user-data-dir=${profile}`,
      '--remote-debugging-port=0',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const port = err.match(/DevTools listening on ws:\/\/[^:]+:(\d+)\//)?.[1];
      if (port) resolve({ port: Number(port), child });
    });
    child.once('exit', (code) => reject(new Error(`Chromium exited (${code}): ${err.slice(-500)}`)));
  });
}

/** A run Lighthouse itself could not record (NO_NAVSTART and the like: "Please run Lighthouse again"). */
class LighthouseRunError extends Error {}

async function measure(url: string, port: number): Promise<LighthouseFigures> {
  const result = await lighthouse(url, {
    port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance', 'accessibility'],
  });
  if (!result) throw new Error('Lighthouse returned no result');
  // BENCH_LIGHTHOUSE_REPORT=<file>: the whole report, to see which requests, tasks and shifts the figures come from.
  if (process.env.BENCH_LIGHTHOUSE_REPORT)
    writeFileSync(process.env.BENCH_LIGHTHOUSE_REPORT, result.report as string);
  const { audits, categories, runtimeError } = result.lhr;
  if (runtimeError) throw new LighthouseRunError(`Lighthouse: ${runtimeError.code} ${runtimeError.message}`);
  const value = (id: string) => audits[id]?.numericValue ?? Number.NaN;
  return {
    performance: categories.performance?.score ?? 0,
    fcpMs: Math.round(value('first-contentful-paint')),
    lcpMs: Math.round(value('largest-contentful-paint')),
    tbtMs: Math.round(value('total-blocking-time')),
    cls: Math.round(value('cumulative-layout-shift') * 1000) / 1000,
    transferKb: Math.round(value('total-byte-weight') / 1024),
    accessibility: categories.accessibility?.score ?? 0,
  };
}

export function meetsGoal(key: keyof typeof lighthouseGoals, value: number): boolean {
  const g = lighthouseGoals[key];
  return g.lowerIsBetter ? value <= g.goal : value >= g.goal;
}

async function main() {
  if (!chromiumPath) {
    process.stdout.write('Lighthouse benchmark skipped: Chromium not found (npm run setup:system)\n');
    return;
  }
  const dist = await buildWebInto();
  const handle = await openDatabase({ kind: 'pglite', dataDir: null });
  const profile = mkdtempSync(join(tmpdir(), 'svar-lighthouse-'));
  let chromium: ChildProcess | null = null;
  try {
    await migrateToLatest(handle.db);
    const server = await startRespondentServer(handle, {
      webDist: dist,
      locales: languageCodes,
      // Spare links for runs Lighthouse fails to record.
      units: Array.from({ length: runs + 3 }, (_, i) => ({ externalId: `ar${i}`, preferredLocale: 'ar' })),
    });
    const started = await startChromium(profile);
    chromium = started.child;
    const all: LighthouseFigures[] = [];
    // A new link each run: every run is a respondent's first visit (Lighthouse also clears the cache). A run
    // Lighthouse could not record is said and run again on the next link, up to the spare links.
    for (const token of server.links.values()) {
      if (all.length === runs) break;
      try {
        all.push(await measure(`${server.base}/s/${token}`, started.port));
      } catch (err) {
        if (!(err instanceof LighthouseRunError)) throw err;
        process.stderr.write(`${err.message}: running again\n`);
      }
    }
    if (all.length < runs) throw new Error(`Lighthouse recorded ${all.length} of ${runs} runs`);
    await server.close();
    const figures = [...all].sort((a, b) => a.performance - b.performance)[Math.floor(all.length / 2)]!;
    print(figures, all.length);
    mkdirSync(resultsDir, { recursive: true });
    const file = join(resultsDir, `lighthouse-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(
      file,
      `${JSON.stringify({ at: new Date().toISOString(), runs: all, median: figures, goals: lighthouseGoals, before: lighthouseBefore }, null, 2)}\n`,
    );
    process.stdout.write(`written: ${file}\n`);
    // For bench/all.ts: one machine-readable line.
    process.stdout.write(`BENCH_JSON ${JSON.stringify({ lighthouse: figures })}\n`);
  } finally {
    chromium?.kill();
    await handle.close();
    rmSync(dist, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
}

function print(f: LighthouseFigures, n: number) {
  process.stdout.write(`\nLighthouse, mobile profile, first visit to an Arabic link (median of ${n} runs)\n`);
  process.stdout.write(
    `${'measure'.padEnd(26)} ${'Svar'.padEnd(10)} ${'goal'.padEnd(10)} ${'before'.padEnd(10)} met\n`,
  );
  for (const key of Object.keys(lighthouseGoals) as (keyof typeof lighthouseGoals)[]) {
    const g = lighthouseGoals[key];
    const show = (v: number) => `${v}${g.unit ? ` ${g.unit}` : ''}`;
    process.stdout.write(
      `${key.padEnd(26)} ${show(f[key]).padEnd(10)} ${`${g.lowerIsBetter ? '≤' : '≥'} ${show(g.goal)}`.padEnd(10)} ${show(lighthouseBefore[key]).padEnd(10)} ${meetsGoal(key, f[key]) ? 'yes' : 'NO'}\n`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
