// All SQL for a wave's rounds of links: who a round reaches, its links, and producing its list again.
import { type SelectQueryBuilder, sql } from 'kysely';
import type { Executor } from '../audit/queries.ts';
import type { Database, RoundKind } from '../db/schema.ts';

/**
 * The unit's live link and its mail still waiting to go out (pending, or claimed by a sender), each as a LATERAL
 * … LIMIT 1 probe by index. Written so the planner cannot hash every link and queued mail of the database for each
 * page: its statistics date from before the round, so it would, and a national round would grow quadratic.
 */
function withLinkAndMail<QB extends SelectQueryBuilder<Database, 'frame_unit', object>>(qb: QB) {
  return qb
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('invitation')
          .select(sql<number>`1`.as('found'))
          .whereRef('invitation.frame_unit_id', '=', 'frame_unit.id')
          .where('invitation.revoked_at', 'is', null)
          .limit(1)
          .as('live_link'),
      (join) => join.onTrue(),
    )
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('mail_queue')
          .select(sql<number>`1`.as('found'))
          .whereRef('mail_queue.frame_unit_id', '=', 'frame_unit.id')
          .where('mail_queue.status', 'in', ['pending', 'sending'])
          .limit(1)
          .as('waiting_mail'),
      (join) => join.onTrue(),
    );
}

/** Opens the next round of a wave (1, 2, …); call with the wave row locked, so two rounds never share a number. */
export async function insertNextRound(
  db: Executor,
  waveId: string,
  kind: RoundKind,
  at: Date,
): Promise<number> {
  const { n } = await db
    .selectFrom('wave_round')
    .select((eb) => eb.fn.coalesce(eb.fn.max('number'), sql<number>`0`).as('n'))
    .where('wave_id', '=', waveId)
    .executeTakeFirstOrThrow();
  const number = Number(n) + 1;
  await db.insertInto('wave_round').values({ wave_id: waveId, number, kind, created_at: at }).execute();
  return number;
}

export function findRound(db: Executor, waveId: string, number: number) {
  return db
    .selectFrom('wave_round')
    .selectAll()
    .where('wave_id', '=', waveId)
    .where('number', '=', number)
    .executeTakeFirst();
}

/** Each round with how many links it issued and where its mail stands. */
export function listRounds(db: Executor, waveId: string) {
  const count = sql<number>`count(*)::int`;
  return db
    .selectFrom('wave_round as r')
    .select((eb) => [
      'r.number',
      'r.kind',
      'r.created_at',
      eb
        .selectFrom('invitation')
        .select(count.as('n'))
        .whereRef('invitation.wave_id', '=', 'r.wave_id')
        .whereRef('invitation.round', '=', 'r.number')
        .where('invitation.revoked_at', 'is', null)
        .as('live_links'),
      eb
        .selectFrom('mail_queue')
        .select(count.as('n'))
        .whereRef('mail_queue.wave_id', '=', 'r.wave_id')
        .whereRef('mail_queue.round', '=', 'r.number')
        .as('queued'),
      eb
        .selectFrom('mail_queue')
        .select(count.as('n'))
        .whereRef('mail_queue.wave_id', '=', 'r.wave_id')
        .whereRef('mail_queue.round', '=', 'r.number')
        .where('mail_queue.status', '=', 'sent')
        .as('mailed'),
    ])
    .where('r.wave_id', '=', waveId)
    .orderBy('r.number')
    .execute();
}

export async function insertRoundInvitations(
  db: Executor,
  rows: {
    waveId: string;
    frameUnitId: string;
    tokenHash: string;
    locale: string | null;
    purpose: 'invitation' | 'reminder' | 'reissue';
    round: number | null;
  }[],
): Promise<void> {
  // In chunks: a national census opens hundreds of thousands of links at once.
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insertInto('invitation')
      .values(
        rows.slice(i, i + 1000).map((r) => ({
          wave_id: r.waveId,
          frame_unit_id: r.frameUnitId,
          token_hash: r.tokenHash,
          locale: r.locale,
          purpose: r.purpose,
          round: r.round,
        })),
      )
      .execute();
  }
}

/** One page of a round's units: the frame's units with external ids in (after, upto]. */
export interface Page {
  after: string | null;
  upto: string;
}

