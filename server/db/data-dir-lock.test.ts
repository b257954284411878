// The embedded database's lock: one process per data folder, a dead owner's lock taken over, and never by two
// processes at once when both find the same stale lock.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirInUseError, type LockOwner, lockDataDir, removeStaleLock } from './data-dir-lock.ts';

const dirs: string[] = [];
function dataDir() {
  const d = mkdtempSync(join(tmpdir(), 'svar-lock-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A pid no process has: above Linux's default pid_max. */
const deadPid = 4_194_304 + 17;
const owner = (pid: number, since: string): LockOwner => ({ pid, host: hostname(), since });
const write = (path: string, o: LockOwner) => writeFileSync(path, JSON.stringify(o));
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as LockOwner;

describe('data folder lock', () => {
  it('refuses a second holder while the first lives, and frees the folder on release', () => {
    const dir = dataDir();
    const release = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    release();
    lockDataDir(dir)();
  });

  it('takes over the lock of a process that died', () => {
    const dir = dataDir();
    write(join(dir, 'svar.lock'), owner(deadPid, '2026-01-01T00:00:00.000Z'));
    const release = lockDataDir(dir);
    expect(read(join(dir, 'svar.lock')).pid).toBe(process.pid);
    release();
  });

  it('does not remove a fresh lock taken while it judged the old one stale: two breakers, one winner', () => {
    const dir = dataDir();
    const path = join(dir, 'svar.lock');
    const stale = owner(deadPid, '2026-01-01T00:00:00.000Z');
    write(path, stale);
    // Both A and B read the dead owner. A breaks the lock first and takes it…
    expect(removeStaleLock(path, stale)).toBe(true);
    const a = owner(process.pid, '2026-12-03T10:00:00.000Z');
    write(path, a);
    // …then B, acting on what it read before, must leave A's lock where it is.
    expect(removeStaleLock(path, stale)).toBe(false);
    expect(read(path)).toEqual(a);
    expect(readdirSync(dir)).toEqual(['svar.lock']);
  });

  it('puts back a lock that is still being written (empty) instead of removing it', () => {
    const dir = dataDir();
    const path = join(dir, 'svar.lock');
    writeFileSync(path, '');
    expect(removeStaleLock(path, owner(deadPid, 'x'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['svar.lock']);
  });
});
