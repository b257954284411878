// `svar estimate`: a wave's design-based shares or mean, with SEs, 95 % intervals and unweighted counts.
import type { Command } from 'commander';
import { z } from 'zod';
import { parseWith } from '../http/validate.ts';
import { waveEstimates } from '../reports/estimates.ts';
import { suppressEstimates } from '../reports/estimates-suppression.ts';
import { estimatesTable } from '../reports/estimates-text.ts';
import { printResult } from './output.ts';
import { withDatabase } from './with-database.ts';

const optionsSchema = z.object({
  wave: z.uuid(),
  var: z.string().min(1),
  by: z
    .string()
    .regex(/^[A-Za-z0-9_]+$/)
    .optional(),
  labels: z.enum(['nb', 'nn', 'en']),
});

export function registerEstimateCommands(program: Command): void {
  program
    .command('estimate')
    .description(
      'shares of every answer category (or a mean) with SEs and 95 % CIs from the stratified design',
    )
    .argument('<wave>', 'wave id')
    .requiredOption('--var <code>', 'the variable: a question code or an export column')
    .option(
      '--by <breakdown>',
      'county | municipality | language | stratum | the strata column | a coded column',
    )
    .option('--labels <lng>', 'language of labels: nb | nn | en', 'nb')
    .option('--json', 'print machine-readable JSON')
    .action((wave: string, o: { var?: string; by?: string; labels?: string; json?: boolean }) => {
      const opts = parseWith(optionsSchema, { wave, var: o.var, by: o.by, labels: o.labels }, 'options');
      return withDatabase('require', async (h) => {
        const result = await waveEstimates(h.db, opts.wave, {
          variable: opts.var,
          by: opts.by ?? null,
          labelLocale: opts.labels,
        });
        // The operator at the console sees unsuppressed figures, like an analyst.
        const shown = suppressEstimates(result, 'operator');
        printResult(o.json === true, shown, () => estimatesTable(shown));
      });
    });
}
