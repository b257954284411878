// Boot: open the database, migrate, wire the app and listen. Only this file and the CLI touch the process.
import { existsSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { openDatabase } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { describeSyntheticWave, isEmptyDatabase, loadDemo } from './demo/service.ts';
import { systemClock } from './http/context.ts';
import { createLogger } from './http/logger.ts';
import { closeSubmitValidation } from './responses/validation-pool.ts';

export const projectRoot = fileURLToPath(new URL('..', import.meta.url));
export const webDist = join(projectRoot, 'dist');

export interface StartOptions {
  buildWebIfMissing?: boolean;
  demoIfEmpty?: boolean;
  migrate?: boolean;
}

async function buildWeb(): Promise<void> {
  // vite is a dev dependency: present after `npm ci`, absent in a production install that ships dist/.
  const { build } = await import('vite');
  await build({ configFile: join(projectRoot, 'web', 'vite.config.ts'), logLevel: 'warn' });
}

export async function startServer(config: Config, opts: StartOptions = {}) {
  const logger = createLogger(config);
  // respond.html came later than index.html: a dist from before it is built again.
  if (opts.buildWebIfMissing && !['index.html', 'respond.html'].every((f) => existsSync(join(webDist, f)))) {
    logger.info('building the web app (first start)');
    await buildWeb();
  }
  const handle = await openDatabase(config.database);
  try {
    if (opts.migrate !== false) {
      const r = await migrateToLatest(handle.db);
      const applied = r.results?.map((m) => m.migrationName) ?? [];
      if (applied.length) logger.info({ applied }, 'migrations applied');
    }
    if (opts.demoIfEmpty && (await isEmptyDatabase(handle.db))) {
      const demo = await loadDemo(handle.db, config);
      for (const p of demo.problems)
        logger.warn({ instrument: p.instrument }, `demo: not published: ${p.message}`);
      logger.info(
        { instruments: [...new Set(demo.instruments.map((i) => `${i.instrumentId} v${i.version}`))] },
        'demo instruments published',
      );
      const lines = demo.accounts.map((a) => `  ${a.role.padEnd(12)} ${a.email}  password: ${a.password}`);
      const links = demo.links.map(
        (l) => `  ${l.instrumentId.padEnd(20)} ${(l.locale ?? '').padEnd(4)} ${l.url}`,
      );
      const text =
        `Demo accounts (shown once; also saved next to the embedded database):\n${lines.join('\n')}\n\n` +
        `Demo respondent links (open one in a browser):\n${links.join('\n')}\n` +
        (demo.syntheticWaves.length
          ? `\nSynthetic data to export and estimate (one wave per instrument version):\n${demo.syntheticWaves.map((s) => `  ${describeSyntheticWave(s)}`).join('\n')}\n`
          : '');
      process.stdout.write(`\n${text}\n`);
      if (config.database.kind === 'pglite' && config.database.dataDir) {
        const file = join(config.database.dataDir, 'demo-credentials.txt');
        await writeFile(file, text, { mode: 0o600 });
        await chmod(file, 0o600);
      }
    }
  } catch (err) {
    await handle.close();
    throw err;
  }
  const app = buildApp(
    { db: handle.db, databaseKind: handle.kind, config, clock: systemClock, logger },
    { webDist: existsSync(join(webDist, 'index.html')) ? webDist : undefined },
  );
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
  } catch (err) {
    // A port in use: close the database too, or its pool and the data folder's lock keep the process alive.
    await handle.close();
    throw err;
  }
  logger.info(
    { url: config.publicBaseUrl, database: handle.kind },
    `Svar is listening on ${config.publicBaseUrl}`,
  );
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve) => server.close(() => resolve()))
      .then(() => closeSubmitValidation())
      .then(() => handle.close());
    return closing;
  };
  return { close, logger };
}
