// `svar wave …`, `svar frame import` and `svar sample draw`: a survey manager's fieldwork from the command line.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { readConfig } from '../config.ts';
import { operatorViewer, sectionProgress, waveDelegations } from '../delegation/overview.ts';
import { type ListSink, openListFile } from '../fieldwork/distribution-list.ts';
import { buildMunicipalFrame, type FrameImportResult, importFrameStream } from '../fieldwork/frames.ts';
import { reissueLink, relistRound } from '../fieldwork/links.ts';
import {
  type ProgressBy,
  progressBreakdowns,
  type UnitBreakdown,
  waveProgress,
} from '../fieldwork/progress.ts';
import { countFrameUnits } from '../fieldwork/progress-queries.ts';
import * as q from '../fieldwork/queries.ts';
import { listRounds } from '../fieldwork/queue-round-queries.ts';
import { openWaveRound, remindRound } from '../fieldwork/queue-rounds.ts';
import { drawWaveSample } from '../fieldwork/sample.ts';
import { spreadsSchema } from '../fieldwork/sample-spreads.ts';
import { requireSmtp } from '../fieldwork/send.ts';
import {
  failIfSendStopped,
  parseSendFlags,
  sendWithProgress,
  summaryText,
} from '../fieldwork/send-progress.ts';
import { closeWave, createWave, purgeContacts } from '../fieldwork/service.ts';
import { requireWave } from '../fieldwork/wave-lock.ts';
import { parseWith } from '../http/validate.ts';
import { delegationTable, sectionProgressTable } from './delegation-text.ts';
import { CliUsageError, printResult } from './output.ts';
import { closeReportText } from './wave-close-text.ts';
import { withDatabase } from './with-database.ts';

const cli = { kind: 'cli' } as const;
const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const createSchema = z.object({
  instrumentId: z.string().min(1),
  version: z.coerce.number().int().positive(),
  name: z.string().trim().min(1).max(200),
  mode: z.enum(['census', 'sample']),
  locales: z.array(z.string().min(2)).min(1),
  allowDraftLocales: z.boolean(),
  smallCellK: z.coerce.number().int().min(2).max(100).optional(),
  opensAt: z.coerce.date().nullish(),
  closesAt: z.coerce.date().nullish(),
  themes: z.array(z.string().min(1)).min(1).optional(),
});

function run<T>(
  json: boolean | undefined,
  fn: (db: Parameters<Parameters<typeof withDatabase>[1]>[0]['db']) => Promise<T>,
  text: (r: T) => string,
) {
  return withDatabase('require', async (h) => {
    const r = await fn(h.db);
    printResult(!!json, r, () => text(r));
  });
}

type RoundFlags = {
  distributionList?: string;
  send?: boolean;
  rate?: string;
  concurrency?: string;
  json?: boolean;
};

/** Issues a round (or a round again) into the list file page by page; the file is kept only if the round commits. */
async function issueIntoList<R>(
  file: string | undefined,
  publicBaseUrl: string,
  issue: (sink: ListSink) => Promise<R>,
): Promise<R> {
  const list = file ? await openListFile(file, publicBaseUrl) : null;
  let r: R;
  try {
    r = await issue(list?.sink ?? (async () => {}));
  } catch (err) {
    await list?.discard();
    throw err;
  }
  await list?.keep();
  return r;
}

/** `wave open` and `wave remind`: issue the round (refused up front when --send cannot send), list, then send. */
function roundCommand(id: string, o: RoundFlags, issue: typeof openWaveRound, what: string) {
  const config = readConfig();
  if (!o.distributionList && !o.send)
    throw new CliUsageError('Give --distribution-list FILE and/or --send: the links are shown only once.');
  if (o.send) requireSmtp(config);
  const flags = o.send ? parseSendFlags(o) : null;
  return run(
    o.json,
    async (db) => {
      const r = await issueIntoList(o.distributionList, config.publicBaseUrl, (sink) =>
        issue(db, id, cli, new Date(), { mail: !!o.send, sink, paths: config }),
      );
      const unlisted = o.distributionList ? 0 : r.listed;
      const mail = flags ? await sendWithProgress(db, config, id, flags) : null;
      if (mail) failIfSendStopped(mail, config, `Round ${r.round} was issued; `);
      return {
        waveId: id,
        round: r.round,
        links: r.listed,
        queued: r.queued,
        unlisted,
        distributionList: o.distributionList ?? null,
        mail,
        themesForYear: r.themesForYear ?? null,
      };
    },
    (r) =>
      [
        ...(r.themesForYear
          ? [
              `Opening in ${r.themesForYear.year}, the wave runs that year's plan: ${(r.themesForYear.modules ?? ['every module']).join(' ')}`,
            ]
          : []),
        `${what}: round ${r.round ?? '–'}, ${r.links} link(s)${r.distributionList ? ` in ${r.distributionList}` : ''}, ${r.queued} mail(s) queued`,
        ...(r.unlisted
          ? [
              `${r.unlisted} unit(s) without e-mail are in no list: \`svar wave links ${id} --round ${r.round} --distribution-list FILE\``,
            ]
          : []),
        ...(r.mail ? [summaryText(r.mail)] : []),
      ].join('\n'),
  );
}

