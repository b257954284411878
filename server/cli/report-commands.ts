// `svar report`: municipal fact sheets (HTML or PDF, one or all, with a progress bar) and the regional comparison.
// Output is publishable by default (suppressed as a municipality sees it): fact sheets are made to be sent out.
// `--unsuppressed` shows the operator every figure, marked as not for publication.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { readConfig } from '../config.ts';
import { parseWith } from '../http/validate.ts';
import { reportLanguages } from '../reports/factsheet-language.ts';
import { allFactSheets, factSheetDocument } from '../reports/factsheet-service.ts';
import { regionsDocument, trendDocument } from '../reports/regions-service.ts';
import { CliUsageError, printResult } from './output.ts';
import { withDatabase } from './with-database.ts';

const sheetOptions = z.object({
  wave: z.uuid(),
  municipality: z
    .string()
    .regex(/^\d{4}(\d{2})?$/)
    .optional(),
  all: z.boolean(),
  format: z.enum(['html', 'pdf']),
  lang: z.enum(reportLanguages).optional(),
  out: z.string().min(1).optional(),
  unsuppressed: z.boolean(),
});

const regionOptions = z.object({
  wave: z.uuid(),
  by: z.string().regex(/^[A-Za-z0-9_]+$/),
  format: z.enum(['html', 'csv']),
  lang: z.enum(reportLanguages),
  out: z.string().min(1).optional(),
  unsuppressed: z.boolean(),
});

const trendOptions = regionOptions.omit({ wave: true, by: true }).extend({ waves: z.array(z.uuid()).min(2) });

/** A one-line bar on stderr, redrawn in place: standard output stays free for --json. */
function progressBar(label: string) {
  const width = 30;
  return (done: number, total: number, item = '') => {
    const filled = Math.round((done / Math.max(total, 1)) * width);
    process.stderr.write(
      `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${item.padEnd(6)}`,
    );
    if (done === total) process.stderr.write('\n');
  };
}

function write(out: string | undefined, body: string | Buffer): void {
  if (out) writeFileSync(out, body, { mode: 0o600 });
  else process.stdout.write(body);
}

/** Writes a report to its file (or standard output) and says so. */
function writeDocument(out: string | undefined, body: string, json: boolean): void {
  write(out, body);
  if (out) printResult(json, { file: out }, () => `Wrote ${out}.`);
}

export function registerReportCommands(program: Command): void {
  const report = program.command('report').description('municipal fact sheets and regional comparisons');

  report
    .command('factsheet')
    .description(
      "a municipality's fact sheet (or every municipality's): its answers beside its county and the country",
    )
    .argument('<wave>', 'wave id (participant survey)')
    .option('--municipality <code>', 'municipality (4 digits) or Oslo district (6 digits)')
    .option('--all', 'every municipality (and every Oslo district in the frame), into the folder --out')
    .option('--format <format>', 'html | pdf', 'html')
    .option('--lang <lng>', "nb | nn | en (default: the municipality's official written form)")
    .option('--out <path>', 'file to write (one sheet), or folder (--all)')
    .option('--unsuppressed', 'show every figure, marked not for publication (never send this out)')
    .option('--json', 'print a machine-readable summary')
    .action((wave: string, o: Record<string, string | boolean | undefined>) => {
      const opts = parseWith(
        sheetOptions,
        { ...o, wave, all: o.all === true, unsuppressed: o.unsuppressed === true, json: undefined },
        'options',
      );
      if (!opts.all === !opts.municipality)
        throw new CliUsageError('Give either --municipality CODE or --all.');
      if (opts.all && !opts.out)
        throw new CliUsageError('--all writes one file per municipality: give --out DIR.');
      if (opts.format === 'pdf' && !opts.out && process.stdout.isTTY)
        throw new CliUsageError('A PDF is binary: give --out FILE.');
      const { localesDir } = readConfig();
      const shared = {
        waveId: opts.wave,
        format: opts.format,
        lang: opts.lang,
        viewer: opts.unsuppressed ? ('operator' as const) : ('municipality' as const),
        localesDir,
        now: new Date(),
      };
      return withDatabase('require', async (h) => {
        if (opts.municipality) {
          const doc = await factSheetDocument(h.db, opts.municipality, shared);
          write(opts.out, doc.body);
          if (opts.out) printResult(o.json === true, { file: opts.out }, () => `Wrote ${opts.out}.`);
          return;
        }
        mkdirSync(opts.out!, { recursive: true });
        const bar = progressBar('fact sheets');
        const files: string[] = [];
        const count = await allFactSheets(
          h.db,
          shared,
          async (doc) => {
            const file = join(opts.out!, doc.filename);
            writeFileSync(file, doc.body, { mode: 0o600 });
            files.push(file);
          },
          (done, total) => bar(done, total, files.at(-1)?.match(/-(\d+)-/)?.[1] ?? ''),
        );
        printResult(
          o.json === true,
          { folder: opts.out, files },
          () => `Wrote ${count} fact sheets to ${opts.out}.`,
        );
      });
    });

  report
    .command('regions')
    .description('every closed question by county (or any frame column), with 95 % CIs, suppressed')
    .argument('<wave>', 'wave id')
    .option('--by <column>', 'county | municipality | a column of the frame (e.g. centrality)', 'county')
    .option('--format <format>', 'html | csv', 'html')
    .option('--lang <lng>', 'nb | nn | en', 'nb')
    .option('--out <file>', 'file to write (default: standard output)')
    .option('--unsuppressed', 'show every figure, marked not for publication (never send this out)')
    .option('--json', 'print a machine-readable summary (needs --out)')
    .action((wave: string, o: Record<string, string | boolean | undefined>) => {
      const opts = parseWith(
        regionOptions,
        { ...o, wave, unsuppressed: o.unsuppressed === true, json: undefined },
        'options',
      );
      const { localesDir } = readConfig();
      return withDatabase('require', async (h) => {
        const doc = await regionsDocument(h.db, {
          waveId: opts.wave,
          by: opts.by,
          format: opts.format,
          lang: opts.lang,
          viewer: opts.unsuppressed ? 'operator' : 'municipality',
          localesDir,
          now: new Date(),
        });
        writeDocument(opts.out, doc.body, o.json === true);
      });
    });

  report
    .command('trend')
    .description(
      'questions asked in several waves of one instrument: national shares per wave, wording edits noted',
    )
    .argument('<wave...>', 'two or more wave ids of one instrument')
    .option('--format <format>', 'html | csv', 'html')
    .option('--lang <lng>', 'nb | nn | en', 'nb')
    .option('--out <file>', 'file to write (default: standard output)')
    .option('--unsuppressed', 'show every figure, marked not for publication (never send this out)')
    .option('--json', 'print a machine-readable summary (needs --out)')
    .action((waves: string[], o: Record<string, string | boolean | undefined>) => {
      const opts = parseWith(
        trendOptions,
        { ...o, waves, unsuppressed: o.unsuppressed === true, json: undefined },
        'options',
      );
      const { localesDir } = readConfig();
      return withDatabase('require', async (h) => {
        const doc = await trendDocument(h.db, {
          waveIds: opts.waves,
          format: opts.format,
          lang: opts.lang,
          viewer: opts.unsuppressed ? 'operator' : 'municipality',
          localesDir,
          now: new Date(),
        });
        writeDocument(opts.out, doc.body, o.json === true);
      });
    });
}
