// `svar translations review <instrument> <version>`: the review workflow's language × status matrix of a
// published version, as the console's overview shows it.
import type { Command } from 'commander';
import { CliUsageError, printResult } from '../cli/output.ts';
import { withDatabase } from '../cli/with-database.ts';
import { translationMatrix } from './service.ts';
import { stringStatuses } from './version-strings.ts';

export function registerTranslationReviewCommand(translations: Command): void {
  translations
    .command('review <instrument> <version>')
    .description(
      'a published version per language: missing, stale, draft, reviewed, approved; may a wave offer it',
    )
    .option('--json', 'print machine-readable JSON')
    .action((instrumentId: string, version: string, o: { json?: boolean }) =>
      withDatabase('require', async (h) => {
        const n = Number(version);
        if (!Number.isInteger(n) || n < 1) throw new CliUsageError(`"${version}" is not a version number`);
        const m = await translationMatrix(h.db, { instrumentId, version: n });
        printResult(!!o.json, m, () =>
          [
            `${m.instrumentId} version ${m.version}: ${m.total} strings`,
            `  lang  ${stringStatuses.map((s) => s.padStart(8)).join(' ')}  wave`,
            ...m.languages.map(
              (l) =>
                `  ${l.locale.padEnd(5)} ${stringStatuses.map((s) => String(l.counts[s]).padStart(8)).join(' ')}  ` +
                (l.offerable
                  ? 'yes'
                  : l.waitingForNextVersion
                    ? `no: ${l.waitingForNextVersion} approved edit(s) wait for the next version`
                    : 'pilot only'),
            ),
          ].join('\n'),
        );
      }),
    );
}
