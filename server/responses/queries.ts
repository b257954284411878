// All SQL for the respondent side: invitations by token hash, and responses.
import type { Executor } from '../audit/queries.ts';
import type { AnswerMeta } from '../db/schema.ts';
import { writeSave } from './save-batch.ts';

/** The invitation behind a token hash, with its wave and the pinned version (not its definition: see below). */
export function findInvitationByTokenHash(db: Executor, tokenHash: string) {
  return db
    .selectFrom('invitation')
    .innerJoin('wave', 'wave.id', 'invitation.wave_id')
    .innerJoin('instrument_version', 'instrument_version.id', 'wave.instrument_version_id')
    .select([
      'invitation.id as invitation_id',
      'invitation.frame_unit_id',
      'invitation.locale as invitation_locale',
      'invitation.revoked_at',
      'invitation.opened_at',
      'wave.id as wave_id',
      'wave.status as wave_status',
      'wave.locales as wave_locales',
      'wave.opens_at',
      'wave.closes_at',
      'wave.opened_at as wave_opened_at',
      'wave.modules as wave_modules',
      'wave.unit_type',
      'instrument_version.id as version_id',
      'instrument_version.instrument_id',
      'instrument_version.version',
      'instrument_version.locales as version_locales',
    ])
    .where('invitation.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function markInvitationOpened(db: Executor, invitationId: string, at: Date): Promise<void> {
  await db
    .updateTable('invitation')
    .set({ opened_at: at })
    .where('id', '=', invitationId)
    .where('opened_at', 'is', null)
    .execute();
}

/** What names a unit (never contact data): its municipality code and frame attributes. */
export function findFrameUnitNaming(db: Executor, frameUnitId: string) {
  return db
    .selectFrom('frame_unit')
    .select(['municipality_code', 'attributes'])
    .where('id', '=', frameUnitId)
    .executeTakeFirst();
}

export function findResponse(db: Executor, frameUnitId: string) {
  return db.selectFrom('response').selectAll().where('frame_unit_id', '=', frameUnitId).executeTakeFirst();
}

/** The unit's response, created on first use, locked for the rest of the transaction. */
export async function lockResponse(
  db: Executor,
  row: { waveId: string; frameUnitId: string; versionId: string; locale: string; at: Date },
) {
  await db
    .insertInto('response')
    .values({
      wave_id: row.waveId,
      frame_unit_id: row.frameUnitId,
      instrument_version_id: row.versionId,
      locale: row.locale,
      started_at: row.at,
      updated_at: row.at,
    })
    .onConflict((oc) => oc.constraint('response_frame_unit_key').doNothing())
    .execute();
  return db
    .selectFrom('response')
    .selectAll()
    .where('frame_unit_id', '=', row.frameUnitId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export async function updateResponse(
  db: Executor,
  id: string,
  set: {
    answers: Record<string, unknown>;
    answerMeta: Record<string, AnswerMeta>;
    currentPage?: string | null;
    locale: string;
    localesUsed: string[];
    deviceClass?: string | null;
    at: Date;
    completed?: boolean;
  },
): Promise<void> {
  await db
    .updateTable('response')
    .set({
      answers: JSON.stringify(set.answers),
      answer_meta: JSON.stringify(set.answerMeta),
      ...(set.currentPage !== undefined ? { current_page: set.currentPage } : {}),
      locale: set.locale,
      locales_used: set.localesUsed,
      ...(set.deviceClass ? { device_class: set.deviceClass } : {}),
      updated_at: set.at,
      last_saved_at: set.at,
      ...(set.completed ? { status: 'completed' as const, completed_at: set.at } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** A version's definition: large (every language), so read only when needed, not on every save. */
export async function findVersionDefinition(db: Executor, versionId: string) {
  const row = await db
    .selectFrom('instrument_version')
    .select('definition')
    .where('id', '=', versionId)
    .executeTakeFirstOrThrow();
  return row.definition;
}

/**
 * What a token is, for the hot path: an invitation or a delegate link, its version, unit type and the modules its
 * wave runs. Fixed for the life of the link (a wave pins its version and modules), so callers may cache it; whether it is still live is checked by the
 * statement that writes.
 */
export async function findLinkKindByTokenHash(db: Executor, tokenHash: string) {
  const invitation = await db
    .selectFrom('invitation')
    .innerJoin('wave', 'wave.id', 'invitation.wave_id')
    .select([
      'invitation.frame_unit_id',
      'wave.instrument_version_id',
      'wave.unit_type',
      'wave.modules as wave_modules',
    ])
    .where('invitation.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (invitation) return { kind: 'invitation' as const, delegateId: null, ...invitation };
  const delegate = await db
    .selectFrom('delegate')
    .innerJoin('wave', 'wave.id', 'delegate.wave_id')
    .select([
      'delegate.id',
      'delegate.frame_unit_id',
      'wave.instrument_version_id',
      'wave.unit_type',
      'wave.modules as wave_modules',
    ])
    .where('delegate.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!delegate) return undefined;
  return {
    kind: 'delegate' as const,
    delegateId: delegate.id,
    frame_unit_id: delegate.frame_unit_id,
    instrument_version_id: delegate.instrument_version_id,
    unit_type: delegate.unit_type,
    wave_modules: delegate.wave_modules,
  };
}

export interface MergeSave {
  tokenHash: string;
  /** Which table the token is in: a delegate's saves are scoped to its live sections. */
  link: 'invitation' | 'delegate';
  now: Date;
  locale: string | null;
  answers: Record<string, unknown>;
  /** Per answer key, the revision the writer last saw (ADR 5); absent means it saw none. */
  bases: Record<string, number>;
  /** The delegable sections this save writes into. */
  sections: string[];
  page: string | null | undefined;
  /** `respondent`, `chief_executive` or `delegate:<id>`. */
  by: string;
  /** The writing page's device id ('' when not sent): with `by`, who counts as the same writer (ADR 5). */
  device: string;
  /** The device's save counter (null from pages that send none): orders only that device's own saves. */
  seq: number | null;
  deviceClass: string | null;
  /** The unit written to (the lock order of batched saves). */
  unitId: string;
}

/**
 * A whole save in one statement, the respondent's hot path (ADR 4, ADR 5), written with the saves arriving with
 * it (save-batch.ts): the stored function
 * `respondent_save` (migrations/20261204T100000-respondent-save-function.ts), kept there so PostgreSQL plans it once
 * per connection instead of once per save. It checks that the link is live, its wave open now and the language
 * offered; that the writer may write these sections now (a delegate: each is delegated to it; anyone else: none is
 * delegated); takes the next revision; and creates the unit's response or merges into it per question, unless the
 * response is completed or any answer conflicts (another writer changed it since the revision this writer saw, to
 * another value). All or nothing: returns the revision, or nothing when any check failed (the caller then asks
 * why, on the rare path).
 */
export async function mergeSaveByToken(db: Executor, s: MergeSave) {
  const rev = await writeSave(db, s);
  return rev == null ? undefined : { rev };
}
