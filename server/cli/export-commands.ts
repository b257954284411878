// `svar export`: one or several waves of one instrument to a file in any format analysts open, streamed in
// constant memory with a progress line on stderr.

import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { readConfig } from '../config.ts';
import type { Sink } from '../exports/dataset.ts';
import { exportFormats } from '../exports/formats.ts';
import { prepareExport } from '../exports/service.ts';
import { parseWith } from '../http/validate.ts';
import { printResult } from './output.ts';
import { withDatabase } from './with-database.ts';

const optionsSchema = z.object({
  waves: z.array(z.uuid()).min(1),
  format: z.enum(exportFormats),
  labels: z.enum(['nb', 'nn', 'en']),
  out: z.string().min(1).optional(),
  bom: z.boolean(),
  delimiter: z.enum([',', ';']),
  valueLabels: z.boolean(),
});

/** A sink over a Node stream that waits when the stream asks it to (backpressure), so memory stays flat. */
function streamSink(out: WriteStream | NodeJS.WriteStream): Sink & { bytes: number } {
  const sink = {
    bytes: 0,
    async write(chunk: string | Uint8Array) {
      sink.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
      if (!out.write(chunk)) await once(out, 'drain');
    },
  };
  return sink;
}

export function registerExportCommands(program: Command): void {
  program
    .command('export')
    .description('export the responses of one or several waves of one instrument (aligned by question code)')
    .argument('<wave...>', 'wave ids')
    .requiredOption('--format <format>', exportFormats.join(' | '))
    .option('--labels <lng>', 'language of variable and value labels: nb | nn | en', 'nb')
    .option('--out <file>', 'write to this file (default: standard output)')
    .option('--bom', 'CSV: begin with a byte order mark (Excel)')
    .option('--delimiter <char>', 'CSV: , or ; (Norwegian Excel)', ',')
    .option('--value-labels', 'CSV and XLSX: label text instead of codes')
    .option('--json', 'print a machine-readable summary (needs --out)')
    .action((waves: string[], o: Record<string, string | boolean | undefined>) => {
      const opts = parseWith(
        optionsSchema,
        {
          waves,
          format: o.format,
          labels: o.labels,
          out: o.out,
          bom: o.bom === true,
          delimiter: o.delimiter,
          valueLabels: o.valueLabels === true,
        },
        'options',
      );
      return withDatabase('require', async (h) => {
        const prepared = await prepareExport(
          h.db,
          {
            waveIds: opts.waves,
            format: opts.format,
            labelLocale: opts.labels,
            csv: { bom: opts.bom, delimiter: opts.delimiter, valueLabels: opts.valueLabels },
          },
          { principal: { role: 'operator', municipalityCode: null }, actor: { kind: 'cli' } },
          new Date(),
          { postgresUrl: h.postgresUrl, workers: readConfig().exportWorkers },
        );
        const file = opts.out ? createWriteStream(opts.out, { mode: 0o600 }) : process.stdout;
        const sink = streamSink(file);
        const started = Date.now();
        let shown = 0;
        await prepared.write(sink, (done, total) => {
          // A progress line for large exports, on stderr so standard output stays the file.
          if (total >= 10_000 && Date.now() - shown > 1000) {
            shown = Date.now();
            process.stderr.write(`\r${done.toLocaleString('en')} / ${total.toLocaleString('en')} rows`);
          }
        });
        if (shown) process.stderr.write('\n');
        if (file !== process.stdout) {
          (file as WriteStream).end();
          await once(file, 'close');
          const summary = {
            file: opts.out,
            format: opts.format,
            rows: prepared.rows,
            bytes: sink.bytes,
            seconds: (Date.now() - started) / 1000,
          };
          printResult(o.json === true, summary, () => `Wrote ${summary.rows} rows to ${summary.file}.`);
        }
      });
    });
}
