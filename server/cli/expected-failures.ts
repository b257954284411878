// Failures an operator fixes outside Svar (bad configuration, a database that cannot be reached, a port in use)
// become one plain line that says what to do; anything else is left alone, so a real bug still shows its stack.
import { ConfigError, readConfig } from '../config.ts';

/** Printed by printFailure as one line: it has a code, so no stack (unless --debug). */
export class ExpectedFailure extends Error {
  readonly code: string;
  constructor(message: string, code: string, cause: unknown) {
    super(message, { cause });
    this.code = code;
  }
}

/** Errors on the way to the server: the host, the network or the port. */
const unreachable: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is PostgreSQL running and listening on that port?)',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be resolved now',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ECONNRESET: 'the connection was reset',
};

/** PostgreSQL refusing the connection itself: its own message names the user or database. */
const refused = new Set(['28P01', '28000', '3D000', '57P03', '53300']);

/** The error, its causes and an AggregateError's errors (Node's connect tries every address of a host). */
function* chain(err: unknown, depth = 0): Generator<unknown> {
  if (!err || depth > 8) return;
  yield err;
  if (err instanceof AggregateError) for (const e of err.errors) yield* chain(e, depth + 1);
  if (err instanceof Error && err.cause) yield* chain(err.cause, depth + 1);
}

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** host:port of DATABASE_URL, never its user or password. */
function databaseTarget(): string {
  try {
    const db = readConfig().database;
    if (db.kind !== 'postgres') return 'the configured address';
    const u = new URL(db.url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}`;
  } catch {
    return 'the configured address';
  }
}

export function plainFailure(err: unknown): unknown {
  if (err instanceof ConfigError) {
    // "Invalid configuration:\n  PORT: …\n  LOG_LEVEL: …" → one line naming every bad variable.
    const [head, ...lines] = err.message.split('\n');
    const what = lines.map((l) => l.trim()).join('; ');
    return new ExpectedFailure(
      `${head?.replace(/:$/, '').toLowerCase()}: ${what} (fix the environment variable${lines.length > 1 ? 's' : ''})`,
      'invalid_configuration',
      err,
    );
  }
  for (const e of chain(err)) {
    const code = codeOf(e);
    if (code && code in unreachable) {
      return new ExpectedFailure(
        `cannot reach PostgreSQL at ${databaseTarget()} given by DATABASE_URL: ${unreachable[code]}`,
        'database_unreachable',
        err,
      );
    }
    if (code && refused.has(code)) {
      return new ExpectedFailure(
        `PostgreSQL at ${databaseTarget()} given by DATABASE_URL refused the connection: ${(e as Error).message}`,
        'database_refused',
        err,
      );
    }
    if ((code === 'EADDRINUSE' || code === 'EACCES') && (e as { syscall?: string }).syscall === 'listen') {
      const { address, port } = e as { address?: string; port?: number };
      const why = code === 'EADDRINUSE' ? 'is already in use' : 'needs privileges this process lacks';
      return new ExpectedFailure(
        `cannot listen on ${address ?? 'the host'}:${port ?? '?'}: the port ${why} (set PORT or HOST, or stop the other server)`,
        'cannot_listen',
        err,
      );
    }
  }
  return err;
}
