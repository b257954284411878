// The `svar` command line, run as a real process against an embedded database folder and a PostgreSQL server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Real processes on a real embedded database: slow on a busy 2-core machine, so generous time limits.
vi.setConfig({ testTimeout: 180_000 });

import { openDatabase } from '../../server/db/connect.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { runSvar } from '../helpers/processes.ts';

describe('svar CLI on pglite (an embedded data folder)', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'svar-cli-'));
    env = { SVAR_DATA_DIR: join(dir, 'data') };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints help', async () => {
    const r = await runSvar(['--help'], env);
    expect(r.code).toBe(0);
    for (const cmd of ['start', 'migrate', 'demo', 'user', 'token']) expect(r.stdout).toContain(cmd);
  });

  it('migrates up and reports status as JSON', async () => {
    const before = JSON.parse((await runSvar(['migrate', 'status', '--json'], env)).stdout);
    expect(before.database).toBe('pglite');
    expect(before.migrations.every((m: { executedAt: unknown }) => m.executedAt === null)).toBe(true);
    const up = await runSvar(['migrate', 'up', '--json'], env);
    expect(up.code).toBe(0);
    expect(JSON.parse(up.stdout).migrations.length).toBe(before.migrations.length);
    const after = JSON.parse((await runSvar(['migrate', 'status', '--json'], env)).stdout);
    expect(after.migrations.every((m: { executedAt: unknown }) => m.executedAt !== null)).toBe(true);
  });

  it('creates, lists and disables staff accounts, and makes API tokens', async () => {
    const created = await runSvar(
      [
        'user',
        'create',
        '--email',
        'Analytiker@Example.no',
        '--name',
        'Ana Lytiker',
        '--role',
        'analyst',
        '--password-stdin',
        '--json',
      ],
      env,
      'et langt og godt passord\n',
    );
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout).user).toMatchObject({
      email: 'analytiker@example.no',
      role: 'analyst',
    });

    const generated = await runSvar(
      [
        'user',
        'create',
        '--email',
        'k@example.no',
        '--name',
        'K',
        '--role',
        'municipality',
        '--municipality',
        '030105',
        '--json',
      ],
      env,
    );
    expect(JSON.parse(generated.stdout).generatedPassword).toMatch(/^[A-Za-z0-9_-]{20}$/);

    const list = JSON.parse((await runSvar(['user', 'list', '--json'], env)).stdout);
    expect(list.users.map((u: { email: string }) => u.email)).toEqual([
      'analytiker@example.no',
      'k@example.no',
    ]);

    const token = await runSvar(
      ['token', 'create', '--email', 'analytiker@example.no', '--name', 'export', '--json'],
      env,
    );
    expect(token.code).toBe(0);
    expect(JSON.parse(token.stdout).token).toMatch(/^svar_[A-Za-z0-9_-]{43}$/);

    const disabled = await runSvar(['user', 'disable', 'analytiker@example.no', '--json'], env);
    expect(JSON.parse(disabled.stdout).user.disabled).toBe(true);
  });

  it('refuses bad input with exit code 2, a clear message and a stable code, changing nothing', async () => {
    const role = await runSvar(
      ['user', 'create', '--email', 'x@example.no', '--name', 'X', '--role', 'king', '--json'],
      env,
    );
    expect(role.code).toBe(2);
    expect(JSON.parse(role.stdout).error.code).toBe('validation_failed');
    expect(role.stderr).toMatch(/role/);
    const noMunicipality = await runSvar(
      ['user', 'create', '--email', 'y@example.no', '--name', 'Y', '--role', 'municipality'],
      env,
    );
    expect(noMunicipality.code).toBe(2);
    expect(noMunicipality.stderr).toMatch(/municipalityCode: required for the municipality role/);
    const dup = await runSvar(
      ['user', 'create', '--email', 'k@example.no', '--name', 'K', '--role', 'analyst', '--json'],
      env,
    );
    expect(dup.code).toBe(2);
    expect(JSON.parse(dup.stdout).error.code).toBe('email_taken');
    const unknown = await runSvar(
      ['token', 'create', '--email', 'nobody@example.no', '--name', 'x', '--json'],
      env,
    );
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout).error.code).toBe('staff_user_not_found');
    const action = await runSvar(['migrate', 'sideways'], env);
    expect(action.code).toBe(2);
    const list = JSON.parse((await runSvar(['user', 'list', '--json'], env)).stdout);
    expect(list.users).toHaveLength(2);
  });

  it('loads demo content idempotently', async () => {
    const first = JSON.parse((await runSvar(['demo', '--json'], env)).stdout);
    expect(first.accounts.filter((a: { created: boolean }) => a.created)).toHaveLength(4);
    const second = JSON.parse((await runSvar(['demo', '--json'], env)).stdout);
    expect(
      second.accounts.every(
        (a: { created: boolean; password: unknown }) => !a.created && a.password === null,
      ),
    ).toBe(true);
  });

  it('refuses to open a data folder another process holds, with a clear message', async () => {
    const held = await openDatabase({ kind: 'pglite', dataDir: env.SVAR_DATA_DIR! });
    try {
      const r = await runSvar(['migrate', 'status', '--json'], env);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout).error.code).toBe('data_dir_in_use');
      expect(r.stderr).toMatch(new RegExp(`in use by another Svar process \\(pid ${process.pid}`));
      // A second opener inside one process is refused too.
      await expect(openDatabase({ kind: 'pglite', dataDir: env.SVAR_DATA_DIR! })).rejects.toThrow(/in use/);
    } finally {
      await held.close();
    }
    expect((await runSvar(['migrate', 'status'], env)).code).toBe(0);
  });
});

const postgres = backends().find((b) => b.name === 'postgres')!;

describe.skipIf(postgres.skip)('svar CLI on postgres', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await postgres.open({ migrate: false });
  });
  afterAll(async () => t?.close());

  it('migrates a PostgreSQL server named by DATABASE_URL and manages accounts there', async () => {
    const env = { DATABASE_URL: t.config.kind === 'postgres' ? t.config.url : '' };
    const pending = await runSvar(['user', 'list'], env);
    expect(pending.code).toBe(2);
    expect(pending.stderr).toMatch(/svar migrate up/);
    const up = JSON.parse((await runSvar(['migrate', 'up', '--json'], env)).stdout);
    expect(up.database).toBe('postgres');
    const created = await runSvar(
      ['user', 'create', '--email', 'pg@example.no', '--name', 'P', '--role', 'admin', '--json'],
      env,
    );
    expect(created.code).toBe(0);
    const rows = await t.db.selectFrom('staff_user').select('email').execute();
    expect(rows).toEqual([{ email: 'pg@example.no' }]);
  });
});
