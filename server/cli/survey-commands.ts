// `svar surveys check|publish|diff|import` and `svar translations status|export|import`.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { readConfig } from '../config.ts';
import { archiveOf, archivePath, publishArchive, readArchive, writeArchive } from '../surveys/archive.ts';
import type { Codebook } from '../surveys/codebook.ts';
import { importSurveyJs } from '../surveys/import.ts';
import { checkAll, diffVersions, getVersion, publishInstrument } from '../surveys/service.ts';
import { listInstrumentIds } from '../surveys/source.ts';
import { exportTranslations, importTranslations, translationStatus } from '../surveys/translation-service.ts';
import { type TranslationStatus, translationStatuses } from '../surveys/translations.ts';
import { markWaveVariables } from '../surveys/wave-variables.ts';
import { registerTranslationReviewCommand } from '../translations/cli.ts';
import { fieldChangeLines } from './diff-text.ts';
import { CliUsageError, printResult } from './output.ts';
import { withDatabase } from './with-database.ts';

function instrumentsOrAll(given: string[]): string[] {
  const config = readConfig();
  const all = listInstrumentIds(config.surveysDir);
  const unknown = given.filter((g) => !all.includes(g));
  if (unknown.length)
    throw new CliUsageError(
      `No instrument ${unknown.join(', ')} in ${config.surveysDir} (have: ${all.join(', ')})`,
      'unknown_instrument',
    );
  return given.length ? given : all;
}

function versionNumber(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new CliUsageError(`"${v}" is not a version number`);
  return n;
}

