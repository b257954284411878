// Waves: pinning a version, the languages offered, units, opening (which issues invitation links) and closing.
// The frame import, sampling, reminders and monitoring of the fieldwork issue build on these.
import { recordAudit } from '../audit/queries.ts';
import type { Db } from '../db/connect.ts';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { Actor } from '../staff/service.ts';
import { getVersion } from '../surveys/service.ts';
import { waveLanguageProblems } from '../surveys/wave-languages.ts';
import { type IssuedLink, issueLinks } from './issue-links.ts';
import * as q from './queries.ts';
import { nonresponseWeights } from './sampling.ts';

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
}

export async function createWave(db: Db, input: NewWave, actor: Actor) {
  const version = await getVersion(db, input.instrumentId, input.version);
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
    });
    await recordAudit(trx, { actor, action: 'wave.created', subject: { kind: 'wave', id: wave.id } });
    return wave;
  });
}

export interface NewUnit {
  externalId: string;
  municipalityCode?: string | null;
  preferredLocale?: string | null;
  attributes?: Record<string, string>;
}

export async function addUnits(db: Db, waveId: string, units: NewUnit[]) {
  const wave = await q.findWave(db, waveId);
  if (!wave) throw new NotFoundError('No such wave.', 'wave_not_found');
  if (wave.status !== 'draft')
    throw new ConflictError('wave_not_draft', 'Units can only be added while the wave is a draft.');
  return q.insertFrameUnits(
    db,
    waveId,
    units.map((u) => ({
      externalId: u.externalId,
      municipalityCode: u.municipalityCode ?? null,
      preferredLocale: u.preferredLocale ?? null,
      attributes: u.attributes ?? {},
    })),
  );
}

export type { IssuedLink } from './issue-links.ts';

/**
 * Opens a wave: a census selects every unit; every selected unit without a live invitation gets one, with a
 * fresh 256-bit token. The tokens are returned once, for the distribution list; they cannot be read back later.
 */
export async function openWave(db: Db, waveId: string, actor: Actor, now: Date): Promise<IssuedLink[]> {
  return db.transaction().execute(async (trx) => {
    const wave = await trx
      .selectFrom('wave')
      .selectAll()
      .where('id', '=', waveId)
      .forUpdate()
      .executeTakeFirst();
    if (!wave) throw new NotFoundError('No such wave.', 'wave_not_found');
    if (wave.status === 'closed')
      throw new ConflictError('wave_closed', 'A closed wave cannot be opened again.');
    if (wave.mode === 'census') await q.selectAllUnits(trx, waveId);
    else if (wave.status === 'draft' && !wave.sampling) {
      throw new ConflictError('sample_not_drawn', 'Draw the sample before opening a sample wave.');
    }
    const units = await q.listSelectedUnitsWithoutInvitation(trx, waveId);
    const links = await issueLinks(
      trx,
      waveId,
      units.map((u) => ({
        frameUnitId: u.id,
        externalId: u.external_id,
        locale: u.preferred_locale && wave.locales.includes(u.preferred_locale) ? u.preferred_locale : null,
      })),
      'invitation',
    );
    if (wave.status === 'draft') await q.setWaveStatus(trx, waveId, 'open', now);
    await recordAudit(trx, {
      actor,
      action: 'wave.opened',
      subject: { kind: 'wave', id: waveId },
      details: { invitations: links.length },
    });
    return links;
  });
}

/**
 * Closes a wave and computes each respondent's non-response adjusted weight within strata (design weight ×
 * selected_h / responded_h), kept for exports. A census has weight 1 and adjusts within municipalities.
 */
export async function closeWave(db: Db, waveId: string, actor: Actor, now: Date) {
  return db.transaction().execute(async (trx) => {
    const current = await q.findWave(trx, waveId);
    if (!current) throw new NotFoundError('No such wave.', 'wave_not_found');
    if (current.status === 'closed') throw new ConflictError('wave_closed', 'The wave is closed already.');
    const wave = await q.setWaveStatus(trx, waveId, 'closed', now);
    const states = await q.listSelectedUnitStates(trx, waveId);
    const rows = states.map((s) => ({
      stratum: s.stratum ?? (current.mode === 'census' ? (s.municipality_code ?? 'all') : 'all'),
      designWeight: s.design_weight ?? 1,
      responded: s.response_status === 'completed',
      responseId: s.response_id,
    }));
    const { weights, emptyStrata } = nonresponseWeights(rows);
    for (let i = 0; i < rows.length; i++) {
      if (rows[i]!.responseId) await q.setNonresponseWeight(trx, rows[i]!.responseId!, weights[i] ?? null);
    }
    await recordAudit(trx, {
      actor,
      action: 'wave.closed',
      subject: { kind: 'wave', id: waveId },
      details: { emptyStrata },
    });
    return { ...wave, emptyStrata };
  });
}

/**
 * Deletes the contact data of a closed wave: units' names, e-mails and phones, and the names and e-mails of the
 * municipal survey's delegates. Answers and weights stay.
 */
export async function purgeContacts(db: Db, waveId: string, actor: Actor) {
  return db.transaction().execute(async (trx) => {
    const wave = await q.findWave(trx, waveId);
    if (!wave) throw new NotFoundError('No such wave.', 'wave_not_found');
    if (wave.status !== 'closed')
      throw new ConflictError('wave_not_closed', 'Contacts are purged once the wave is closed.');
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
