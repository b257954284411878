// Request parsing glue: JSON bodies and params checked against zod schemas, failures as 400/415/422 problems.
import type { Context } from 'hono';
import type { z } from 'zod';
import { AppError, BadRequestError, type InvalidParam, ValidationError } from './errors.ts';

export function zodIssuesToParams(error: z.ZodError): InvalidParam[] {
  return error.issues.map((i) => ({ name: i.path.join('.') || '(body)', reason: i.message }));
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what = 'request'): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new ValidationError(`The ${what} is not valid.`, zodIssuesToParams(r.error));
  return r.data;
}

/** Reads a JSON body: 415 when it is not JSON, 400 when it does not parse, 422 when it does not fit the schema. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw new AppError(415, 'unsupported_media_type', 'Send the body as application/json.');
  }
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw new BadRequestError('malformed_json', 'The request body is not valid JSON.');
  }
  return parseWith(schema, body, 'request body');
}