function frameImportText(waveId: string, r: FrameImportResult): string {
  const lines = [`${r.rows} row(s): ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged`];
  for (const [language, n] of Object.entries(r.languageFallbacks))
    lines.push(
      `${n} unit(s) in '${language}', which the wave does not offer: invited in ${r.fallbackLanguage}`,
    );
  if (r.sampleCleared)
    lines.push(
      `The frame changed under the drawn sample, so the draw was cleared: svar sample draw ${waveId} …`,
    );
  return lines.join('\n');
}

/** `svar frame import`'s progress on stderr: one line rewritten in a terminal, a line per 100 000 rows in a log. */
function rowsReadLine() {
  const tty = process.stderr.isTTY;
  let last = 0;
  let shown = 0;
  return {
    update(rows: number) {
      const now = Date.now();
      if (tty ? now - last < 200 : Math.floor(rows / 100_000) === Math.floor(shown / 100_000)) return;
      last = now;
      shown = rows;
      process.stderr.write(`${tty ? '\r' : ''}${rows.toLocaleString('en-US')} rows read${tty ? '' : '\n'}`);
    },
    done() {
      if (tty && shown > 0) process.stderr.write('\n');
    },
  };
}

export function registerFieldworkCommands(program: Command): void {
  const wave = program.command('wave').description('waves: one round of fieldwork on one published version');

  wave
    .command('create')
    .description('create a draft wave')
    .requiredOption('--instrument <id>', 'instrument')
    .requiredOption('--version <n>', 'published version to pin')
    .requiredOption('--name <name>', 'name of the wave')
    .option('--mode <mode>', 'census | sample', 'census')
    .option('--locales <list>', 'languages offered, comma-separated', 'nb,nn')
    .option('--allow-draft-languages', 'pilot: allow languages whose translation is only a draft')
    .option('--opens <time>', 'ISO time the wave opens')
    .option('--closes <time>', 'ISO time the wave closes')
    .option(
      '--themes <list>',
      "theme modules to run instead of the rotation plan's for the year, comma-separated",
    )
    .option(
      '--small-cell-k <k>',
      'suppress aggregates of fewer than K respondents for municipality users',
      '5',
    )
    .option('--json', 'print machine-readable JSON')
    .action((o: Record<string, string | boolean | undefined>) => {
      const input = parseWith(
        createSchema,
        {
          instrumentId: o.instrument,
          version: o.version,
          name: o.name,
          mode: o.mode,
          locales: list(String(o.locales)),
          allowDraftLocales: !!o.allowDraftLanguages,
          smallCellK: o.smallCellK,
          opensAt: o.opens ?? null,
          closesAt: o.closes ?? null,
          themes: o.themes === undefined ? undefined : list(String(o.themes)),
        },
        'wave',
      );
      return run(
        o.json as boolean,
        (db) => createWave(db, input, cli, { paths: readConfig(), now: new Date() }),
        (w) =>
          `Created wave ${w.id} (${w.mode}, ${w.locales.join(' ')})` +
          (w.modules ? `\nModules: ${w.modules.join(' ')}` : ''),
      );
    });

  wave
    .command('list')
    .option('--json', 'print machine-readable JSON')
    .action((o: { json?: boolean }) =>
      run(
        o.json,
        (db) => q.listWaves(db),
        (rows) =>
          rows
            .map(
              (w) =>
                `${w.id}  ${w.status.padEnd(6)} ${w.mode.padEnd(6)} ${w.instrument_id} v${w.version}  ${w.name}`,
            )
            .join('\n') || 'No waves.',
      ),
    );

  wave
    .command('show <wave>')
    .option('--json', 'print machine-readable JSON')
    .action((id: string, o: { json?: boolean }) =>
      run(
        o.json,
        async (db) => {
          const w = await requireWave(db, id);
          return { ...w, ...(await countFrameUnits(db, id)) };
        },
        (w) =>
          `${w.name}\n  status ${w.status}, mode ${w.mode}, languages ${w.locales.join(' ')}\n  units ${w.units}, selected ${w.selected}`,
      ),
    );

  wave
    .command('open <wave>')
    .description(
      'open the wave: one link per selected unit in the distribution list, or with --send a queued mail per unit with an e-mail address',
    )
    .option(
      '--distribution-list <file>',
      'write the CSV for the mail/SMS provider (with --send: units without e-mail)',
    )
    .option('--send', 'queue and send invitation e-mails (SMTP_URL); `svar wave send` resumes')
    .option('--rate <n/s>', 'mails per second (default SVAR_MAIL_RATE)')
    .option('--concurrency <k>', 'mails in flight at once (default SVAR_MAIL_CONCURRENCY)')
    .option('--json', 'print machine-readable JSON')
    .action((id: string, o: RoundFlags) => roundCommand(id, o, openWaveRound, 'Opened'));

  wave
    .command('remind <wave>')
    .description('a reminder round for units that have not completed and have not opted out')
    .option(
      '--distribution-list <file>',
      'write the CSV for the mail/SMS provider (with --send: units without e-mail)',
    )
    .option('--send', 'queue and send reminder e-mails (SMTP_URL); `svar wave send` resumes')
    .option('--rate <n/s>', 'mails per second (default SVAR_MAIL_RATE)')
    .option('--concurrency <k>', 'mails in flight at once (default SVAR_MAIL_CONCURRENCY)')
    .option('--json', 'print machine-readable JSON')
    .action((id: string, o: RoundFlags) => roundCommand(id, o, remindRound, 'Reminder round'));

  wave
    .command('send <wave>')
    .description(
      "send or resume the wave's mail queue: pending mail, retries that are due, mail a crash left in doubt",
    )
    .option('--rate <n/s>', 'mails per second (default SVAR_MAIL_RATE)')
    .option('--concurrency <k>', 'mails in flight at once (default SVAR_MAIL_CONCURRENCY)')
    .option('--no-wait', 'leave retries that are not yet due to a later run')
    .option('--json', 'print machine-readable JSON')
    .action((id: string, o: { rate?: string; concurrency?: string; wait?: boolean; json?: boolean }) => {
      const config = readConfig();
      requireSmtp(config);
      const flags = parseSendFlags(o);
      return run(
        o.json,
        async (db) =>
          failIfSendStopped(
            await sendWithProgress(db, config, id, { ...flags, wait: o.wait !== false }),
            config,
          ),
        summaryText,
      );
    });

  wave
    .command('links <wave>')
    .description(
      "the wave's rounds; with --round, that round's distribution list again: new links for its units that were not mailed and did not open theirs, the old ones revoked",
    )
    .option('--round <n>', 'the round whose list is produced again')
    .option('--distribution-list <file>', 'write the CSV here (the new links are shown only now)')
    .option('--json', 'print machine-readable JSON')
    .action((id: string, o: { round?: string; distributionList?: string; json?: boolean }) => {
      const config = readConfig();
      if (o.round === undefined)
        return run(
          o.json,
          async (db) => (await requireWave(db, id)) && listRounds(db, id),
          (rows) =>
            rows
              .map(
                (r) =>
                  `round ${r.number}  ${r.kind.padEnd(10)} ${r.created_at.toISOString()}  ${r.live_links} live link(s), ${r.queued} mail(s) queued, ${r.mailed} sent`,
              )
              .join('\n') || 'No rounds.',
        );
      const round = parseWith(z.coerce.number().int().positive(), o.round, 'round');
      const file = o.distributionList;
      if (!file) throw new CliUsageError('Give --distribution-list FILE: the new links are shown only once.');
      return run(
        o.json,
        async (db) => {
          const r = await issueIntoList(file, config.publicBaseUrl, (sink) =>
            relistRound(db, id, round, cli, new Date(), sink),
          );
          return {
            waveId: id,
            round,
            kind: r.kind,
            links: r.listed,
            opened: r.opened,
            distributionList: file,
          };
        },
        (r) =>
          `Round ${r.round} (${r.kind}): ${r.links} new link(s) in ${r.distributionList}, their old links revoked; ${r.opened} unit(s) opened their link and keep it`,
      );
    });

  wave
    .command('reissue <wave> <externalId>')
    .description('replace a lost link: the old ones stop working')
    .option('--json', 'print machine-readable JSON')
    .action((id: string, externalId: string, o: { json?: boolean }) => {
      const config = readConfig();
      return run(
        o.json,
        async (db) => {
          const l = await reissueLink(db, id, externalId, cli, new Date());
          return { externalId, link: `${config.publicBaseUrl}/s/${l.token}` };
        },
        (r) => `New link for ${r.externalId} (shown once): ${r.link}`,
      );
    });

  wave
    .command('close <wave>')
    .description('close the wave and compute non-response adjusted weights; prints their sum against N')
    .option(
      '--adjust-by <classes>',
      'county | stratum | municipality | a frame column (default: stratum for a sample, county for the ' +
        'municipal survey, municipality for a participant census); a class without respondents falls to ' +
        'its county, then to all',
    )
    .option('--json', 'print machine-readable JSON')
    .action((id: string, o: { adjustBy?: string; json?: boolean }) => {
      const adjustBy = parseWith(z.string().trim().min(1).max(200).optional(), o.adjustBy, 'adjust-by');
      return run(o.json, (db) => closeWave(db, id, cli, new Date(), { adjustBy }), closeReportText);
    });

  wave
    .command('progress <wave>')
    .description(
      'invited, opened, started, completed, opted out and response rate (AAPOR RR1); municipal survey: per section',
    )
    .option(
      '--by <breakdown>',
      `${progressBreakdowns.join(' | ')} (language: the one invited in; language-used: answered in)`,
      'total',
    )
    .option('--json', 'print machine-readable JSON')
    .action((id: string, o: { by: string; json?: boolean }) => {
      if (!progressBreakdowns.includes(o.by as ProgressBy))
        throw new CliUsageError(`--by must be one of ${progressBreakdowns.join(', ')}`);
      if (o.by === 'section') return run(o.json, (db) => sectionProgress(db, id), sectionProgressTable);
      return run(
        o.json,
        (db) => waveProgress(db, id, o.by as UnitBreakdown),
        (rows) =>
          [
            `${'group'.padEnd(28)} invited  opened started completed opted-out   RR1`,
            ...rows.map(
              (r) =>
                `${r.group.padEnd(28)} ${String(r.invited).padStart(7)} ${String(r.opened).padStart(7)} ${String(r.started).padStart(7)} ` +
                `${String(r.completed).padStart(9)} ${String(r.optedOut).padStart(9)} ${r.responseRate === null ? '    –' : `${(r.responseRate * 100).toFixed(1)}%`.padStart(6)}`,
            ),
          ].join('\n'),
      );
    });

  wave
    .command('delegations <wave>')
    .description(
      "municipal survey: each municipality's response and sections, and to whom they are delegated",
    )
    .option('--json', 'print machine-readable JSON')
    .action((id: string, o: { json?: boolean }) =>
      run(o.json, (db) => waveDelegations(db, id, operatorViewer), delegationTable),
    );

  wave
    .command('purge-contacts <wave>')
    .description(
      "delete names, e-mails and phones of a closed wave, and its delegates'; answers and weights stay",
    )
    .option('--json', 'print machine-readable JSON')
    .action((id: string, o: { json?: boolean }) =>
      run(
        o.json,
        (db) => purgeContacts(db, id, cli),
        (r) => `Purged ${r.purged} contact(s) and ${r.purgedDelegates} delegate contact(s).`,
      ),
    );

  const frame = program.command('frame').description('frames: the units a wave can reach');

  frame
    .command('municipalities <wave>')
    .description("the municipal survey's frame from the reference list: all 357 municipalities (2024)")
    .option('--oslo-districts', "Oslo's 15 city districts instead of Oslo itself")
    .option('--json', 'print machine-readable JSON')
    .action((id: string, o: { osloDistricts?: boolean; json?: boolean }) =>
      run(
        o.json,
        (db) => buildMunicipalFrame(db, id, { osloDistricts: !!o.osloDistricts }, cli),
        (r) =>
          r.sampleCleared
            ? `${r.units} unit(s) in the frame\nThe frame changed under the drawn sample, so the draw was cleared: svar sample draw ${id} …`
            : `${r.units} unit(s) in the frame`,
      ),
    );

  frame
    .command('import <wave> <file>')
    .description('import a CSV (UTF-8; ; , or tab) or XLSX frame; all or nothing; upserts by external id')
    .option('--json', 'print machine-readable JSON')
    .action((id: string, file: string, o: { json?: boolean }) => {
      let size: number;
      try {
        size = statSync(file).size;
      } catch (err) {
        throw new CliUsageError(`${file}: ${(err as Error).message}`, 'invalid_file');
      }
      // The file streams in; a large one shows the rows read so far on stderr (stdout stays the result).
      const progress = size > 4 * 2 ** 20 ? rowsReadLine() : null;
      return run(
        o.json,
        (db) => {
          const stream = createReadStream(file);
          const onProgress = progress?.update;
          return importFrameStream(db, id, { stream, name: basename(file) }, cli, new Date(), {
            onProgress,
          }).finally(() => progress?.done());
        },
        (r) => frameImportText(id, r),
      );
    });

  program
    .command('sample')
    .description('samples of sample-mode waves')
    .command('draw <wave>')
    .description('draw a (stratified) simple random sample without replacement; prints the allocation table')
    .requiredOption('--size <n>', 'sample size')
    .option(
      '--strata <column>',
      'stratify by a frame column (municipality_code, county, preferred_language or any extra column)',
    )
    .option('--allocation <method>', 'proportional | equal | neyman | fixed', 'proportional')
    .option('--min-per-stratum <k>', 'at least k units per stratum, or all of a smaller one (default 1)')
    .option(
      '--allow-empty-strata',
      'let a non-empty stratum get no unit (its units are never represented; the weights sum short of N)',
    )
    .option('--seed <seed>', 'seed (default: the wave id); the same seed gives the same sample')
    .option('--spread-column <column>', 'neyman: frame column with the stratum standard deviation')
    .option('--spread-file <file>', 'neyman: JSON { "<stratum>": <sd> } (a number, or text such as "1,5")')
    .option('--fixed-file <file>', 'fixed: JSON { "<stratum>": <n_h> }')
    .option('--json', 'print machine-readable JSON')
    .action((id: string, o: Record<string, string | boolean | undefined>) => {
      const readJsonFile = (f?: string | boolean) =>
        typeof f === 'string' ? (JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>) : undefined;
      const settings = parseWith(
        z.object({
          size: z.coerce.number().int().positive(),
          strata: z.string().nullish(),
          allocation: z.enum(['proportional', 'equal', 'neyman', 'fixed']),
          minPerStratum: z.coerce.number().int().min(0).optional(),
          allowEmptyStrata: z.boolean(),
          seed: z.string().min(1).optional(),
          spreadColumn: z.string().nullish(),
          spreads: spreadsSchema.optional(),
          fixed: z.record(z.string(), z.number().int()).optional(),
        }),
        {
          size: o.size,
          strata: o.strata ?? null,
          allocation: o.allocation,
          minPerStratum: o.minPerStratum,
          allowEmptyStrata: o.allowEmptyStrata === true,
          seed: o.seed,
          spreadColumn: o.spreadColumn ?? null,
          spreads: readJsonFile(o.spreadFile),
          fixed: readJsonFile(o.fixedFile),
        },
        'sample settings',
      );
      return run(
        o.json as unknown as boolean,
        (db) => drawWaveSample(db, id, settings, cli),
        (r) =>
          [
            `Seed ${r.seed}, ${r.allocation} allocation`,
            `${'stratum'.padEnd(24)} ${'N_h'.padStart(8)} ${'n_h'.padStart(8)} ${'weight'.padStart(10)}`,
            ...r.table.map(
              (t) =>
                `${t.stratum.padEnd(24)} ${String(t.populationSize).padStart(8)} ${String(t.sampleSize).padStart(8)} ${t.designWeight.toFixed(3).padStart(10)}`,
            ),
            ...(r.warning ? [`Warning: ${r.warning}`] : []),
          ].join('\n'),
      );
    });
}
