// Waves: pinning a version, the languages offered, units, opening (which issues invitation links) and closing.
// The frame import, sampling, reminders and monitoring of the fieldwork issue build on these.
import { recordAudit } from '../audit/queries.ts';
import type { Db } from '../db/connect.ts';
import { ValidationError } from '../http/errors.ts';
import type { Actor } from '../staff/service.ts';
import { getVersion, type SurveyPaths } from '../surveys/service.ts';
import { waveLanguageProblems } from '../surveys/wave-languages.ts';
import type { IssuedLink } from './issue-links.ts';
import * as q from './queries.ts';
import { openWaveRound } from './queue-rounds.ts';
import { lockWave } from './wave-lock.ts';
import { modulesOfDefinition, modulesOfWave, readThemePlan } from './wave-modules.ts';

export { closeWave, defaultAdjustBy, type NonresponseReport } from './close-wave.ts';

export interface NewWave {
  instrumentId: string;
  version: number;
  name: string;
  mode: 'census' | 'sample';
  locales: string[];
  /** A pilot may offer languages whose translation is still a draft. */
  allowDraftLocales?: boolean;
  opensAt?: Date | null;
  closesAt?: Date | null;
  /** Small-cell threshold for aggregates shown to municipality users (ADR 6); 5 when not given. */
  smallCellK?: number | undefined;
  /** Theme modules to run instead of those the rotation plan gives the wave's year. */
  themes?: string[] | undefined;
}

/** Where the rotation plan is read (the instrument's sources) and the clock that dates a wave without `opensAt`. */
export interface WavePlanning {
  paths: SurveyPaths;
  now: Date;
}

/**
 * Creates a draft wave. With `planning`, a wave of an instrument with a rotation plan runs the core modules plus
 * the themes of its reference year (or `themes`); without it (tools, tests), every module unless `themes` says.
 */
export async function createWave(db: Db, input: NewWave, actor: Actor, planning?: WavePlanning) {
  const version = await getVersion(db, input.instrumentId, input.version);
  const plan = planning ? readThemePlan(planning.paths, input.instrumentId) : null;
  const { modules, year } = modulesOfWave(version.definition, plan, input, planning?.now ?? new Date());
  // Taken from the plan for the year it is created in, with no opening date to say otherwise: opening it in
  // another year takes that year's plan (wave-year.ts).
  const modulesYear = modules && !input.themes && !input.opensAt ? year : null;
  const instrument = await db
    .selectFrom('instrument')
    .select('unit_type')
    .where('id', '=', input.instrumentId)
    .executeTakeFirstOrThrow();
  const problems = waveLanguageProblems(version.locales, input.locales, {
    allowDraft: input.allowDraftLocales ?? false,
  });
  if (problems.length) {
    throw new ValidationError(
      'The wave cannot offer these languages.',
      problems.map((p) => ({ name: `locales.${p.locale}`, reason: p.reason })),
      'wave_languages_invalid',
    );
  }
  return db.transaction().execute(async (trx) => {
    const wave = await q.insertWave(trx, {
      instrumentId: input.instrumentId,
      versionId: version.id,
      name: input.name,
      mode: input.mode,
      unitType: instrument.unit_type,
      locales: input.locales,
      allowDraftLocales: input.allowDraftLocales ?? false,
      opensAt: input.opensAt ?? null,
      closesAt: input.closesAt ?? null,
      smallCellK: input.smallCellK,
      modules,
      modulesYear,
    });
    await recordAudit(trx, {
      actor,
      action: 'wave.created',
      subject: { kind: 'wave', id: wave.id },
      details: { modules },
    });
    return wave;
  });
}

type WaveModulesInput = Pick<NewWave, 'instrumentId' | 'opensAt' | 'themes'>;

/** What a new wave would run, refused as creating it would be: the console shows it before the wave exists. */
export async function previewWaveModules(
  db: Db,
  input: WaveModulesInput & { version: number },
  planning: WavePlanning,
) {
  const version = await getVersion(db, input.instrumentId, input.version);
  // The version's theme modules, so the console can offer them for choosing, beside a refused year too.
  const plan = readThemePlan(planning.paths, input.instrumentId);
  const themeModules = modulesOfDefinition(version.definition).filter((m) => plan?.kinds.get(m) === 'theme');
  try {
    return { ...modulesOfWave(version.definition, plan, input, planning.now), themeModules };
  } catch (err) {
    throw err instanceof ValidationError ? err.with({ themeModules }) : err;
  }
}

export interface NewUnit {
  externalId: string;
  municipalityCode?: string | null;
  preferredLocale?: string | null;
  attributes?: Record<string, string>;
}

const notDraft = { code: 'wave_not_draft', message: 'Units can only be added while the wave is a draft.' };

export async function addUnits(db: Db, waveId: string, units: NewUnit[]) {
  return db.transaction().execute(async (trx) => {
    await lockWave(trx, waveId, { allow: ['draft'], refuse: { open: notDraft, closed: notDraft } });
    return q.insertFrameUnits(
      trx,
      waveId,
      units.map((u) => ({
        externalId: u.externalId,
        municipalityCode: u.municipalityCode ?? null,
        preferredLocale: u.preferredLocale ?? null,
        attributes: u.attributes ?? {},
      })),
    );
  });
}

export type { IssuedLink } from './issue-links.ts';

/**
 * Opens a wave: a census selects every unit; every selected unit without a live invitation gets one, with a
 * fresh 256-bit token. The tokens are returned once, for the distribution list; they cannot be read back later.
 * This is the list-only form of `openWaveRound` (queue-rounds.ts), which can queue mail instead.
 */
export async function openWave(db: Db, waveId: string, actor: Actor, now: Date): Promise<IssuedLink[]> {
  return (await openWaveRound(db, waveId, actor, now, { mail: false })).links;
}

/**
 * Deletes the contact data of a closed wave: units' names, e-mails and phones, and the names and e-mails of the
 * municipal survey's delegates. Answers and weights stay.
 */
export async function purgeContacts(db: Db, waveId: string, actor: Actor) {
  return db.transaction().execute(async (trx) => {
    const notClosed = { code: 'wave_not_closed', message: 'Contacts are purged once the wave is closed.' };
    await lockWave(trx, waveId, { allow: ['closed'], refuse: { draft: notClosed, open: notClosed } });
    const purged = await q.deleteContactsOfWave(trx, waveId);
    const purgedDelegates = await q.deleteDelegateContactsOfWave(trx, waveId);
    await recordAudit(trx, {
      actor,
      action: 'wave.contacts_purged',
      subject: { kind: 'wave', id: waveId },
      details: { purged, purgedDelegates },
    });
    return { waveId, purged, purgedDelegates };
  });
}
