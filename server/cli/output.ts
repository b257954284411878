// How CLI commands print: text for people, --json for other tools, and one failure format with a stable code.
import { AppError } from '../http/errors.ts';

export class CliUsageError extends Error {
  readonly code: string;
  constructor(message: string, code = 'invalid_input') {
    super(message);
    this.code = code;
  }
}

export function printResult(json: boolean, data: unknown, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${text()}\n`);
}

/** Writes a failure and returns the exit code: 2 for bad input, 1 for anything else. */
export function printFailure(err: unknown, json: boolean): number {
  const known = err instanceof AppError || err instanceof CliUsageError || (err as { code?: unknown })?.code;
  const code =
    typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : 'error';
  const message = err instanceof Error ? err.message : String(err);
  const params = err instanceof AppError && err.invalidParams ? err.invalidParams : [];
  if (json)
    process.stdout.write(
      `${JSON.stringify({ error: { code, message, invalid_params: params } }, null, 2)}\n`,
    );
  process.stderr.write(`svar: ${message}\n`);
  for (const p of params) process.stderr.write(`  ${p.name}: ${p.reason}\n`);
  const badInput =
    err instanceof CliUsageError ||
    (err instanceof AppError && err.status >= 400 && err.status < 500 && err.status !== 404);
  if (!known) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
  return badInput ? 2 : 1;
}
