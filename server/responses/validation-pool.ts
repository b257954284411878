// Where survey-core's full pass at submit runs: a pool of worker threads, so the ~50 ms it takes per submit does not
// stall every other respondent's save on the event loop (and, on PGlite's single connection, everything).
//
// piscina rather than tinypool: both are forks of one design, but piscina is built for servers (a bounded queue,
// a close() that lets running tasks finish, thread priority), kept by Node.js core contributors, and has no
// dependency; tinypool trims exactly those parts to serve test runners.
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { AppError } from '../http/errors.ts';
import type { SubmitCheck, SubmitVerdict } from './submit-check.ts';

export type SubmitValidator = (check: SubmitCheck) => Promise<SubmitVerdict>;

let pool: Piscina | null = null;

/**
 * Submits waiting per thread before new ones are turned away: about 5 s of work at ~50 ms each. Past that a
 * submit would wait longer than a respondent does; a prompt 503 with Retry-After lets the page try again.
 */
const queuedPerThread = 100;
const busy = () =>
  new AppError(
    503,
    'submit_busy',
    'Many answers are being sent right now. Try again in a moment.',
    undefined,
    {
      'retry-after': '5',
    },
  );

/**
 * The full pass in a pool of `workers` threads (SVAR_SUBMIT_WORKERS), created on the first submit and kept for the
 * life of the process; 0 runs it here, on the event loop, as tools and tests that serve nobody meanwhile may.
 * The pool is one per process: the size of the first call holds.
 */
export function submitValidator(workers: number): SubmitValidator {
  if (workers <= 0) return validateOnEventLoop;
  return (check) => {
    pool ??= new Piscina({
      filename: fileURLToPath(new URL('../workers/pool-boot.mjs', import.meta.url)),
      workerData: { entry: new URL('./submit-worker.ts', import.meta.url).href },
      // Threads are started once and kept: starting one (tsx, survey-core) costs far more than a validation.
      minThreads: workers,
      maxThreads: workers,
      // Below the event loop's priority: on a busy machine a save preempts a validation, not the reverse.
      niceIncrement: 10,
    });
    if (pool.queueSize >= queuedPerThread * pool.maxThreads) return Promise.reject(busy());
    return pool.run(check) as Promise<SubmitVerdict>;
  };
}

export const validateOnEventLoop: SubmitValidator = async (check) =>
  // Loaded on demand: a server that validates in the pool never loads survey-core on its main thread.
  (await import('./submit-check.ts')).checkSubmission(check);

/** Lets running validations finish, then stops the threads (server shutdown). */
export async function closeSubmitValidation(): Promise<void> {
  const closing = pool;
  pool = null;
  await closing?.close();
}
