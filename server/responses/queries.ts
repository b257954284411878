// All SQL for the respondent side: invitations by token hash, and responses.
import { type RawBuilder, sql } from 'kysely';
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
 * What a token is, for the hot path: an invitation or a delegate link, its version and unit type. Fixed for the
 * life of the link (a wave pins its version), so callers may cache it; whether it is still live is checked by the
 * statement that writes.
 */
export async function findLinkKindByTokenHash(db: Executor, tokenHash: string) {
  const invitation = await db
    .selectFrom('invitation')
    .innerJoin('wave', 'wave.id', 'invitation.wave_id')
    .select(['wave.instrument_version_id', 'wave.unit_type'])
    .where('invitation.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (invitation) return { kind: 'invitation' as const, delegateId: null, ...invitation };
  const delegate = await db
    .selectFrom('delegate')
    .innerJoin('wave', 'wave.id', 'delegate.wave_id')
    .select(['delegate.id', 'wave.instrument_version_id', 'wave.unit_type'])
    .where('delegate.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!delegate) return undefined;
  return {
    kind: 'delegate' as const,
    delegateId: delegate.id,
    instrument_version_id: delegate.instrument_version_id,
    unit_type: delegate.unit_type,
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
}

/**
 * A whole save in one statement, the respondent's hot path (ADR 4, ADR 5). It checks that the link is live, its
 * wave open now and the language offered; that the writer may write these sections now (a delegate: each is
 * delegated to it; anyone else: none is delegated); takes the next revision; and creates the unit's response or
 * merges into it per question, unless the response is completed or any answer conflicts (another writer changed
 * it since the revision this writer saw, to another value). All or nothing: returns the revision, or nothing when
 * any check failed (the caller then asks why, on the rare path).
 */
export async function mergeSaveByToken(db: Executor, s: MergeSave) {
  const answers = JSON.stringify(s.answers);
  const bases = JSON.stringify(s.bases);
  const main = s.link === 'invitation';
  const hasPage = s.page !== undefined;
  const page = s.page ?? null;
  const pageKey = main ? '$page' : `$page:${s.by}`;
  const sections = sql`${s.sections}::text[]`;
  const waveOpen = sql`wave.status = 'open'
    and (wave.opens_at is null or wave.opens_at <= ${s.now}) and (wave.closes_at is null or wave.closes_at > ${s.now})
    and (${s.locale}::text is null or ${s.locale}::text = any(wave.locales))`;
  const link = main
    ? sql`select invitation.frame_unit_id, wave.id as wave_id, wave.instrument_version_id,
             coalesce(${s.locale}::text, invitation.locale, wave.locales[1]) as locale,
             nextval('answer_revision') as rev
          from invitation join wave on wave.id = invitation.wave_id
          where invitation.token_hash = ${s.tokenHash} and invitation.revoked_at is null and ${waveOpen}
            and not exists (select 1 from delegation d where d.frame_unit_id = invitation.frame_unit_id
                            and d.ended_at is null and d.section = any(${sections}))`
    : sql`select delegate.frame_unit_id, wave.id as wave_id, wave.instrument_version_id,
             coalesce(${s.locale}::text, delegate.locale) as locale, nextval('answer_revision') as rev
          from delegate join wave on wave.id = delegate.wave_id
          where delegate.token_hash = ${s.tokenHash} and delegate.revoked_at is null and ${waveOpen}
            and exists (select 1 from delegation d where d.delegate_id = delegate.id and d.ended_at is null)
            and (select count(*) from delegation d where d.delegate_id = delegate.id and d.ended_at is null
                 and d.section = any(${sections})) = cardinality(${sections})`;
  const seq = sql`${s.seq}::bigint`;
  const meta = sql`jsonb_strip_nulls(jsonb_build_object('by', ${s.by}::text, 'dev', ${s.device}::text,
                                      'at', ${s.now.toISOString()}::text, 'rev', link.rev, 'seq', ${seq}))`;
  const newMeta = sql`coalesce((select jsonb_object_agg(e.key, ${meta}) from jsonb_each(${answers}::jsonb) e), '{}'::jsonb)
    || case when ${hasPage} then jsonb_build_object(${pageKey}::text, ${meta} || jsonb_build_object('page', ${page}::text, 'locale', link.locale))
       else '{}'::jsonb end`;
  const values = sql`coalesce((select jsonb_object_agg(e.key, e.value) from jsonb_each(${answers}::jsonb) e
                               where e.value <> 'null'::jsonb), '{}'::jsonb)`;
  // The conflict rule of ADR 5, for the stored row r: set at another revision than this writer saw, by another
  // writer (or the same link on another device), to another value.
  const conflict = sql`exists (select 1 from jsonb_each(${answers}::jsonb) e
    where (r.answer_meta -> e.key) is not null
      and coalesce((r.answer_meta -> e.key ->> 'rev')::bigint, 0) <> coalesce((${bases}::jsonb ->> e.key)::bigint, 0)
      and not ((r.answer_meta -> e.key ->> 'by') = ${s.by}::text
               and coalesce(r.answer_meta -> e.key ->> 'dev', '') = ${s.device}::text)
      and (r.answers -> e.key) is distinct from nullif(e.value, 'null'::jsonb))`;
  // A late save of this same writer and device, overtaken by a later one of its own (a higher counter) that set the
  // key: that key keeps the newer value. Only the device's own counters are compared, never clocks or devices.
  const stale = (key: RawBuilder<unknown>) => sql`coalesce(
    ${seq} < (r.answer_meta -> ${key} ->> 'seq')::bigint and (r.answer_meta -> ${key} ->> 'by') = ${s.by}::text
    and (r.answer_meta -> ${key} ->> 'dev') = ${s.device}::text, false)`;
  const staleKeys = sql`array(select k from jsonb_object_keys(excluded.answer_meta) k where ${stale(sql`k`)})`;
  const result = await sql<{ rev: string }>`
    with link as (${link})
    insert into response as r (wave_id, frame_unit_id, instrument_version_id, locale, locales_used, answers,
                               answer_meta, current_page, device_class, started_at, updated_at, last_saved_at)
    select wave_id, frame_unit_id, instrument_version_id, locale, array[locale], ${values}, ${newMeta},
           case when ${main} then ${page}::text end, ${s.deviceClass}, ${s.now}, ${s.now}, ${s.now}
    from link
    on conflict (frame_unit_id) do update set
      answers = (r.answers - array(select k from jsonb_object_keys(${answers}::jsonb) k where not ${stale(sql`k`)}))
                || (excluded.answers - ${staleKeys}),
      answer_meta = r.answer_meta || (excluded.answer_meta - ${staleKeys}),
      current_page = case when ${main} and ${hasPage} and not ${stale(sql`${pageKey}::text`)} then ${page}::text
                          else r.current_page end,
      locale = case when ${main} then excluded.locale else r.locale end,
      locales_used = case when excluded.locale = any(r.locales_used) then r.locales_used
                          else r.locales_used || excluded.locale end,
      device_class = coalesce(${s.deviceClass}::text, r.device_class),
      updated_at = ${s.now},
      last_saved_at = ${s.now}
    where r.status = 'in_progress' and not ${conflict}
    returning (select link.rev from link) as rev`.execute(db);
  return result.rows[0];
}
