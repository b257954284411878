// A large CSV export from PostgreSQL, formatted by worker threads. Reading a response's answers (JSON) and
// spelling its cells is CPU work for Node, not the database, so one thread is the bottleneck of a national export;
// workers each take a slice of the rows (by response id) on a connection of their own and send back text, which
// is written strictly in slice order. At most `window` slices are in flight, so memory stays bounded however many
// rows there are, and the export no longer holds the API process's event loop for its whole length.
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../workers/start.ts';
import type { CsvOptions } from './csv.ts';
import type { Dataset, DatasetOrigin, DatasetSlice, Sink } from './dataset.ts';

export interface ParallelOptions {
  /** Worker threads; 1 formats in the calling thread. */
  workers: number;
  /** Rows per slice: the unit of work and of buffering (a slice's text is held until its turn to be written). */
  sliceRows: number;
  /** Exports smaller than this are not worth a thread's start-up. */
  fromRows: number;
}

/** The dataset's workers (`SVAR_EXPORT_WORKERS`, none without PostgreSQL), for exports of 20 000 rows or more. */
export function parallelDefaults(dataset: Dataset): ParallelOptions {
  return { workers: dataset.origin?.workers ?? 1, sliceRows: 10_000, fromRows: 20_000 };
}

/** What a worker is started with. */
export interface CsvWorkerData {
  origin: DatasetOrigin;
  csv: CsvOptions;
}

/** Parent → worker: format this slice. Worker → parent: text of a slice, its end, or a failure. */
export type ToWorker = { index: number; slice: DatasetSlice } | { stop: true };
export type FromWorker =
  | { ready: true }
  | { index: number; text: string; rows: number }
  | { index: number; done: true }
  | { error: string };

/** A larger young generation: formatting allocates many short-lived strings, and scavenges dominate otherwise. */
const startCsvWorker = (data: CsvWorkerData) =>
  startWorker(new URL('./csv-worker.ts', import.meta.url), data, { maxYoungGenerationSizeMb: 64 });

/** A worker and the moment it ends, recorded from its start (it may end before anyone asks). */
function started(worker: Worker) {
  return { worker, exited: new Promise<void>((resolve) => worker.once('exit', () => resolve())) };
}

/** Asks a worker to close its connection and end; one that does not within a second is terminated. */
async function stopWorker({ worker, exited }: ReturnType<typeof started>): Promise<void> {
  worker.postMessage({ stop: true } satisfies ToWorker);
  const timer = setTimeout(() => void worker.terminate(), 1000);
  await exited;
  clearTimeout(timer);
}

export async function writeCsvInParallel(
  dataset: Dataset,
  sink: Sink,
  header: string,
  opts: CsvOptions,
  parallel: ParallelOptions,
): Promise<void> {
  const origin = dataset.origin!;
  // Workers take a second or two to load; they start while the slices are measured.
  const workers = Array.from({ length: parallel.workers }, () =>
    started(startCsvWorker({ origin, csv: opts })),
  );
  const slices = await dataset.slices!(parallel.sliceRows).catch(async (err: unknown) => {
    await Promise.all(workers.map(stopWorker));
    throw err;
  });
  const window = workers.length * 2;
  const pending = new Map<number, { chunks: { text: string; rows: number }[]; done: boolean }>();
  let nextToSend = 0;
  let nextToWrite = 0;
  let rowsWritten = 0;
  let writing = Promise.resolve();
  let failed: Error | null = null;

  await sink.write(header);
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error) => {
        if (failed) return;
        failed = err;
        reject(err);
      };
      const idle: Worker[] = [];
      const dispatch = () => {
        while (idle.length && nextToSend < slices.length && nextToSend - nextToWrite < window) {
          const w = idle.shift()!;
          pending.set(nextToSend, { chunks: [], done: false });
          w.postMessage({ index: nextToSend, slice: slices[nextToSend]! } satisfies ToWorker);
          nextToSend += 1;
        }
      };
      // Writes what the slice whose turn it is has produced; moves on when it is complete.
      const drain = () => {
        writing = writing
          .then(async () => {
            for (;;) {
              const head = pending.get(nextToWrite);
              if (!head) break;
              while (head.chunks.length) {
                const chunk = head.chunks.shift()!;
                await sink.write(chunk.text);
                rowsWritten += chunk.rows;
                dataset.onRows?.(rowsWritten);
              }
              if (!head.done) break;
              pending.delete(nextToWrite);
              nextToWrite += 1;
              dispatch();
            }
            if (nextToWrite === slices.length) resolve();
          })
          .catch(fail);
      };
      for (const { worker: w } of workers) {
        w.on('message', (m: FromWorker) => {
          if ('error' in m) return fail(new Error(`export worker: ${m.error}`));
          if ('ready' in m) {
            idle.push(w);
            return dispatch();
          }
          const slot = pending.get(m.index)!;
          if ('done' in m) {
            slot.done = true;
            idle.push(w);
            dispatch();
          } else {
            slot.chunks.push({ text: m.text, rows: m.rows });
          }
          if (m.index === nextToWrite) drain();
        });
        w.on('error', fail);
        w.on('exit', (code) => {
          if (code !== 0 && nextToWrite < slices.length) fail(new Error(`export worker exited with ${code}`));
        });
      }
    });
    await writing;
  } finally {
    await Promise.all(workers.map(stopWorker));
  }
}
