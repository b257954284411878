// A PostgreSQL for a benchmark, the way the respondent benchmark gets one: BENCH_DATABASE_URL (its public schema
// is emptied and migrated), else a throwaway cluster from the test setup, stopped on close.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { type DatabaseHandle, openDatabase } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { findPostgresBin, startCluster } from '../tests/setup/postgres-cluster.ts';

export interface BenchPostgres {
  url: string;
  handle: DatabaseHandle;
  /** Whether the server is a throwaway cluster started for this run. */
  throwaway: boolean;
  close(): Promise<void>;
}

export async function openBenchPostgres(
  adminUrl: string | null,
  /** durable: the cluster keeps PostgreSQL's own fsync (a benchmark of commits); poolMax: the handle's pool. */
  options: { durable?: boolean; poolMax?: number } = {},
): Promise<BenchPostgres> {
  const bin = adminUrl ? null : findPostgresBin();
  if (!adminUrl && !bin)
    throw new Error('PostgreSQL not found: npm run setup:system, or set BENCH_DATABASE_URL');
  const cluster = adminUrl ? null : await startCluster(bin!, { durable: options.durable ?? false });
  const url = adminUrl ?? cluster!.url;
  const handle = await openDatabase({ kind: 'postgres', url, poolMax: options.poolMax ?? 4 });
  try {
    await sql`drop schema public cascade; create schema public`.execute(handle.db).catch(() => {});
    await migrateToLatest(handle.db);
  } catch (err) {
    await handle.close();
    cluster?.stop();
    throw err;
  }
  return {
    url,
    handle,
    throwaway: cluster !== null,
    close: async () => {
      await handle.close();
      cluster?.stop();
    },
  };
}

/** psql on the PATH, else beside the PostgreSQL server binaries; null when there is none. */
export function psqlPath(): string | null {
  const onPath = spawnSync('sh', ['-c', 'command -v psql'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  const bin = findPostgresBin();
  return bin && existsSync(join(bin, 'psql')) ? join(bin, 'psql') : null;
}

/**
 * Runs one psql command (a baseline's `\copy`), timed; GNU time, where installed, gives psql's peak memory (KiB).
 * Null when psql is not installed.
 */
export function timedPsql(
  url: string,
  command: string,
): { seconds: number; peakRssMb: number | null } | null {
  const psql = psqlPath();
  if (!psql) return null;
  const args = [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', command];
  const timed = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const r = timed
    ? spawnSync('/usr/bin/time', ['-f', '%M', psql, ...args], { encoding: 'utf8' })
    : spawnSync(psql, args, { encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
  const kib = timed ? Number(r.stderr.trim().split('\n').at(-1)) : Number.NaN;
  return { seconds, peakRssMb: Number.isFinite(kib) ? kib / 1024 : null };
}
