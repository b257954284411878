// Worker threads that run TypeScript like the rest of Svar: boot.mjs registers tsx in the thread, then imports
// the entry. Its data is `workerData.data`.
import { type ResourceLimits, Worker } from 'node:worker_threads';

export function startWorker(entry: URL, data: unknown, resourceLimits?: ResourceLimits): Worker {
  return new Worker(new URL('./boot.mjs', import.meta.url), {
    workerData: { entry: entry.href, data },
    ...(resourceLimits ? { resourceLimits } : {}),
  });
}
