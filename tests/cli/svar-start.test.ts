// `svar start` as a newcomer runs it: healthy on the embedded database, demo content on first start, data kept
// across a restart; and the same on a PostgreSQL server named by DATABASE_URL.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Real processes on a real embedded database: slow on a busy 2-core machine, so generous time limits.
vi.setConfig({ testTimeout: 180_000 });

import { backends, type TestDatabase } from '../helpers/databases.ts';
import { startSvar } from '../helpers/processes.ts';

async function logIn(url: string, email: string, password: string) {
  return fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
}

describe('svar start on pglite (an embedded data folder)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'svar-start-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves /health, loads the demo once, keeps data across a restart and shuts down cleanly', async () => {
    const env = { SVAR_DATA_DIR: join(dir, 'data') };
    const first = await startSvar(['--demo-if-empty'], env);
    let password: string;
    try {
      expect(await (await fetch(`${first.url}/health`)).json()).toEqual({ status: 'ok', database: 'pglite' });
      const credentials = readFileSync(join(dir, 'data', 'demo-credentials.txt'), 'utf8');
      password = credentials.match(/admin@demo\.svar\.local\s+password: (\S+)/)![1]!;
      expect(first.output()).toContain('admin@demo.svar.local');
      expect((await logIn(first.url, 'admin@demo.svar.local', password)).status).toBe(200);
    } finally {
      expect(await first.stop()).toBe(0);
    }

    const second = await startSvar(['--demo-if-empty'], env);
    try {
      expect((await logIn(second.url, 'admin@demo.svar.local', password)).status).toBe(200);
      expect(second.output()).not.toContain('Demo accounts');
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });
});

const postgres = backends().find((b) => b.name === 'postgres')!;

describe.skipIf(postgres.skip)('svar start on postgres', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await postgres.open({ migrate: false });
  });
  afterAll(async () => t?.close());

  it('reports "postgres" and has applied the migrations', async () => {
    const server = await startSvar([], { DATABASE_URL: t.config.kind === 'postgres' ? t.config.url : '' });
    try {
      expect(await (await fetch(`${server.url}/health`)).json()).toEqual({
        status: 'ok',
        database: 'postgres',
      });
      const applied = await t.db
        .selectFrom('kysely_migration' as never)
        .select('name' as never)
        .execute();
      expect(applied.length).toBeGreaterThanOrEqual(4);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
