// One measured step of the fieldwork benchmark, in a process of its own so that its peak memory is the step's
// alone. Reads { url, step, waveId, file? } as JSON on stdin; prints { seconds, maxRssMb, startRssMb, detail }.
// Each step calls the service function a survey manager's command calls, so it measures whatever they do now.
import { createReadStream, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { openDatabase } from '../server/db/connect.ts';
import { openListFile } from '../server/fieldwork/distribution-list.ts';
import { importFrameStream } from '../server/fieldwork/frames.ts';
import { waveProgress } from '../server/fieldwork/progress.ts';
import { openWaveRound } from '../server/fieldwork/queue-rounds.ts';
import { drawWaveSample } from '../server/fieldwork/sample.ts';

export type Step = 'import-csv' | 'import-xlsx' | 'draw' | 'open' | 'progress';

const chunks: Buffer[] = [];
for await (const c of process.stdin) chunks.push(c as Buffer);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
  url: string;
  step: Step;
  waveId: string;
  file?: string;
  sampleSize?: number;
};
const actor = { kind: 'cli' } as const;

const handle = await openDatabase({ kind: 'postgres', url: input.url, poolMax: 2 });
try {
  const db = handle.db;
  // What the process holds before the step (Node, tsx, modules, a connection): the floor under the peak.
  const startRssMb = process.memoryUsage().rss / 2 ** 20;
  const t0 = performance.now();
  let detail: Record<string, unknown>;
  switch (input.step) {
    case 'import-csv':
    case 'import-xlsx': {
      const file = input.file!;
      const r = await importFrameStream(
        db,
        input.waveId,
        // Read as `svar frame import` reads it (the default 64 KiB chunks): 1 MiB chunks kept a megabyte of
        // file and its rows alive across each batch and grew the peak with the frame (100 000 → 1 000 000 units:
        // 1.34× instead of 1.12×), a cost of the benchmark's reading, not of the import.
        { stream: createReadStream(file), name: basename(file) },
        actor,
        new Date(),
      );
      detail = { rows: r.rows, added: r.added, languageFallbacks: r.languageFallbacks };
      break;
    }
    case 'draw': {
      const r = await drawWaveSample(
        db,
        input.waveId,
        { size: input.sampleSize!, strata: 'county', allocation: 'proportional', seed: 'bench' },
        actor,
      );
      detail = { strata: (r as { table?: unknown[] }).table?.length, sampleSize: input.sampleSize };
      break;
    }
    case 'open': {
      // As `svar wave open --distribution-list FILE` does it: links issued page by page into the file.
      const path = join(tmpdir(), `svar-bench-links-${process.pid}.csv`);
      const list = await openListFile(path, 'https://svar.example');
      const r = await openWaveRound(db, input.waveId, actor, new Date(), { mail: false, sink: list.sink });
      await list.keep();
      detail = { links: r.listed, listMb: Math.round(statSync(path).size / 2 ** 20) };
      rmSync(path);
      break;
    }
    case 'progress': {
      const rows = await waveProgress(db, input.waveId, 'county');
      detail = { groups: rows.length };
      break;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  // maxRSS is in KiB: the whole process's peak, modules and connection included.
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ seconds, maxRssMb, startRssMb, detail }));
} finally {
  await handle.close();
}
