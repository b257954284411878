// The embedded database survives its server being killed: `svar start` on a PGlite data folder takes hundreds of
// saves, is killed with SIGKILL while saves are in flight, and starts again on the same folder (taking over the dead
// process's lock). Every save that got a 2xx is there, once; clients that retry what failed end with every answer.
// The same on PostgreSQL, where only the server process dies.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DatabaseConfig } from '../../server/config.ts';
import { type DatabaseHandle, openDatabase } from '../../server/db/connect.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { backends } from '../helpers/databases.ts';
import { openMiniWave } from '../helpers/fieldwork.ts';
import { type RunningServer, startSvar } from '../helpers/processes.ts';
import { type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

// Real processes on an embedded database on disk: slow on a busy 2-core machine.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const units = 400;
const clients = 24;

/** What unit `i` answers: distinct per unit, so a save landing on the wrong response would show. */
const answersOf = (i: number) => ({ q_sat: (i % 2) + 1, q_months: i % 37, q_topics: [(i % 3) + 1] });

type Outcome = 'acknowledged' | 'failed';

describe.each(backends())('a kill -9 of the server on $name', (backend) => {
  let dir: string;
  let w: SurveyWorkspace;
  let tokens: string[];
  let waveId: string;
  let database: DatabaseConfig;
  let dropDatabase = async () => {};
  const env = (): Record<string, string> =>
    database.kind === 'postgres' ? { DATABASE_URL: database.url } : { SVAR_DATA_DIR: join(dir, 'data') };
  /** This process's own handle, only while no server holds the embedded folder. */
  const open = async (): Promise<DatabaseHandle> => openDatabase(database);

  beforeAll(async () => {
    if (backend.skip) return;
    dir = mkdtempSync(join(tmpdir(), 'svar-crash-'));
    w = surveyWorkspace();
    if (backend.name === 'postgres') {
      const t = await backend.open({ migrate: false });
      database = t.config;
      dropDatabase = () => t.close();
    } else {
      database = { kind: 'pglite', dataDir: join(dir, 'data') };
    }
    // The wave is prepared in this process, then the database is handed to the server.
    const h = await open();
    try {
      await migrateToLatest(h.db);
      const fw = await openMiniWave(h.db, w, {
        units: Array.from({ length: units }, (_, i) => ({ externalId: `u${i}` })),
        now: new Date(Date.now() - 60_000),
      });
      tokens = Array.from({ length: units }, (_, i) => fw.token(`u${i}`));
      waveId = fw.wave.id;
    } finally {
      await h.close();
    }
  });
  afterAll(async () => {
    await dropDatabase();
    w?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const save = async (server: RunningServer, i: number): Promise<Outcome> => {
    try {
      const res = await fetch(`${server.url}/api/v1/respond/${tokens[i]}/answers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ answers: answersOf(i), device: `d${i}`, seq: 1 }),
      });
      await res.arrayBuffer();
      return res.status === 200 ? 'acknowledged' : 'failed';
    } catch {
      return 'failed'; // the connection died with the server
    }
  };

  it.skipIf(backend.skip)(
    'keeps every acknowledged save exactly once, and retries complete the rest',
    async () => {
      const first = await startSvar([], env());
      const outcome = new Map<number, Outcome>();
      let next = 0;
      let acknowledged = 0;
      let killed: Promise<number | null> | undefined;
      // Like respondents' pages: each client sends one save at a time, the next as soon as one is answered.
      await Promise.all(
        Array.from({ length: clients }, async () => {
          // A page whose save failed stops (it keeps the answers in its outbox and tries again later).
          while (next < units && !killed) {
            const i = next++;
            const o = await save(first, i);
            outcome.set(i, o);
            if (o === 'acknowledged') acknowledged += 1;
            // Half-way through, with every client's next save in flight.
            if (acknowledged === units / 2 && !killed) killed = first.crash();
          }
        }),
      );
      expect(await killed).toBeNull(); // killed by a signal, not exited
      const acked = [...outcome].filter(([, o]) => o === 'acknowledged').map(([i]) => i);
      const failed = [...outcome].filter(([, o]) => o === 'failed').map(([i]) => i);
      expect(acked.length).toBeGreaterThanOrEqual(units / 2);
      // The saves in flight when the server died.
      expect(failed.length).toBeGreaterThan(0);
      const unsent = Array.from({ length: units }, (_, i) => i).filter((i) => !outcome.has(i));

      // The same folder again: the dead process's lock is taken over and the database opens.
      const second = await startSvar([], env());
      try {
        if (database.kind === 'pglite')
          expect(readFileSync(join(dir, 'data', 'svar.lock'), 'utf8')).toContain(`"pid":${second.pid}`);
        const read = async (i: number) => {
          const res = await fetch(`${second.url}/api/v1/respond/${tokens[i]}/answers`);
          expect(res.status).toBe(200);
          return ((await res.json()) as { answers: Record<string, unknown> }).answers;
        };
        for (const i of acked) expect(await read(i)).toEqual(answersOf(i));
        // A save that got no answer may or may not have landed, but never partly or on another unit.
        for (const i of failed) expect([{}, answersOf(i)]).toContainEqual(await read(i));
        for (const i of unsent) expect(await read(i)).toEqual({});
        // The pages retry what failed and send what they had not sent yet: everything is there.
        for (const i of [...failed, ...unsent]) expect(await save(second, i)).toBe('acknowledged');
      } finally {
        expect(await second.stop()).toBe(0);
      }

      const h = await open();
      try {
        const rows = await h.db
          .selectFrom('response')
          .innerJoin('frame_unit', 'frame_unit.id', 'response.frame_unit_id')
          .select(['frame_unit.external_id', 'response.answers'])
          .where('response.wave_id', '=', waveId)
          .execute();
        expect(rows).toHaveLength(units);
        expect(new Set(rows.map((r) => r.external_id)).size).toBe(units);
        for (const r of rows) expect(r.answers).toEqual(answersOf(Number(r.external_id.slice(1))));
      } finally {
        await h.close();
      }
    },
  );
});
