// PostgreSQL restarts while respondents are answering: while it is down every request gets 503 with Retry-After
// (never a 500, never a hang), and the server recovers by itself when the database is back, with no restart of
// its own. Runs on a PostgreSQL cluster of its own, so stopping it disturbs no other suite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../server/db/connect.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { newSecretToken } from '../../server/security/secret-token.ts';
import { makeApp } from '../helpers/app.ts';
import { type Cluster, findPostgresBin, startCluster } from '../setup/postgres-cluster.ts';

const bin = findPostgresBin();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Seen {
  status: number;
  retryAfter: string | null;
  ms: number;
}

describe.skipIf(!bin && process.env.CI !== 'true')('a PostgreSQL restart under load', () => {
  let cluster: Cluster;
  let handle: DatabaseHandle;
  let app: ReturnType<typeof makeApp>;
  beforeAll(async () => {
    if (!bin) throw new Error('PostgreSQL is required here (CI=true): npm run setup:system');
    cluster = await startCluster(bin);
    handle = await openDatabase({ kind: 'postgres', url: cluster.url, poolMax: 5 });
    await migrateToLatest(handle.db);
    app = makeApp(handle);
  }, 60_000);
  afterAll(async () => {
    await handle?.close();
    cluster?.stop();
  });

  /** A respondent opening a link (unknown here, so 404 when all is well): a query on every request. */
  async function openLink(): Promise<Seen> {
    const t0 = performance.now();
    const res = await app.request(`/api/v1/respond/${newSecretToken()}`);
    await res.arrayBuffer();
    return { status: res.status, retryAfter: res.headers.get('retry-after'), ms: performance.now() - t0 };
  }

  it('answers 503 with Retry-After while the database is down, and recovers on its own', async () => {
    expect((await openLink()).status).toBe(404);
    const seen: Seen[] = [];
    let running = true;
    // Eight respondents, each opening links one after another for as long as the test runs.
    const load = Array.from({ length: 8 }, async () => {
      while (running) {
        seen.push(await openLink());
        await sleep(20);
      }
    });
    const waitFor = async (what: (s: Seen) => boolean, ms: number) => {
      const from = seen.length;
      const until = Date.now() + ms;
      while (Date.now() < until && !seen.slice(from).some(what)) await sleep(100);
      return seen.slice(from).some(what);
    };
    try {
      expect(await waitFor((s) => s.status === 404, 5000)).toBe(true);
      cluster.pause();
      expect(await waitFor((s) => s.status === 503, 15_000)).toBe(true);
      const health = await app.request('/health');
      expect(health.status).toBe(503);
      expect(health.headers.get('retry-after')).toBe('5');
      cluster.resume();
      // Back without restarting Svar: the pool opens new connections as requests come.
      expect(await waitFor((s) => s.status === 404, 30_000)).toBe(true);
    } finally {
      running = false;
      await Promise.all(load);
    }
    const statuses = new Set(seen.map((s) => s.status));
    expect([...statuses].sort()).toEqual([404, 503]);
    for (const s of seen.filter((x) => x.status === 503)) expect(s.retryAfter).toBe('5');
    // Never a hang: a request waits at most for the pool's connection timeout (5 s), with room for a busy machine.
    expect(Math.max(...seen.map((s) => s.ms))).toBeLessThan(15_000);
    expect((await openLink()).status).toBe(404);
  }, 90_000);
});
