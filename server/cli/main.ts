// The `svar` command line: start, migrate, demo, user, token. Commands that other tools read take --json.
import { inspect } from 'node:util';
import { Argument, Command } from 'commander';
import { readConfig } from '../config.ts';
import { migrateDown, migrateToLatest, migrationStatus } from '../db/migrate.ts';
import { describeSyntheticWave, loadDemo } from '../demo/service.ts';
import { startServer } from '../main.ts';
import { registerEstimateCommands } from './estimate-commands.ts';
import { plainFailure } from './expected-failures.ts';
import { registerExportCommands } from './export-commands.ts';
import { registerFieldworkCommands } from './fieldwork-commands.ts';
import { printFailure, printResult } from './output.ts';
import { registerQualityCommands } from './quality-commands.ts';
import { registerReportCommands } from './report-commands.ts';
import { registerStaffCommands } from './staff-commands.ts';
import { registerSurveyCommands } from './survey-commands.ts';
import { withDatabase } from './with-database.ts';

const program = new Command('svar')
  .description('Svar: survey instruments, waves and responses for national public-sector surveys')
  .showHelpAfterError()
  .option('--debug', 'print the stack trace of a failure (also with LOG_LEVEL=debug)')
  .exitOverride();

program
  .command('start')
  .description('migrate the database and serve the web app and API (PORT, DATABASE_URL, SVAR_DATA_DIR)')
  .option('--port <port>', 'port to listen on (default: PORT or 3000)')
  .option('--build-web-if-missing', 'build the web app first if dist/ is missing')
  .option('--demo-if-empty', 'load demo content when the database has no staff accounts yet')
  .option('--no-migrate', 'do not apply pending migrations')
  .action(
    async (opts: { port?: string; buildWebIfMissing?: boolean; demoIfEmpty?: boolean; migrate: boolean }) => {
      const config = readConfig(opts.port ? { ...process.env, PORT: opts.port } : process.env);
      const server = await startServer(config, opts);
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.once(signal, () => {
          server.logger.info({ signal }, 'shutting down');
          void server.close().then(() => process.exit(0));
        });
      }
    },
  );

program
  .command('migrate')
  .description('apply (up), undo the last (down) or list (status) database migrations')
  .addArgument(new Argument('[action]').choices(['up', 'down', 'status']).default('status'))
  .option('--json', 'print machine-readable JSON')
  .action((action: 'up' | 'down' | 'status', opts: { json?: boolean }) =>
    withDatabase('as-is', async (h) => {
      if (action === 'up' || action === 'down') {
        const r = action === 'up' ? await migrateToLatest(h.db) : await migrateDown(h.db);
        const names = r.results?.map((m) => m.migrationName) ?? [];
        printResult(!!opts.json, { action, database: h.kind, migrations: names }, () =>
          names.length
            ? `${action === 'up' ? 'Applied' : 'Reverted'}: ${names.join(', ')}`
            : 'Nothing to do.',
        );
        return;
      }
      const status = await migrationStatus(h.db);
      printResult(!!opts.json, { database: h.kind, migrations: status }, () =>
        status.map((m) => `${m.executedAt ? 'applied' : 'pending'}  ${m.name}`).join('\n'),
      );
    }),
  );

program
  .command('demo')
  .description('load demo content (idempotent): staff accounts of each role, both instruments published')
  .option('--json', 'print machine-readable JSON')
  .action((opts: { json?: boolean }) =>
    withDatabase('apply', async (h) => {
      const demo = await loadDemo(h.db, readConfig());
      printResult(!!opts.json, demo, () =>
        [
          ...demo.accounts.map(
            (a) =>
              `${a.role.padEnd(12)} ${a.email}  ${a.created ? `password: ${a.password}` : '(already there)'}`,
          ),
          ...demo.instruments.map(
            (i) => `${i.instrumentId} version ${i.version}${i.created ? ' published' : ''}`,
          ),
          ...demo.problems.map((p) => `not published: ${p.instrument}: ${p.message}`),
          ...demo.syntheticWaves.map((s) => `synthetic wave: ${describeSyntheticWave(s)}`),
        ].join('\n'),
      );
    }),
  );

registerStaffCommands(program);
registerSurveyCommands(program);
registerFieldworkCommands(program);
registerExportCommands(program);
registerQualityCommands(program);
registerEstimateCommands(program);
registerReportCommands(program);

/** --debug anywhere on the line, or LOG_LEVEL=debug/trace (a configuration that does not parse: no). */
function wantsDebug(argv: string[]): boolean {
  if (argv.includes('--debug')) return true;
  try {
    return ['debug', 'trace'].includes(readConfig().logLevel);
  } catch {
    return false;
  }
}

export async function runCli(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const debug = wantsDebug(argv);
  try {
    // --debug is taken out here so that every subcommand accepts it, before or after its own options.
    await program.parseAsync(argv.filter((a, i) => i < 2 || a !== '--debug'));
  } catch (err) {
    const e = err as { code?: string; exitCode?: number };
    if (typeof e.code === 'string' && e.code.startsWith('commander.')) {
      // Help and version exit 0; usage errors were printed by commander already.
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    // Expected failures (configuration, an unreachable database) print one line; unknown errors their stack.
    const shown = plainFailure(err);
    process.exitCode = printFailure(shown, json);
    if (debug && (shown as { code?: unknown }).code) process.stderr.write(`${inspect(err, { depth: 6 })}\n`);
  }
}
