// All SQL for the respondent side: invitations by token hash, and responses.
import { sql } from 'kysely';
import type { Executor } from '../audit/queries.ts';
import type { AnswerMeta } from '../db/schema.ts';

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
 * In one statement: finds the link's invitation, checks it is live, its wave open now and the language offered,
 * and creates or locks the unit's response (locked until the transaction ends). Nothing when any check fails;
 * the caller then asks why (the rare path). Saves are the hot path: every round trip counts.
 */
export function lockResponseByToken(db: Executor, tokenHash: string, now: Date, locale: string | null) {
  return db
    .insertInto('response')
    .columns(['wave_id', 'frame_unit_id', 'instrument_version_id', 'locale', 'started_at', 'updated_at'])
    .expression((eb) =>
      eb
        .selectFrom('invitation')
        .innerJoin('wave', 'wave.id', 'invitation.wave_id')
        .select([
          'wave.id',
          'invitation.frame_unit_id',
          'wave.instrument_version_id',
          sql<string>`coalesce(${locale}::text, invitation.locale, wave.locales[1])`.as('locale'),
          sql<Date>`${now}::timestamptz`.as('started_at'),
          sql<Date>`${now}::timestamptz`.as('updated_at'),
        ])
        .where('invitation.token_hash', '=', tokenHash)
        .where('invitation.revoked_at', 'is', null)
        .where('wave.status', '=', 'open')
        .where((w) => w.or([w('wave.opens_at', 'is', null), w('wave.opens_at', '<=', now)]))
        .where((w) => w.or([w('wave.closes_at', 'is', null), w('wave.closes_at', '>', now)]))
        .where(sql<boolean>`(${locale}::text is null or ${locale}::text = any(wave.locales))`),
    )
    .onConflict((oc) =>
      oc.constraint('response_frame_unit_key').doUpdateSet({ updated_at: sql`response.updated_at` }),
    )
    .returningAll()
    .executeTakeFirst();
}
