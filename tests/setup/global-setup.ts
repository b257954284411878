// Decides where the PostgreSQL variants of the integration suites run: TEST_DATABASE_URL, a throwaway cluster
// started here, or nowhere (then they are skipped, loudly; with CI=true that is a failure).
import type { TestProject } from 'vitest/node';
import { type Cluster, findPostgresBin, startCluster } from './postgres-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
  }
}

let cluster: Cluster | undefined;

export async function setup(project: TestProject) {
  let url = process.env.TEST_DATABASE_URL ?? null;
  if (!url) {
    const bin = findPostgresBin();
    if (bin) {
      cluster = await startCluster(bin);
      url = cluster.url;
      process.stdout.write(`[svar tests] PostgreSQL: throwaway cluster from ${bin} at ${url}\n`);
    } else {
      const message =
        '[svar tests] PostgreSQL binaries (initdb, pg_ctl, postgres) not found and TEST_DATABASE_URL not set: ' +
        'the PostgreSQL variants of the integration suites are SKIPPED. Install what they need with: npm run setup:system';
      if (process.env.CI === 'true') throw new Error(`${message} (CI=true: a skipped suite is a failure)`);
      process.stdout.write(`${message}\n`);
    }
  } else {
    process.stdout.write('[svar tests] PostgreSQL: TEST_DATABASE_URL\n');
  }
  project.provide('postgresUrl', url);
}

export async function teardown() {
  cluster?.stop();
}
