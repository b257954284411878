// Opens the database the configuration names: embedded PGlite (a folder, or memory) or a PostgreSQL server.
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, type KyselyPlugin, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config.ts';
import { lockDataDir } from './data-dir-lock.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

/** Thrown for any query on a handle after close(), instead of reaching a driver that is gone. */
export class DatabaseClosedError extends Error {
  readonly code = 'database_closed';
}

/** Refuses queries once the handle is closed: a query on a closed PGlite would crash the process from inside pg. */
function closedGuard(isClosed: () => boolean): KyselyPlugin {
  return {
    transformQuery: (args) => {
      if (isClosed()) throw new DatabaseClosedError('The database connection is closed.');
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
}

export interface DatabaseHandle {
  db: Db;
  kind: DatabaseConfig['kind'];
  /** The server's URL when it is PostgreSQL: work that fans out (a large export's workers) opens its own pool. */
  postgresUrl: string | null;
  close(): Promise<void>;
}

/** A handle over a pool: Kysely with the closed-guard, and a close() that runs once, then `afterClose`. */
function handleOver(
  pool: pg.Pool,
  kind: DatabaseHandle['kind'],
  postgresUrl: string | null,
  afterClose: () => Promise<void>,
): DatabaseHandle {
  // An idle client losing its server must not crash the process; the next query reports the error.
  pool.on('error', () => {});
  // Nor a client checked out between two queries (a transaction awaiting, a query about to be sent) when the server
  // goes away: the pool listens only to idle clients, and an 'error' nobody listens to is an uncaught exception.
  // The failing query still rejects, and the pool drops the broken client when it comes back.
  pool.on('connect', (client) => {
    client.on('error', () => {});
    if (kind === 'postgres') noteBackend(client);
  });
  pool.on('remove', (client) => forgetBackend(client));
  let closed = false;
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    plugins: [closedGuard(() => closed)],
  });
  connectionsOfDb.set(db, kind === 'pglite' ? 1 : (pool.options.max ?? 10));
  return {
    db,
    kind,
    postgresUrl,
    close: async () => {
      if (closed) return;
      closed = true;
      await db.destroy();
      await afterClose();
    },
  };
}

const connectionsOfDb = new WeakMap<Db, number>();

/** How many statements a handle can run at once: its pool's size (PGlite has one connection). */
export function connectionsOf(db: Db): number {
  return connectionsOfDb.get(db) ?? 1;
}

/**
 * PostgreSQL clients by their server process, so a transaction can find its own client for what Kysely cannot
 * send (COPY FROM STDIN, see pgClientOf). Process ids are unique on one server host; ids that two hosts share
 * are left out rather than guessed.
 */
const clientsByBackend = new Map<number, Set<pg.PoolClient>>();
const backendOf = (client: pg.PoolClient) => (client as { processID?: number | null }).processID ?? null;

function noteBackend(client: pg.PoolClient): void {
  const pid = backendOf(client);
  if (pid === null) return;
  const clients = clientsByBackend.get(pid) ?? new Set();
  clientsByBackend.set(pid, clients.add(client));
}

function forgetBackend(client: pg.PoolClient): void {
  const pid = backendOf(client);
  const clients = pid === null ? undefined : clientsByBackend.get(pid);
  clients?.delete(client);
  if (clients?.size === 0) clientsByBackend.delete(pid!);
}

/**
 * The pg client a transaction runs on, when it is a PostgreSQL server's (null on PGlite, or when it cannot be
 * told for certain): asked for its server process id through the transaction itself, so the caller writes on
 * the transaction's own connection and never on a second one. The caller must await what it sends before the
 * transaction's next statement.
 */
export async function pgClientOf(trx: Kysely<Database>): Promise<pg.PoolClient | null> {
  const r = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
  const clients = clientsByBackend.get(r.rows[0]!.pid);
  if (clients?.size !== 1) return null;
  // Behind a pooler (PgBouncer) the id a client was given at connect is the pooler's, not the server's: a match
  // could be chance. The same transaction id through both roads proves it is this transaction's connection.
  const client = [...clients][0]!;
  const mine = await sql<{ x: string }>`select txid_current()::text as x`.execute(trx);
  const theirs = await client.query<{ x: string }>('select txid_current()::text as x');
  return theirs.rows[0]?.x === mine.rows[0]!.x ? client : null;
}

/**
 * Both backends go through pg.Pool and Kysely's PostgresDialect, so type parsing, errors and savepoints are
 * the same in development and production. PGlite has a single connection: never query `db` inside a
 * transaction callback (use the transaction), or the query waits forever.
 */
export async function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  if (config.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: config.url,
      max: config.poolMax,
      connectionTimeoutMillis: 5000,
    });
    return handleOver(pool, 'postgres', config.url, async () => {});
  }
  const release = config.dataDir ? lockDataDir(config.dataDir) : () => {};
  try {
    const pglite = await PGlite.create(config.dataDir ?? undefined);
    return handleOver(new pg.Pool(createPgConfig(pglite) as pg.PoolConfig), 'pglite', null, async () => {
      await pglite.close();
      release();
    });
  } catch (err) {
    release();
    throw err;
  }
}
