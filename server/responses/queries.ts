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

/** The version a link answers: fixed for the life of the link (a wave pins its version), so callers may cache it. */
export async function findVersionIdByTokenHash(db: Executor, tokenHash: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('invitation')
    .innerJoin('wave', 'wave.id', 'invitation.wave_id')
    .select('wave.instrument_version_id')
    .where('invitation.token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row?.instrument_version_id;
}

export interface MergeSave {
  tokenHash: string;
  now: Date;
  locale: string | null;
  answers: Record<string, unknown>;
  /** The save's client time: an answer (or page) stored with a later one is kept. */
  seq: number;
  page: string | null | undefined;
  by: string;
  deviceClass: string | null;
}

/**
 * A whole save in one statement, the respondent's hot path: checks the link is live, its wave open now and the
 * language offered; creates the unit's response or merges into it per question, keeping any answer whose stored
 * `seq` is newer; never touches a completed response. Returns the stored answer_meta, or nothing when any check
 * failed (the caller then asks why, on the rare path).
 */
export async function mergeSaveByToken(db: Executor, s: MergeSave) {
  const answers = JSON.stringify(s.answers);
  const meta = JSON.stringify({ by: s.by, at: s.now.toISOString(), seq: s.seq });
  const hasPage = s.page !== undefined;
  const page = s.page ?? null;
  // Keys of this save that are not older than what is stored, for the existing row `r`.
  const applies = sql`coalesce((r.answer_meta -> e.key ->> 'seq')::bigint, -1) <= ${s.seq}`;
  const pageApplies = sql`${hasPage} and coalesce((r.answer_meta -> '$page' ->> 'seq')::bigint, -1) <= ${s.seq}`;
  const result = await sql<{ answer_meta: Record<string, { seq: number }> }>`
    with inv as (
      select invitation.frame_unit_id, wave.id as wave_id, wave.instrument_version_id,
             coalesce(${s.locale}::text, invitation.locale, wave.locales[1]) as locale
      from invitation join wave on wave.id = invitation.wave_id
      where invitation.token_hash = ${s.tokenHash} and invitation.revoked_at is null and wave.status = 'open'
        and (wave.opens_at is null or wave.opens_at <= ${s.now}) and (wave.closes_at is null or wave.closes_at > ${s.now})
        and (${s.locale}::text is null or ${s.locale}::text = any(wave.locales))
    )
    insert into response as r (wave_id, frame_unit_id, instrument_version_id, locale, locales_used, answers,
                               answer_meta, current_page, device_class, started_at, updated_at, last_saved_at)
    select wave_id, frame_unit_id, instrument_version_id, locale, array[locale],
           coalesce((select jsonb_object_agg(e.key, e.value) from jsonb_each(${answers}::jsonb) e
                     where e.value <> 'null'::jsonb), '{}'::jsonb),
           coalesce((select jsonb_object_agg(e.key, ${meta}::jsonb) from jsonb_each(${answers}::jsonb) e), '{}'::jsonb)
             || case when ${hasPage} then jsonb_build_object('$page', ${meta}::jsonb) else '{}'::jsonb end,
           ${page}, ${s.deviceClass}, ${s.now}, ${s.now}, ${s.now}
    from inv
    on conflict (frame_unit_id) do update set
      answers = (r.answers - coalesce((select array_agg(e.key) from jsonb_each(${answers}::jsonb) e where ${applies}), '{}'))
        || coalesce((select jsonb_object_agg(e.key, e.value) from jsonb_each(${answers}::jsonb) e
                     where e.value <> 'null'::jsonb and ${applies}), '{}'::jsonb),
      answer_meta = r.answer_meta
        || coalesce((select jsonb_object_agg(e.key, ${meta}::jsonb) from jsonb_each(${answers}::jsonb) e where ${applies}), '{}'::jsonb)
        || case when ${pageApplies} then jsonb_build_object('$page', ${meta}::jsonb) else '{}'::jsonb end,
      current_page = case when ${pageApplies} then ${page} else r.current_page end,
      locale = coalesce(${s.locale}::text, r.locale),
      locales_used = case when coalesce(${s.locale}::text, r.locale) = any(r.locales_used) then r.locales_used
                          else r.locales_used || coalesce(${s.locale}::text, r.locale) end,
      device_class = coalesce(${s.deviceClass}::text, r.device_class),
      updated_at = ${s.now},
      last_saved_at = ${s.now}
    where r.status = 'in_progress'
    returning r.answer_meta`.execute(db);
  return result.rows[0];
}
