// One export of the export benchmark, in a process of its own so that its peak memory is the export's alone.
// Reads { url, waveId, format, out } as JSON on stdin; prints { available, seconds, rows, bytes, maxRssMb }.
import { once } from 'node:events';
import { createWriteStream, statSync } from 'node:fs';
import { readConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/connect.ts';
import type { Dataset, Sink } from '../server/exports/dataset.ts';
import { loadDataset } from '../server/exports/load.ts';

type Writer = (dataset: Dataset, sink: Sink) => Promise<void>;

const chunks: Buffer[] = [];
for await (const c of process.stdin) chunks.push(c as Buffer);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
  url: string;
  waveId: string;
  format: 'csv' | 'sav' | 'parquet';
  out: string;
};

/** The writer of a format, or null while its module is not written yet (its owners are writing it now). */
async function writerOf(format: string): Promise<Writer | null> {
  const modules: Record<string, [string, string]> = {
    csv: ['../server/exports/csv.ts', 'writeCsv'],
    sav: ['../server/exports/sav.ts', 'writeSav'],
    parquet: ['../server/exports/parquet.ts', 'writeParquet'],
  };
  const [path, name] = modules[format]!;
  try {
    const mod = (await import(path)) as Record<string, Writer | undefined>;
    return mod[name] ?? null;
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return null;
    throw err;
  }
}

/** A file sink that honours back-pressure, as an HTTP response does. */
function fileSink(path: string) {
  const stream = createWriteStream(path, { highWaterMark: 1 << 20 });
  const sink: Sink = {
    async write(chunk) {
      if (!stream.write(chunk)) await once(stream, 'drain');
    },
  };
  return { sink, close: () => new Promise<void>((r) => stream.end(r)) };
}

const write = await writerOf(input.format);
if (!write) {
  process.stdout.write(JSON.stringify({ available: false }));
} else {
  const handle = await openDatabase({ kind: 'postgres', url: input.url, poolMax: 2 });
  try {
    // What the process holds before exporting (Node, tsx, modules, a connection): the floor under the peak.
    const startRssMb = process.memoryUsage().rss / 2 ** 20;
    const t0 = performance.now();
    const { dataset } = await loadDataset(handle.db, [input.waveId], {
      labelLocale: 'nb',
      postgresUrl: handle.postgresUrl,
      workers: readConfig().exportWorkers,
    });
    const file = fileSink(input.out);
    await write(dataset, file.sink);
    await file.close();
    const seconds = (performance.now() - t0) / 1000;
    process.stdout.write(
      JSON.stringify({
        available: true,
        seconds,
        rows: dataset.rowCount,
        columns: dataset.columns.length,
        bytes: statSync(input.out).size,
        // maxRSS is in KiB: the whole process's peak, modules and connection included.
        maxRssMb: process.resourceUsage().maxRSS / 1024,
        startRssMb,
      }),
    );
  } finally {
    await handle.close();
  }
}
