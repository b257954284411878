// Failures an operator can fix print one line saying what failed and exit non-zero; stacks only with --debug.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunResult, runSvar } from '../helpers/processes.ts';

vi.setConfig({ testTimeout: 120_000 });

const unreachable = 'postgres://x:secret-password@127.0.0.1:1/x';

function expectOneLine(r: RunResult, pattern: RegExp) {
  expect(r.code, r.stderr).not.toBe(0);
  expect(r.code).not.toBeNull();
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

describe('svar fails plainly', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'svar-plain-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a bad PORT: the configuration error in one line, no stack', async () => {
    const r = await runSvar(['start'], { PORT: 'eighty', SVAR_DATA_DIR: join(dir, 'unused') });
    expectOneLine(r, /^svar: invalid configuration: PORT: must be a port number from 1 to 65535/);
  });

  it('every bad variable on the same line', async () => {
    const r = await runSvar(['migrate', 'status'], { PORT: '0', LOG_LEVEL: 'loud' });
    expectOneLine(r, /^svar: invalid configuration: .*PORT: .*; LOG_LEVEL: /);
  });

  it.each([
    ['migrate status', ['migrate', 'status']],
    ['start (migrating first)', ['start']],
    ['a data command', ['user', 'list']],
  ])('an unreachable DATABASE_URL: %s says where and why, and never the password', async (_name, args) => {
    const r = await runSvar(args, { DATABASE_URL: unreachable });
    expectOneLine(
      r,
      /^svar: cannot reach PostgreSQL at 127\.0\.0\.1:1 given by DATABASE_URL: connection refused/,
    );
    expect(r.stderr + r.stdout).not.toContain('secret-password');
  });

  it('--json gives tools the same failure with a stable code', async () => {
    const r = await runSvar(['migrate', 'status', '--json'], { DATABASE_URL: unreachable });
    expect(r.code).not.toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'database_unreachable' } });
  });

  it.each([
    ['--debug', ['migrate', 'status', '--debug'], {}],
    ['LOG_LEVEL=debug', ['migrate', 'status'], { LOG_LEVEL: 'debug' }],
  ])('%s adds the stack and its cause', async (_name, args, env) => {
    const r = await runSvar(args, { DATABASE_URL: unreachable, ...env });
    expect(r.code).not.toBe(0);
    expect(r.stderr.split('\n')[0]).toMatch(/^svar: cannot reach PostgreSQL/);
    expect(r.stderr).toMatch(/^\s+at /m);
    expect(r.stderr).toContain('ECONNREFUSED');
  });

  it('a port in use: one line, and the process ends instead of hanging on the open database', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await runSvar(['start', '--no-migrate'], {
        PORT: String(port),
        SVAR_DATA_DIR: join(dir, 'data'),
      });
      expectOneLine(
        r,
        new RegExp(`^svar: cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use`),
      );
    } finally {
      blocker.close();
    }
  });
});
