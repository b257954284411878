// Opens the configured database for one CLI command and always closes it (releasing the data folder's lock).
import { readConfig } from '../config.ts';
import { type DatabaseHandle, openDatabase } from '../db/connect.ts';
import { migrateToLatest, migrationStatus } from '../db/migrate.ts';
import { CliUsageError } from './output.ts';

export async function withDatabase(
  opts: { json?: boolean | undefined; migrate: boolean },
  fn: (h: DatabaseHandle) => Promise<void>,
): Promise<void> {
  const config = readConfig();
  const h = await openDatabase(config.database);
  try {
    if (opts.migrate) {
      await migrateToLatest(h.db);
    } else {
      await migrationStatus(h.db); // fails early and clearly when the database cannot be reached
    }
    await fn(h);
  } finally {
    await h.close();
  }
}

/** Commands that change data need the schema; the embedded database migrates itself, a server is migrated on purpose. */
export async function requireMigrated(h: DatabaseHandle): Promise<void> {
  const pending = (await migrationStatus(h.db)).filter((m) => !m.executedAt);
  if (pending.length === 0) return;
  if (h.kind === 'pglite') {
    await migrateToLatest(h.db);
    return;
  }
  throw new CliUsageError(
    `The database has ${pending.length} pending migration(s). Run \`svar migrate up\` first.`,
    'migrations_pending',
  );
}
