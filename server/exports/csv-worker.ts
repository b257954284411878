// One worker thread of a parallel CSV export (csv-parallel.ts): loads the same dataset on a connection of its own,
// then formats each slice it is sent and posts the text back, batch by batch.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/connect.ts';
import { csvFormatter } from './csv.ts';
import type { CsvWorkerData, FromWorker, ToWorker } from './csv-parallel.ts';
import { loadDataset } from './load.ts';

const { origin, csv } = (workerData as { data: CsvWorkerData }).data;
const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);

const handle = await openDatabase({ kind: 'postgres', url: origin.postgresUrl, poolMax: 2 });
try {
  const { dataset } = await loadDataset(handle.db, origin.waveIds, {
    labelLocale: origin.labelLocale,
    municipalityCode: origin.municipalityCode,
    quality: origin.quality,
    // Smaller batches than a single writer's: fewer rows alive at once, so the young generation's scavenges stay cheap.
    batchSize: 2000,
  });
  const format = csvFormatter(dataset, csv);
  // Slices arrive one at a time; the parent sends the next only when this one is done.
  let queue = Promise.resolve();
  port.on('message', (m: ToWorker) => {
    // Closing the pool and the port leaves the thread nothing to do, so it ends.
    if ('stop' in m) return void queue.then(() => handle.close()).finally(() => port.close());
    queue = queue
      .then(async () => {
        for await (const batch of dataset.batchesIn!(m.slice))
          post({ index: m.index, text: format.rows(batch), rows: batch.length });
        post({ index: m.index, done: true });
      })
      .catch((err: unknown) => post({ error: err instanceof Error ? err.message : String(err) }));
  });
  post({ ready: true });
} catch (err) {
  post({ error: err instanceof Error ? err.message : String(err) });
  await handle.close();
}
