// A PostgreSQL for a benchmark, the way the respondent benchmark gets one: BENCH_DATABASE_URL (its public schema
// is emptied and migrated), else a throwaway cluster from the test setup, stopped on close.
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

export async function openBenchPostgres(adminUrl: string | null): Promise<BenchPostgres> {
  const bin = adminUrl ? null : findPostgresBin();
  if (!adminUrl && !bin)
    throw new Error('PostgreSQL not found: npm run setup:system, or set BENCH_DATABASE_URL');
  const cluster = adminUrl ? null : await startCluster(bin!);
  const url = adminUrl ?? cluster!.url;
  const handle = await openDatabase({ kind: 'postgres', url, poolMax: 4 });
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
