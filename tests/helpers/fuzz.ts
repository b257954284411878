// The fuzz suite's rules: how many cases a property runs (FUZZ_RUNS), what every answer to hostile input must look
// like, and the tally of cases per endpoint group that each run prints.
import type fc from 'fast-check';
import { pino } from 'pino';
import { buildApp } from '../../server/app.ts';
import { testConfig } from '../../server/config.ts';
import type { Db } from '../../server/db/connect.ts';
import { TestClock } from './app.ts';

/** The app as tests build it, with a logger that keeps the last error it logged: a 5xx is reported with its cause. */
export function fuzzApp(handle: { db: Db; kind: 'pglite' | 'postgres' }) {
  const logged: { last: string | null } = { last: null };
  const logger = pino(
    { level: 'error' },
    {
      write: (line: string) => {
        logged.last = line.slice(0, 2000);
      },
    },
  );
  const app = buildApp({
    db: handle.db,
    databaseKind: handle.kind,
    config: testConfig(),
    clock: new TestClock(),
    logger,
  });
  return { app, logged };
}

/** Cases per property: `FUZZ_RUNS` from the environment (`npm run fuzz` sets the nightly size), else CI's size. */
export function fuzzRuns(ciDefault: number): number {
  const n = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(n) && n > 0 ? n : ciDefault;
}

/** Parameters for fc.assert: the run count, and FUZZ_SEED to replay a failure fast-check reported. */
export function fuzzParameters<T>(numRuns: number, examples: T[] = []): fc.Parameters<T> {
  const seed = Number(process.env.FUZZ_SEED);
  return {
    numRuns,
    // Cases that once failed run first, every time: a regression shows without waiting for the seed to find it.
    examples,
    ...(Number.isInteger(seed) ? { seed } : {}),
    endOnFailure: true,
    // A counterexample can be megabytes long; the failing check names the case in a few hundred characters.
    reporter: (details) => {
      if (!details.failed) return;
      const why =
        details.errorInstance instanceof Error
          ? details.errorInstance.message
          : String(details.errorInstance);
      throw new Error(
        `fuzz case failed (seed ${details.seed}, path "${details.counterexamplePath}"): ${why.slice(0, 3000)}`,
      );
    },
  };
}

/** A per-property timeout generous enough for the nightly size on embedded PGlite. */
export const fuzzTimeout = (runs: number, msPerCase = 100) => 60_000 + runs * msPerCase;

/** Cases per endpoint group, and how many of them were accepted (valid input that reached the end). */
export class CaseTally {
  private counts = new Map<string, { cases: number; accepted: number }>();
  add(group: string, accepted: boolean): void {
    const c = this.counts.get(group) ?? { cases: 0, accepted: 0 };
    c.cases += 1;
    if (accepted) c.accepted += 1;
    this.counts.set(group, c);
  }
  /** One line, read back by tests/helpers/fuzz-reporter.ts: "fuzz on pglite: 9200 cases (respond 900/41, …)". */
  summary(label: string): string {
    const all = [...this.counts.values()].reduce((a, c) => a + c.cases, 0);
    const groups = [...this.counts]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([g, c]) => `${g} ${c.cases}/${c.accepted}`)
      .join(', ');
    return `fuzz on ${label}: ${all} cases (group cases/accepted: ${groups})`;
  }
}

export interface Verdict {
  status: number;
  accepted: boolean;
  code?: string;
}

/**
 * Reads an answer to hostile input and fails unless it is a 2xx, or a 4xx problem document with a stable code
 * (and its status repeated in the body). Never a 5xx: hostile input is the client's fault by definition.
 */
export async function judge(
  res: Response,
  label: string,
  logged?: { last: string | null },
): Promise<Verdict> {
  const text = await res.text();
  if (res.status >= 500)
    throw new Error(`${label}: ${res.status} ${text.slice(0, 500)}; logged: ${logged?.last}`);
  if (res.status < 400) return { status: res.status, accepted: true };
  const type = res.headers.get('content-type') ?? '';
  if (!type.startsWith('application/problem+json')) {
    throw new Error(`${label}: ${res.status} with content-type '${type}', not application/problem+json`);
  }
  let body: { code?: unknown; status?: unknown };
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${label}: ${res.status} problem document is not JSON: ${text.slice(0, 200)}`);
  }
  if (typeof body.code !== 'string' || !/^[a-z][a-z0-9_]*$/.test(body.code)) {
    throw new Error(`${label}: ${res.status} problem without a stable code: ${text.slice(0, 300)}`);
  }
  if (body.status !== res.status) throw new Error(`${label}: body status ${body.status} != ${res.status}`);
  return { status: res.status, accepted: false, code: body.code };
}
