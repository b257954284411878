// The few error classes the domain throws; each carries its HTTP status and a stable machine-readable code.

export interface InvalidParam {
  name: string;
  reason: string;
}

export class AppError extends Error {
  /** RFC 9457 extension members a client acts on (e.g. the conflicting answers of a save). */
  extensions?: Record<string, unknown>;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly invalidParams?: InvalidParam[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  with(extensions: Record<string, unknown>): this {
    this.extensions = { ...this.extensions, ...extensions };
    return this;
  }
}

export class BadRequestError extends AppError {
  constructor(code: string, message: string, invalidParams?: InvalidParam[]) {
    super(400, code, message, invalidParams);
  }
}

export class ValidationError extends AppError {
  constructor(message: string, invalidParams: InvalidParam[], code = 'validation_failed') {
    super(422, code, message, invalidParams);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Log in or send an API token.', code = 'unauthenticated') {
    super(401, code, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Your role does not allow this.', code = 'forbidden') {
    super(403, code, message);
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Nothing here.', code = 'not_found') {
    super(404, code, message);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string) {
    super(409, code, message);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(message: string, retryAfterSeconds: number) {
    super(429, 'too_many_requests', message, undefined, { 'retry-after': String(retryAfterSeconds) });
  }
}

/** PostgreSQL error codes and connection failures that mean "the database cannot be reached". */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code === 'database_closed') return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE'].includes(code))
      return true;
    // Class 08: connection exception; 57P01-57P03: admin shutdown, crash shutdown, cannot connect now.
    if (code.startsWith('08') || ['57P01', '57P02', '57P03'].includes(code)) return true;
  }
  return /Connection terminated|timeout exceeded when trying to connect|PGlite is closed|Cannot use a pool after calling end|is not queryable/i.test(
    err.message,
  );
}

/**
 * Text PostgreSQL cannot store or compare, sent by a client: a NUL byte (22021) or a \u0000 escape in JSON (22P05).
 * Any text a request carries into SQL may hold one, so it is mapped once here rather than checked at every field.
 */
export function isUnstorableText(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === '22021' || code === '22P05';
}

/** Unique violations translated at one named seam. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: unknown; constraint?: unknown };
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}
