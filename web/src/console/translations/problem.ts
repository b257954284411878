// The workflow's own refusals in the console's language: the server's words are English, and these codes are
// the ones a translator meets in daily work.
import type { TFunction } from 'i18next';
import { ProblemError } from '../api.ts';

export function localizedProblem(error: unknown, t: TFunction<'console-translations'>): unknown {
  if (!(error instanceof ProblemError)) return error;
  const own = t(`problem.${error.code}`, { defaultValue: '' });
  return own ? new ProblemError(error.status, error.code, own, error.detail) : error;
}
