// What HTTP itself allows on this machine, measured in the same run as the saves: a bare Hono server (no
// middleware, no validation, no link check) that parses the same POST and writes its payload with the same single
// INSERT as the raw baseline, and one that writes the payloads arriving together as one INSERT (the batching the
// save path does, save-batch.ts). The load generator, the server and PostgreSQL share the machine's cores, so these
// bound what any save over HTTP can reach here; the saves' ratio to them says what Svar's own work costs.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import pg from 'pg';
import { loadSaves, type SaveLoad } from './respondent-submits.ts';

type Mode = 'single' | 'batched';

function bareApp(pool: pg.Pool, mode: Mode) {
  let queue: { payload: string; done: (err?: unknown) => void }[] = [];
  let inFlight = 0;
  const flush = () => {
    while (inFlight < 2 && queue.length) {
      const batch = queue;
      queue = [];
      inFlight += 1;
      pool
        .query('insert into bench_raw (data) select unnest($1::jsonb[])', [batch.map((b) => b.payload)])
        .then(
          () => {
            for (const b of batch) b.done();
          },
          (err) => {
            for (const b of batch) b.done(err);
          },
        )
        .finally(() => {
          inFlight -= 1;
          flush();
        });
    }
  };
  const app = new Hono();
  app.post('/api/v1/respond/:token/answers', async (c) => {
    const body = (await c.req.json()) as { answers: unknown };
    const payload = JSON.stringify(body.answers);
    if (mode === 'single') await pool.query('insert into bench_raw (data) values ($1)', [payload]);
    else
      await new Promise<void>((resolve, reject) => {
        queue.push({ payload, done: (err) => (err ? reject(err) : resolve()) });
        flush();
      });
    return c.json({ ok: true });
  });
  return app;
}

/** Saves/s through a bare Hono server writing like the raw baseline (`single`) or in batches (`batched`). */
export async function bareHttpSaves(
  url: string,
  mode: Mode,
  tokens: string[],
  answers: Record<string, unknown>,
): Promise<SaveLoad> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const server = serve({ fetch: bareApp(pool, mode).fetch, port: 0, hostname: '127.0.0.1' });
  try {
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return await loadSaves({ base, tokens, answers });
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
    await pool.end();
  }
}
