// `svar wave …`, `svar frame import` and `svar sample draw`: a survey manager's fieldwork from the command line.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { readConfig } from '../config.ts';
import { operatorViewer, sectionProgress, waveDelegations } from '../delegation/overview.ts';
import { buildMunicipalFrame, importFrame } from '../fieldwork/frames.ts';
import { distributionList, issueReminderLinks, reissueLink } from '../fieldwork/links.ts';
import {
  type ProgressBy,
  progressBreakdowns,
  type UnitBreakdown,
  waveProgress,
} from '../fieldwork/progress.ts';
import * as q from '../fieldwork/queries.ts';
import { drawWaveSample } from '../fieldwork/sample.ts';
import { sendWaveMail } from '../fieldwork/send.ts';
import { closeWave, createWave, openWave, purgeContacts } from '../fieldwork/service.ts';
import { NotFoundError } from '../http/errors.ts';
import { parseWith } from '../http/validate.ts';
import { delegationTable, sectionProgressTable } from './delegation-text.ts';
import { CliUsageError, printResult } from './output.ts';
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

function writeList(file: string | undefined, csv: string) {
  if (file) writeFileSync(file, csv, { mode: 0o600 });
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
        },
        'wave',
      );
      return run(
        o.json as boolean,
        (db) => createWave(db, input, cli),
        (w) => `Created wave ${w.id} (${w.mode}, ${w.locales.join(' ')})`,
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
          const w = await q.findWave(db, id).catch(() => undefined);
          if (!w) throw new NotFoundError(`No wave ${id}.`, 'wave_not_found');
          const units = await q.listFrameUnits(db, id);
          return { ...w, units: units.length, selected: units.filter((u) => u.selected).length };
        },
        (w) =>
          `${w.name}\n  status ${w.status}, mode ${w.mode}, languages ${w.locales.join(' ')}\n  units ${w.units}, selected ${w.selected}`,
      ),
    );

  wave
    .command('open <wave>')
    .description(
      'open the wave: one link per selected unit; writes the distribution list (links are shown only now)',
    )
    .option('--distribution-list <file>', 'write the CSV for the mail/SMS provider here')
    .option('--send', 'also send invitation e-mails (SMTP_URL) to units with an e-mail address')
    .option('--json', 'print machine-readable JSON')
    .action((id: string, o: { distributionList?: string; send?: boolean; json?: boolean }) => {
      const config = readConfig();
      if (!o.distributionList && !o.send)
        throw new CliUsageError(
          'Give --distribution-list FILE and/or --send: the links are shown only once.',
        );
      return run(
        o.json,
        async (db) => {
          const links = await openWave(db, id, cli, new Date());
          writeList(o.distributionList, await distributionList(db, id, links, config.publicBaseUrl));
          const sent = o.send ? await sendWaveMail(db, config, id, links, 'invitation') : null;
          return {
            waveId: id,
            links: links.length,
            distributionList: o.distributionList ?? null,
            mail: sent,
          };
        },
        (r) =>
          `Opened: ${r.links} link(s)${r.distributionList ? ` in ${r.distributionList}` : ''}${r.mail ? `; mail sent ${r.mail.sent}, failed ${r.mail.failed}, no address ${r.mail.skipped}` : ''}`,
      );
    });

  wave
    .command('remind <wave>')
    .description('a reminder round for units that have not completed and have not opted out')
    .option('--distribution-list <file>', 'write the CSV for the mail/SMS provider here')
    .option('--send', 'send reminder e-mails (SMTP_URL)')
    .option('--json', 'print machine-readable JSON')
    .action((id: string, o: { distributionList?: string; send?: boolean; json?: boolean }) => {
      const config = readConfig();
      if (!o.distributionList && !o.send)
        throw new CliUsageError('Give --distribution-list FILE and/or --send.');
      return run(
        o.json,
        async (db) => {
          const links = await issueReminderLinks(db, id, cli, new Date());
          writeList(o.distributionList, await distributionList(db, id, links, config.publicBaseUrl));
          const sent = o.send ? await sendWaveMail(db, config, id, links, 'reminder') : null;
          return { waveId: id, links: links.length, mail: sent };
        },
        (r) =>
          `Reminder links: ${r.links}${r.mail ? `; mail sent ${r.mail.sent}, failed ${r.mail.failed}, no address ${r.mail.skipped}` : ''}`,
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
    .description('close the wave and compute non-response adjusted weights')
    .option('--json', 'print machine-readable JSON')
    .action((id: string, o: { json?: boolean }) =>
      run(
        o.json,
        (db) => closeWave(db, id, cli, new Date()),
        (w) =>
          `Closed ${w.id}${w.emptyStrata.length ? `; strata without respondents: ${w.emptyStrata.join(', ')}` : ''}`,
      ),
    );

  wave
    .command('progress <wave>')
    .description(
      'invited, opened, started, completed, opted out and response rate (AAPOR RR1); municipal survey: per section',
    )
    .option('--by <breakdown>', progressBreakdowns.join(' | '), 'total')
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
        (r) => `${r.units} unit(s) in the frame`,
      ),
    );

  frame
    .command('import <wave> <file>')
    .description('import a CSV (UTF-8; ; , or tab) or XLSX frame; all or nothing; upserts by external id')
    .option('--json', 'print machine-readable JSON')
    .action((id: string, file: string, o: { json?: boolean }) => {
      let data: Buffer;
      try {
        data = readFileSync(file);
      } catch (err) {
        throw new CliUsageError(`${file}: ${(err as Error).message}`, 'invalid_file');
      }
      return run(
        o.json,
        (db) => importFrame(db, id, { data, name: basename(file) }, cli, new Date()),
        (r) => `${r.rows} row(s): ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged`,
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
    .option('--min-per-stratum <k>', 'at least k units per stratum', '0')
    .option('--seed <seed>', 'seed (default: the wave id); the same seed gives the same sample')
    .option('--spread-column <column>', 'neyman: frame column with the stratum standard deviation')
    .option('--spread-file <file>', 'neyman: JSON { "<stratum>": <sd> }')
    .option('--fixed-file <file>', 'fixed: JSON { "<stratum>": <n_h> }')
    .option('--json', 'print machine-readable JSON')
    .action((id: string, o: Record<string, string | undefined>) => {
      const readJsonFile = (f?: string) =>
        f ? (JSON.parse(readFileSync(f, 'utf8')) as Record<string, number>) : undefined;
      const settings = parseWith(
        z.object({
          size: z.coerce.number().int().positive(),
          strata: z.string().nullish(),
          allocation: z.enum(['proportional', 'equal', 'neyman', 'fixed']),
          minPerStratum: z.coerce.number().int().min(0),
          seed: z.string().min(1).optional(),
          spreadColumn: z.string().nullish(),
          spreads: z.record(z.string(), z.number()).optional(),
          fixed: z.record(z.string(), z.number().int()).optional(),
        }),
        {
          size: o.size,
          strata: o.strata ?? null,
          allocation: o.allocation,
          minPerStratum: o.minPerStratum,
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
          ].join('\n'),
      );
    });
}