export function registerSurveyCommands(program: Command): void {
  const surveys = program.command('surveys').description('instrument sources and published versions');

  surveys
    .command('check [instrument...]')
    .description('validate sources, expressions, codes and translations (all instruments by default)')
    .option('--json', 'print machine-readable JSON')
    .action((ids: string[], o: { json?: boolean }) => {
      const config = readConfig();
      const instruments = instrumentsOrAll(ids);
      const diagnostics = checkAll(config, instruments);
      printResult(!!o.json, { instruments, ok: diagnostics.length === 0, diagnostics }, () =>
        diagnostics.length
          ? diagnostics.map((d) => `${d.file}: ${d.location}: ${d.message} [${d.code}]`).join('\n') +
            `\n${diagnostics.length} problem(s)`
          : `${instruments.join(', ')}: no problems`,
      );
      if (diagnostics.length) process.exitCode = 1;
    });

  surveys
    .command('publish [instrument...]')
    .description('compile and store a new immutable version (no-op when nothing changed)')
    .option('--from <file...>', 'store archived versions (surveys/<instrument>/versions/<n>.json) instead')
    .option('--json', 'print machine-readable JSON')
    .action((ids: string[], o: { from?: string[]; json?: boolean }) =>
      withDatabase('require', async (h) => {
        const config = readConfig();
        const results: Awaited<ReturnType<typeof publishInstrument>>[] = [];
        if (o.from && ids.length)
          throw new CliUsageError('Give either instruments or --from archives, not both.');
        // Every archive is read (and its digest checked) before anything is stored.
        const archives = (o.from ?? []).map(readArchive);
        for (const a of archives) results.push(await publishArchive(h.db, a, { kind: 'cli' }));
        if (!o.from)
          for (const id of instrumentsOrAll(ids))
            results.push(await publishInstrument(h.db, config, id, { kind: 'cli' }));
        printResult(!!o.json, { published: results }, () =>
          results
            .map(
              (r) =>
                `${r.instrumentId}: version ${r.version} ${r.created ? 'published' : '(unchanged, nothing published)'}`,
            )
            .join('\n'),
        );
      }),
    );

  surveys
    .command('archive <instrument> <version>')
    .description(
      'write a published version, exactly as stored, to surveys/<instrument>/versions/<version>.json',
    )
    .option('--out <file>', 'write here instead')
    .option('--json', 'print machine-readable JSON')
    .action((id: string, v: string, o: { out?: string; json?: boolean }) =>
      withDatabase('require', async (h) => {
        const version = versionNumber(v);
        const archive = await archiveOf(h.db, id, version);
        const file = o.out ?? archivePath(readConfig().surveysDir, id, version);
        const { written } = writeArchive(file, archive);
        printResult(
          !!o.json,
          { instrumentId: id, version, file, written, contentHash: archive.contentHash },
          () => `${id} version ${version} ${written ? 'archived to' : 'is already archived in'} ${file}`,
        );
      }),
    );

  surveys
    .command('diff <instrument> <versionA> <versionB>')
    .description('questions added, removed and changed between two published versions')
    .option('--all-languages', 'show a changed text in every language, not the source language alone')
    .option('--json', 'print machine-readable JSON')
    .action((id: string, a: string, b: string, o: { json?: boolean; allLanguages?: boolean }) =>
      withDatabase('require', async (h) => {
        const diff = await diffVersions(h.db, id, versionNumber(a), versionNumber(b));
        let sourceLocale = '';
        // Each added or removed code with its source-language question text, so a reader sees that a new code
        // asks the same statement with another answer list.
        const titles = new Map<string, string>();
        for (const v of [versionNumber(a), versionNumber(b)]) {
          const codebook = (await getVersion(h.db, id, v)).codebook as unknown as Codebook;
          // A version's first language is its source language.
          sourceLocale = codebook.locales[0] ?? '';
          for (const x of codebook.variables)
            titles.set(x.code, markWaveVariables(x.labels[sourceLocale] ?? '', sourceLocale));
        }
        const titled = (c: string) => (titles.get(c) ? `${c.padEnd(28)} ${titles.get(c)}` : c);
        printResult(
          !!o.json,
          diff,
          () =>
            [
              ...diff.added.map((c) => `+ ${titled(c)}`),
              ...diff.removed.map((c) => `- ${titled(c)}`),
              ...diff.changed.flatMap((c) => [
                `~ ${c.code}`,
                ...fieldChangeLines(c.changes, o.allLanguages ? null : sourceLocale),
              ]),
            ].join('\n') || 'No differences.',
        );
      }),
    );

  surveys
    .command('import <file>')
    .description(
      'bring in a SurveyJS JSON definition written elsewhere (other languages become draft translations)',
    )
    .requiredOption('--instrument <id>', 'id of the new instrument (lowercase letters, digits, -)')
    .option('--source-locale <locale>', "the definition's source language (default: its locale, else en)")
    .option('--unit-type <type>', 'participant | municipality', 'participant')
    .option('--json', 'print machine-readable JSON')
    .action(
      (file: string, o: { instrument: string; sourceLocale?: string; unitType: string; json?: boolean }) => {
        if (o.unitType !== 'participant' && o.unitType !== 'municipality') {
          throw new CliUsageError('--unit-type must be participant or municipality');
        }
        let json: unknown;
        try {
          json = JSON.parse(readFileSync(file, 'utf8'));
        } catch (err) {
          throw new CliUsageError(`${file}: ${(err as Error).message}`, 'invalid_file');
        }
        const config = readConfig();
        const r = importSurveyJs({
          json,
          file,
          instrumentId: o.instrument,
          sourceLocale: o.sourceLocale,
          unitType: o.unitType,
          surveysDir: config.surveysDir,
          localesDir: config.localesDir,
        });
        printResult(!!o.json, r, () =>
          [
            `Imported ${r.questions} question(s) into ${r.instrumentId} (source ${r.sourceLocale})`,
            ...Object.entries(r.translations).map(([l, n]) => `  ${l}: ${n} draft translation(s)`),
            ...(r.codes.length
              ? [`${r.codes.length} name(s) got a new code (the codebook keeps the name):`]
              : []),
            ...r.codes.map(
              (c) =>
                `  ${c.sourceName ? JSON.stringify(c.sourceName) : '(no name)'} → ${c.code}  [${c.reason}]`,
            ),
            ...Object.entries(r.customProperties).map(
              ([cls, props]) =>
                `  kept custom ${cls} propert(ies) survey-core does not know: ${props.join(', ')}`,
            ),
            'Next: svar surveys check, then svar surveys publish',
          ].join('\n'),
        );
      },
    );

  const translations = program.command('translations').description('the translation workflow (TRAPD)');
  registerTranslationReviewCommand(translations);

  translations
    .command('status [instrument...]')
    .description(
      'per instrument and language: missing, stale, draft, reviewed, approved and identical strings',
    )
    .option('--json', 'print machine-readable JSON')
    .action((ids: string[], o: { json?: boolean }) => {
      const status = translationStatus(readConfig(), instrumentsOrAll(ids));
      printResult(!!o.json, { instruments: status }, () =>
        status
          .flatMap((s) => [
            s.instrument,
            '  lang     total missing stale draft reviewed approved identical',
            ...s.languages.map(
              (l) =>
                // Eight wide: the longest code is a script variant (kmr-Arab).
                `  ${l.locale.padEnd(8)} ${String(l.total).padStart(5)} ${String(l.missing).padStart(7)} ${String(l.stale).padStart(5)} ` +
                `${String(l.draft).padStart(5)} ${String(l.reviewed).padStart(8)} ${String(l.approved).padStart(8)} ${String(l.identical).padStart(9)}`,
            ),
          ])
          .join('\n'),
      );
    });

  translations
    .command('export <instrument> <locale>')
    .description('write an XLIFF 2.0 file for translators (stdout, or --out FILE)')
    .option('--out <file>', 'write to this file')
    .action(async (id: string, locale: string, o: { out?: string }) => {
      const xml = await exportTranslations(readConfig(), instrumentsOrAll([id])[0]!, locale);
      if (o.out) writeFileSync(o.out, xml);
      else process.stdout.write(`${xml}\n`);
    });

  translations
    .command('import <file>')
    .description('read an XLIFF 2.0 file back; refused whole if its source strings no longer match')
    .option('--status <status>', `mark every imported string as ${translationStatuses.join(' | ')}`)
    .option('--json', 'print machine-readable JSON')
    .action(async (file: string, o: { status?: string; json?: boolean }) => {
      if (o.status && !translationStatuses.includes(o.status as TranslationStatus)) {
        throw new CliUsageError(`--status must be one of ${translationStatuses.join(', ')}`);
      }
      const r = await importTranslations(readConfig(), file, o.status as TranslationStatus | undefined);
      printResult(
        !!o.json,
        r,
        () => `${r.imported} ${r.locale} string(s) of ${r.instrument} imported into ${r.file}`,
      );
    });
}
