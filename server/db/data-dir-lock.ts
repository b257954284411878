// PGlite has no lock of its own: two processes on one data folder would corrupt it. This lock file refuses the second.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export class DataDirInUseError extends Error {
  readonly code = 'data_dir_in_use';
}

export interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): LockOwner | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
  } catch {
    return null;
  }
}

/**
 * Removes a lock judged stale, but only if it is still that lock. Two processes may judge the same dead owner's lock
 * stale at once; were each to delete whatever file is there, the slower one would delete the faster one's fresh lock
 * and both would run. So the lock is first renamed aside (atomic: only one process can move a given file), then
 * checked; a lock someone took in the meantime (or is still writing) is put back. True when the way is clear.
 */
export function removeStaleLock(path: string, stale: LockOwner): boolean {
  const aside = `${path}.${process.pid}.${randomBytes(6).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true; // gone already: try to take it
    throw err;
  }
  const moved = readOwner(aside);
  if (moved?.pid === stale.pid && moved.host === stale.host && moved.since === stale.since) {
    rmSync(aside, { force: true });
    return true;
  }
  try {
    linkSync(aside, path); // back where it was; fails only if yet another lock is there now
  } catch {}
  rmSync(aside, { force: true });
  return false;
}

/** Takes the data folder's lock or throws DataDirInUseError naming the holder. Returns the release function. */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'svar.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
      writeSync(fd, JSON.stringify(owner));
      closeSync(fd);
      const release = () => {
        process.off('exit', release);
        if (readOwner(path)?.pid === process.pid) rmSync(path, { force: true });
      };
      process.on('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readOwner(path);
      // A lock left by a process that died (or by another machine's mount) is stale only if we can tell.
      if (owner && owner.host === hostname() && !isAlive(owner.pid) && removeStaleLock(path, owner)) continue;
      throw new DataDirInUseError(
        `The data folder ${dataDir} is in use by another Svar process` +
          (owner ? ` (pid ${owner.pid} on ${owner.host} since ${owner.since})` : '') +
          '. The embedded database allows one process at a time: stop that process, or set DATABASE_URL ' +
          'to share a PostgreSQL server between processes.',
      );
    }
  }
  throw new DataDirInUseError(`Could not take the lock on ${dataDir}`);
}