/**
 * The next page of the frame after `after`: `size` units in external id order, or null at the end. Pages are cut
 * on the frame's (wave, external id) key before any other condition, so each page's query reads its own units by
 * index, not the whole frame and every link issued so far: a round of a million units stays linear.
 */
export async function nextPage(
  db: Executor,
  waveId: string,
  after: string | null,
  size: number,
): Promise<Page | null> {
  const row = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('frame_unit')
        .select('external_id')
        .where('wave_id', '=', waveId)
        .$if(after !== null, (q) => q.where('external_id', '>', after!))
        .orderBy('external_id')
        .limit(size)
        .as('page'),
    )
    .select((eb) => eb.fn.max('page.external_id').as('upto'))
    .executeTakeFirst();
  return row?.upto ? { after, upto: row.upto } : null;
}

/** The unit's contact fields for the distribution list, and whether it has an e-mail address to queue mail for. */
export const contactColumns = [
  'frame_unit.municipality_code',
  'unit_contact.name',
  'unit_contact.email',
  'unit_contact.phone',
  sql<boolean>`coalesce(unit_contact.email, '') <> ''`.as('has_email'),
] as const;

/**
 * The selected units an opening invites: those without a live link and without a mail still to go out (a unit
 * queued for mail gets its link when the mail is sent).
 */
export function listUnitsToInvite(db: Executor, waveId: string, page: Page) {
  return withLinkAndMail(db.selectFrom('frame_unit'))
    .leftJoin('unit_contact', 'unit_contact.frame_unit_id', 'frame_unit.id')
    .select(['frame_unit.id', 'frame_unit.external_id', 'frame_unit.preferred_locale'])
    .select(contactColumns)
    .where('frame_unit.wave_id', '=', waveId)
    .where('frame_unit.selected', '=', true)
    .where('live_link.found', 'is', null)
    .where('waiting_mail.found', 'is', null)
    .$if(page.after !== null, (q) => q.where('frame_unit.external_id', '>', page.after!))
    .where('frame_unit.external_id', '<=', page.upto)
    .orderBy('frame_unit.external_id')
    .execute();
}

/**
 * The units a reminder round reaches: selected, not completed, not opted out, and not still waiting for an
 * earlier mail (that mail goes out first, with its own link).
 */
export function listUnitsToRemind(db: Executor, waveId: string, page: Page) {
  return withLinkAndMail(db.selectFrom('frame_unit'))
    .leftJoin('response', 'response.frame_unit_id', 'frame_unit.id')
    .leftJoin('unit_contact', 'unit_contact.frame_unit_id', 'frame_unit.id')
    .select([
      'frame_unit.id',
      'frame_unit.external_id',
      'frame_unit.preferred_locale',
      'response.locale as response_locale',
    ])
    .select(contactColumns)
    .where('frame_unit.wave_id', '=', waveId)
    .where('frame_unit.selected', '=', true)
    .where('frame_unit.opted_out_at', 'is', null)
    .where((eb) => eb.or([eb('response.status', 'is', null), eb('response.status', '<>', 'completed')]))
    .where('waiting_mail.found', 'is', null)
    .$if(page.after !== null, (q) => q.where('frame_unit.external_id', '>', page.after!))
    .where('frame_unit.external_id', '<=', page.upto)
    .orderBy('frame_unit.external_id')
    .execute();
}

/** A selected unit by its external id: one lookup on the (wave, external id) key, for reissuing its link. */
export function findSelectedUnit(db: Executor, waveId: string, externalId: string) {
  return db
    .selectFrom('frame_unit')
    .select(['id', 'external_id', 'preferred_locale'])
    .where('wave_id', '=', waveId)
    .where('external_id', '=', externalId)
    .where('selected', '=', true)
    .executeTakeFirst();
}

/** Units with their contact fields, for a distribution list: only the units asked for, in chunks. */
export async function listUnitContacts(db: Executor, unitIds: string[]) {
  const rows = [];
  for (let i = 0; i < unitIds.length; i += 5000) {
    rows.push(
      ...(await db
        .selectFrom('frame_unit')
        .leftJoin('unit_contact', 'unit_contact.frame_unit_id', 'frame_unit.id')
        .select([
          'frame_unit.id',
          'frame_unit.municipality_code',
          'unit_contact.name',
          'unit_contact.email',
          'unit_contact.phone',
        ])
        .where('frame_unit.id', 'in', unitIds.slice(i, i + 5000))
        .execute()),
    );
  }
  return rows;
}
