// Demo content so a newcomer has something to click: staff accounts of each role, both instruments published
// (version 1 from its archive, then the sources as version 2), two pilot waves with respondent links, and two
// closed sample waves of synthetic responses, one per version, to export, align and estimate.
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.ts';
import type { Db } from '../db/connect.ts';
import { addUnits, createWave, openWave } from '../fieldwork/service.ts';
import { AppError } from '../http/errors.ts';
import { closeSubmitValidation, submitValidator } from '../responses/validation-pool.ts';
import { findStaffUserByEmail } from '../staff/queries.ts';
import { createStaffUser } from '../staff/service.ts';
import { publishArchive, readArchives } from '../surveys/archive.ts';
import { languageCodes } from '../surveys/languages.ts';
import { type PublishResult, publishInstrument, type SurveyPaths } from '../surveys/service.ts';
import { listInstrumentIds } from '../surveys/source.ts';
import * as q from './queries.ts';
import {
  earlierSyntheticWave,
  latestSyntheticWave,
  loadSyntheticWave,
  type SyntheticWaveSummary,
} from './synthetic-wave.ts';

export interface DemoAccount {
  email: string;
  role: string;
  password: string | null;
  created: boolean;
}

const demoStaff = [
  { email: 'admin@demo.svar.local', displayName: 'Demo Admin', role: 'admin', municipalityCode: null },
  { email: 'analyst@demo.svar.local', displayName: 'Demo Analyst', role: 'analyst', municipalityCode: null },
  {
    email: 'oslo@demo.svar.local',
    displayName: 'Demo Oslo kommune',
    role: 'municipality',
    municipalityCode: '0301',
  },
  // Reviews and approves translations in the console, and can do nothing else.
  {
    email: 'translator@demo.svar.local',
    displayName: 'Demo Translator',
    role: 'translator',
    municipalityCode: null,
  },
] as const;

export interface DemoLink {
  instrumentId: string;
  externalId: string;
  locale: string | null;
  url: string;
}

export interface DemoResult {
  accounts: DemoAccount[];
  /** Every version published or found, oldest first per instrument: the archived ones, then the sources'. */
  instruments: PublishResult[];
  /** Respondent links of the demo waves (only when the waves are created: tokens cannot be read back). */
  links: DemoLink[];
  /** Instruments that could not be published, with the reason (the demo goes on without them). */
  problems: { instrument: string; message: string }[];
  /** The newest closed wave of synthetic participants (null when the participant survey could not be published). */
  synthetic: SyntheticWaveSummary | null;
  /** Every synthetic wave, oldest first: last year's on version 1 (when there is a later version) and this year's. */
  syntheticWaves: SyntheticWaveSummary[];
}

/**
 * Idempotent: accounts that exist are left alone (and their passwords are not shown again); every instrument in
 * surveys/ is published, which is a no-op when its content is already published; each demo wave is made once,
 * known by its name.
 */
