// Runs the files in migrations/ with Kysely's Migrator; the same files on PGlite and PostgreSQL.
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Migration, type MigrationResultSet, Migrator } from 'kysely/migration';
import type { Db } from './connect.ts';

const migrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url));

async function loadMigrations(): Promise<Record<string, Migration>> {
  const files = (await readdir(migrationsDir)).filter((f) => /^\d{8}T\d{6}-[a-z0-9-]+\.ts$/.test(f)).sort();
  const entries = await Promise.all(
    files.map(
      async (f) =>
        [f.replace(/\.ts$/, ''), (await import(pathToFileURL(migrationsDir + f).href)) as Migration] as const,
    ),
  );
  return Object.fromEntries(entries);
}

function migratorFor(db: Db): Migrator {
  return new Migrator({ db, provider: { getMigrations: loadMigrations } });
}

export class MigrationError extends Error {}

function unwrap(result: MigrationResultSet): MigrationResultSet {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    // No failed migration: reading or locking the migration table failed, usually the connection itself.
    const what = failed ? `Migration ${failed} failed` : 'Could not read the applied migrations';
    throw new MigrationError(`${what}: ${cause}`, { cause: result.error });
  }
  return result;
}

export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  return unwrap(await migratorFor(db).migrateToLatest());
}

export async function migrateDown(db: Db): Promise<MigrationResultSet> {
  return unwrap(await migratorFor(db).migrateDown());
}

export interface MigrationStatus {
  name: string;
  executedAt: Date | null;
}

export async function migrationStatus(db: Db): Promise<MigrationStatus[]> {
  const all = await migratorFor(db).getMigrations();
  return all.map((m) => ({ name: m.name, executedAt: m.executedAt ?? null }));
}
