// Runs the real `svar` command and server as child processes, the way a user or an operator would.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../setup/postgres-cluster.ts';

export const svarBin = fileURLToPath(new URL('../../bin/svar.js', import.meta.url));

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment a child gets: ours minus database settings, plus the given ones. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _a, SVAR_DATA_DIR: _b, PORT: _c, ...rest } = process.env;
  return { ...rest, LOG_LEVEL: 'warn', ...env };
}

export function runSvar(args: string[], env: Record<string, string>, stdin?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [svarBin, ...args], { env: childEnv(env), stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

export interface RunningServer {
  url: string;
  pid: number;
  output: () => string;
  stop(): Promise<number | null>;
  /** kill -9: no shutdown handler runs, as when the machine or the OOM killer stops it (tests/faults). */
  crash(): Promise<number | null>;
}

/** Starts `svar start` and waits until /health answers. */
export async function startSvar(args: string[], env: Record<string, string>): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [svarBin, 'start', ...args], {
    env: childEnv({ ...env, PORT: String(port) }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 150_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`svar start exited early:\n${output}`);
    try {
      const r = await fetch(`${url}/health`);
      if (r.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`svar start did not become healthy:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pid: child.pid!,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
    crash: async () => {
      child.kill('SIGKILL');
      return exited;
    },
  };
}