export async function loadDemo(
  db: Db,
  config: SurveyPaths & Pick<Config, 'publicBaseUrl'> & Partial<Pick<Config, 'submitWorkers'>>,
): Promise<DemoResult> {
  const paths = config;
  const accounts: DemoAccount[] = [];
  for (const s of demoStaff) {
    if (await findStaffUserByEmail(db, s.email)) {
      accounts.push({ email: s.email, role: s.role, password: null, created: false });
      continue;
    }
    // Random, not a well-known password: a demo database that ends up reachable must not be open to anyone.
    const password = randomBytes(9).toString('base64url');
    await createStaffUser(db, { ...s, password: `demo-${password}` }, { kind: 'cli' });
    accounts.push({ email: s.email, role: s.role, password: `demo-${password}`, created: true });
  }
  const instruments: PublishResult[] = [];
  const problems: DemoResult['problems'] = [];
  for (const id of listInstrumentIds(paths.surveysDir)) {
    try {
      // The history production has first (surveys/<id>/versions/), so the sources become the next version.
      for (const archive of readArchives(paths.surveysDir, id))
        instruments.push(await publishArchive(db, archive, { kind: 'cli' }));
      instruments.push(await publishInstrument(db, paths, id, { kind: 'cli' }));
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      problems.push({
        instrument: id,
        message: `${err.message} ${err.invalidParams?.map((p) => `${p.name}: ${p.reason}`).join('; ') ?? ''}`,
      });
    }
  }
  const links: DemoLink[] = [];
  for (const wave of demoWaves) {
    const published = instruments.findLast((i) => i.instrumentId === wave.instrumentId);
    if (!published) continue;
    if (await q.findWaveByName(db, wave.instrumentId, wave.name)) continue;
    const input = {
      instrumentId: wave.instrumentId,
      version: published.version,
      name: wave.name,
      mode: 'census' as const,
      locales: wave.locales,
      allowDraftLocales: true,
    };
    // The demo runs this year's themes of the rotation plan; in a year the plan has not reached, every module.
    const created = await createWave(db, input, { kind: 'cli' }, { paths, now: new Date() }).catch((err) => {
      if (err instanceof AppError && err.code === 'wave_year_not_in_rotation')
        return createWave(db, input, { kind: 'cli' });
      throw err;
    });
    await addUnits(db, created.id, wave.units);
    for (const l of await openWave(db, created.id, { kind: 'cli' }, new Date())) {
      links.push({
        instrumentId: wave.instrumentId,
        externalId: l.externalId,
        locale: l.locale,
        url: `${config.publicBaseUrl}/s/${l.token}`,
      });
    }
  }
  const participant = instruments.findLast((i) => i.instrumentId === 'participant-survey');
  const syntheticWaves: SyntheticWaveSummary[] = [];
  // The synthetic respondents' submits run survey-core's whole pass, most of the demo's time: in the server's
  // validation pool when it has one (closed after; the server starts its own when a respondent first submits).
  const validate = config.submitWorkers ? submitValidator(config.submitWorkers) : undefined;
  try {
    if (participant && participant.version > 1)
      syntheticWaves.push(await loadSyntheticWave(db, 1, earlierSyntheticWave, validate));
    if (participant)
      syntheticWaves.push(await loadSyntheticWave(db, participant.version, latestSyntheticWave, validate));
  } finally {
    if (validate) await closeSubmitValidation();
  }
  return { accounts, instruments, links, problems, synthetic: syntheticWaves.at(-1) ?? null, syntheticWaves };
}

/** The synthetic wave in one line for the demo's printed summary. */
export function describeSyntheticWave(s: SyntheticWaveSummary): string {
  const languages = Object.entries(s.locales)
    .sort((a, b) => b[1] - a[1])
    .map(([l, n]) => `${l} ${n}`)
    .join(', ');
  return (
    `"${s.name}" (closed, every response synthetic): ${s.frameUnits} in the frame, ${s.sampled} sampled, ` +
    `${s.completed} completed, ${s.inProgress} broke off; languages ${languages}`
  );
}

/** Every language Svar has, Badini (kmr-Arab) included, in the switcher's order. */
const allLocales = languageCodes;

/** Demo pilot waves (drafts allowed: the demo translations are machine drafts), one link per language shown. */
const demoWaves = [
  {
    instrumentId: 'participant-survey',
    name: 'Demo: deltakerundersøkelsen (pilot)',
    locales: allLocales,
    units: ['nb', 'en', 'ar', 'ti', 'so', 'prs', 'kmr-Arab', 'ur'].map((l) => ({
      externalId: `demo-participant-${l}`,
      preferredLocale: l,
      municipalityCode: '0301',
    })),
  },
  {
    instrumentId: 'municipal-survey',
    name: 'Demo: kommuneundersøkelsen (pilot)',
    locales: ['nb', 'nn', 'en'],
    units: [
      { externalId: '0301', preferredLocale: 'nb', municipalityCode: '0301' },
      { externalId: '4601', preferredLocale: 'nn', municipalityCode: '4601' },
    ],
  },
];

export async function isEmptyDatabase(db: Db): Promise<boolean> {
  const row = await db.selectFrom('staff_user').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}
