// Opens the configured database for one CLI command and always closes it (releasing the data folder's lock).
import { readConfig } from '../config.ts';
import { type DatabaseHandle, openDatabase } from '../db/connect.ts';
import { migrateToLatest, migrationStatus } from '../db/migrate.ts';
import { CliUsageError } from './output.ts';

/**
 * `apply`: migrate first. `require`: commands that read or change data need the schema; the embedded database
 * migrates itself, a server is migrated on purpose (`svar migrate up`). `as-is`: only check it can be reached.
 */
export type SchemaNeed = 'apply' | 'require' | 'as-is';

export async function withDatabase(
  schema: SchemaNeed,
  fn: (h: DatabaseHandle) => Promise<void>,
): Promise<void> {
  const h = await openDatabase(readConfig().database);
  try {
    const pending = (await migrationStatus(h.db)).filter((m) => !m.executedAt);
    if (pending.length && (schema === 'apply' || (schema === 'require' && h.kind === 'pglite'))) {
      await migrateToLatest(h.db);
    } else if (pending.length && schema === 'require') {
      throw new CliUsageError(
        `The database has ${pending.length} pending migration(s). Run \`svar migrate up\` first.`,
        'migrations_pending',
      );
    }
    await fn(h);
  } finally {
    await h.close();
  }
}
