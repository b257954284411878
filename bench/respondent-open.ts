// The respondent benchmark's "opening a link": what the page asks for first (the token looked up, the wave and
// the pinned version, the saved answers and their revisions; the definition comes from its own cacheable URL), per
// second over HTTP, beside a raw `pg` SELECT of the same rows by token hash at the same concurrency. Used by
// respondent.ts; `node --import tsx bench/respondent-open.ts` runs it alone on a throwaway cluster (no web build).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { hashSecretToken } from '../server/security/secret-token.ts';
import { findPostgresBin, startCluster } from '../tests/setup/postgres-cluster.ts';
import { connections, type SaveLoad, seconds, startBenchServer } from './respondent-submits.ts';

/** autocannon's opens of `tokens` (links that hold saved answers), each request the next link. */
export async function loadOpens(base: string, tokens: string[]): Promise<SaveLoad> {
  const script = fileURLToPath(new URL('./load-opens.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stdin.end(JSON.stringify({ base, tokens, seconds, connections }));
  await new Promise((r) => child.on('close', r));
  return JSON.parse(out) as SaveLoad;
}

/** The same rows in one SELECT per link, straight from `pg`: what an open costs with nothing of Svar around it. */
export async function rawOpenSelects(url: string, tokens: string[]): Promise<number> {
  const hashes = tokens.map(hashSecretToken);
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const text = `select i.id, i.frame_unit_id, i.locale, i.revoked_at, i.opened_at, w.id as wave_id, w.status,
      w.locales, w.opens_at, w.closes_at, w.unit_type, v.id as version_id, v.instrument_id, v.version,
      v.locales as version_locales, r.status as response_status, r.locale as response_locale, r.answers,
      r.answer_meta, r.current_page, r.last_saved_at
    from invitation i join wave w on w.id = i.wave_id join instrument_version v on v.id = w.instrument_version_id
      left join response r on r.frame_unit_id = i.frame_unit_id
    where i.token_hash = $1`;
  let n = 0;
  const until = Date.now() + seconds * 1000;
  try {
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (Date.now() < until) {
          await pool.query(text, [hashes[n % hashes.length]]);
          n += 1;
        }
      }),
    );
  } finally {
    await pool.end();
  }
  return n / seconds;
}

/** Table rows in respondent.ts's shape: measure, figure, baseline, ratio. */
export function openRows(opens: SaveLoad, selectsPerSec: number): string[][] {
  return [
    [
      'opening a link/s (token, version, saved answers)',
      opens.average.toFixed(0),
      `${selectsPerSec.toFixed(0)} raw pg selects/s`,
      (opens.average / selectsPerSec).toFixed(2),
    ],
    ['open latency p50 / p99', `${opens.p50} / ${opens.p99} ms`, '', ''],
  ];
}

/** Alone: a throwaway cluster, links with a saved page of answers, then both measures. */
async function main() {
  const cluster = await startCluster(findPostgresBin() ?? fail('PostgreSQL not found: npm run setup:system'));
  const handle = await openDatabase({ kind: 'postgres', url: cluster.url, poolMax: 10 });
  try {
    await migrateToLatest(handle.db);
    const server = await startBenchServer(handle, fileURLToPath(new URL('./no-web-dist/', import.meta.url)));
    const tokens = server.saveTokens;
    const answers = { p_municipality: '0301', p_prog_months: 14, p_prog_content: [1, 2, 4] };
    for (const token of tokens) {
      const res = await fetch(`${server.base}/api/v1/respond/${token}/answers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ answers }),
      });
      if (res.status !== 200) fail(`seeding a save: ${res.status} ${await res.text()}`);
    }
    const opens = await loadOpens(server.base, tokens);
    await server.close();
    const selects = await rawOpenSelects(cluster.url, tokens);
    process.stdout.write(`\nOpening a link (${seconds} s, ${connections} connections, PostgreSQL)\n`);
    for (const r of openRows(opens, selects))
      process.stdout.write(`${r[0]!.padEnd(58)} ${r[1]!.padEnd(30)} ${r[2]!.padEnd(28)} ${r[3]}\n`);
    if (opens.non2xx) process.stdout.write(`warning: ${opens.non2xx} open(s) were not 2xx\n`);
  } finally {
    await handle.close();
    cluster.stop();
  }
}

function fail(message: string): never {
  throw new Error(message);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
