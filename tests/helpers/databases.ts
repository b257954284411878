// The databases every integration suite runs on: embedded PGlite and a real PostgreSQL server.
import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import type { DatabaseConfig } from '../../server/config.ts';
import { type DatabaseHandle, openDatabase } from '../../server/db/connect.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';

export interface TestDatabase extends DatabaseHandle {
  config: DatabaseConfig;
}

export interface Backend {
  name: 'pglite' | 'postgres';
  /** Skipped when PostgreSQL is not available here (global setup said so, and CI fails instead). */
  skip: boolean;
  /** A fresh, empty database (migrated unless told otherwise), private to the caller. */
  open(opts?: { migrate?: boolean }): Promise<TestDatabase>;
}

function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function openPostgres(adminUrl: string, migrate: boolean): Promise<TestDatabase> {
  // One database per suite: suites run in parallel and must not see each other's rows.
  const name = `svar_test_${randomBytes(6).toString('hex')}`;
  const admin = new Kysely<unknown>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: adminUrl, max: 1 }) }),
  });
  await sql`create database ${sql.id(name)}`.execute(admin);
  const config: DatabaseConfig = { kind: 'postgres', url: withDatabaseName(adminUrl, name), poolMax: 5 };
  const handle = await openDatabase(config);
  if (migrate) await migrateToLatest(handle.db);
  return {
    ...handle,
    config,
    close: async () => {
      await handle.close();
      await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
      await admin.destroy();
    },
  };
}

async function openPglite(migrate: boolean): Promise<TestDatabase> {
  const config: DatabaseConfig = { kind: 'pglite', dataDir: null };
  const handle = await openDatabase(config);
  if (migrate) await migrateToLatest(handle.db);
  return { ...handle, config };
}

export function backends(): Backend[] {
  const url = inject('postgresUrl');
  return [
    { name: 'pglite', skip: false, open: (o) => openPglite(o?.migrate ?? true) },
    {
      name: 'postgres',
      skip: url === null,
      open: (o) => {
        if (!url) throw new Error('PostgreSQL is not available');
        return openPostgres(url, o?.migrate ?? true);
      },
    },
  ];
}

/** The PostgreSQL server's admin URL, or null when the PostgreSQL variants are skipped. */
export function postgresAdminUrl(): string | null {
  return inject('postgresUrl');
}
