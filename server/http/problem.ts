// RFC 9457 problem+json: the one place where errors become HTTP responses.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';
import { AppError, type InvalidParam, isDatabaseUnavailable, isUnstorableText } from './errors.ts';

const titles: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export interface Problem {
  status: number;
  code: string;
  detail: string;
  invalidParams?: InvalidParam[] | undefined;
  headers?: Record<string, string> | undefined;
  extensions?: Record<string, unknown> | undefined;
}

export function problemResponse(c: Context, p: Problem): Response {
  const body = {
    type: `urn:svar:problem:${p.code}`,
    title: titles[p.status] ?? 'Error',
    status: p.status,
    detail: p.detail,
    instance: new URL(c.req.url).pathname,
    code: p.code,
    requestId: c.get('requestId') as string | undefined,
    ...(p.invalidParams ? { invalid_params: p.invalidParams } : {}),
    ...p.extensions,
  };
  return c.body(JSON.stringify(body), p.status as ContentfulStatusCode, {
    'content-type': 'application/problem+json; charset=utf-8',
    ...p.headers,
  });
}

/** Maps anything thrown to a problem; unknown errors are logged and never echoed. */
export function toProblem(err: unknown, logger: Logger, requestId: string | undefined): Problem {
  if (err instanceof AppError) {
    return {
      status: err.status,
      code: err.code,
      detail: err.message,
      invalidParams: err.invalidParams,
      headers: err.headers,
      extensions: err.extensions,
    };
  }
  if (isDatabaseUnavailable(err)) {
    logger.error({ err, requestId }, 'database unavailable');
    return {
      status: 503,
      code: 'database_unavailable',
      detail: 'The database cannot be reached. Try again shortly.',
      // Clients (the respondent page's outbox among them) wait this long before trying again.
      headers: { 'retry-after': '5' },
    };
  }
  if (isUnstorableText(err)) {
    return {
      status: 400,
      code: 'invalid_characters',
      detail: 'The request holds a character that cannot be stored (a NUL byte or \\u0000).',
    };
  }
  if (err instanceof HTTPException && err.status < 500) {
    return {
      status: err.status,
      code: `http_${err.status}`,
      detail: err.message || titles[err.status] || 'Error',
    };
  }
  logger.error({ err, requestId }, 'unhandled error');
  return {
    status: 500,
    code: 'internal_error',
    detail: 'Something went wrong on our side. It has been logged.',
  };
}
