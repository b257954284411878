// `svar wave quality <wave>`: a wave's data-quality flags and the questions to send back to translation review.
import type { Command } from 'commander';
import { z } from 'zod';
import { type QualityReport, waveQuality } from '../exports/quality-report.ts';
import { parseWith } from '../http/validate.ts';
import { printResult } from './output.ts';
import { withDatabase } from './with-database.ts';

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
const measureNames = { item_nonresponse: 'item nonresponse', dont_know: "don't know" } as const;

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `  ${r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}`.trimEnd());
}

/** The report for people: flag counts, then the table of translation-review flags. */
export function qualityText(r: QualityReport): string {
  const f = r.flags;
  const pages = f.breakoff.byPage.map((p) => `${p.page} ${p.count}`).join(', ');
  const review = r.translationReview;
  const lines = [
    `${r.wave.name} (${r.wave.instrumentId} v${r.wave.version}): ${r.responses.total} responses, ${r.responses.completed} completed, ${r.responses.inProgress} in progress`,
    'Per response (columns qf_* in the export; no response is dropped):',
    ...table([
      ['speeding', `${f.speeding.flagged} of ${f.speeding.judged} completed`],
      ['straight-lining', `${f.straightlining.flagged} of ${f.straightlining.judged} with a grid`],
      [
        `item nonresponse > ${percent(f.highItemNonresponse.threshold)}`,
        `${f.highItemNonresponse.flagged} of ${f.highItemNonresponse.judged}`,
      ],
      ['broke off', `${f.breakoff.count}${pages ? ` (${pages})` : ''}`],
    ]),
    `Translation review: ${review.flagged.length} flagged of ${review.tests.length} tests (each language vs the others pooled, Holm-adjusted p < ${review.alpha}, difference ≥ ${review.minDifference * 100} points, n ≥ ${review.minN})`,
  ];
  if (review.flagged.length)
    lines.push(
      ...table([
        ['question', 'page', 'measure', 'language', 'n', 'rate', 'others', 'z', 'adjusted p'],
        ...review.flagged.map((t) => [
          t.code,
          t.page,
          measureNames[t.measure],
          t.locale,
          String(t.n),
          percent(t.rate),
          percent(t.othersRate),
          t.z.toFixed(2),
          t.pAdjusted < 0.0001 ? '< 0.0001' : t.pAdjusted.toFixed(4),
        ]),
      ]),
    );
  return lines.join('\n');
}

export function registerQualityCommands(program: Command): void {
  // `wave` is the fieldwork command group (fieldwork-commands.ts); made here only if that was not registered.
  const wave =
    program.commands.find((c) => c.name() === 'wave') ??
    program.command('wave').description('waves: one round of fieldwork on one published version');
  wave
    .command('quality <wave>')
    .description(
      'data quality: speeding, straight-lining, item nonresponse, break-off; languages to review the translation of',
    )
    .option('--json', 'print the full report as JSON')
    .action((id: string, o: { json?: boolean }) => {
      const waveId = parseWith(z.uuid(), id, 'wave id');
      return withDatabase('require', async (h) => {
        const report = await waveQuality(h.db, waveId);
        printResult(!!o.json, report, () => qualityText(report));
      });
    });
}
