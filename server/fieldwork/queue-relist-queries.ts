// SQL for producing a round's distribution list again (links.ts): which units of the round never got their link,
// revoking their old links of the round, and how many opened theirs.
import { sql } from 'kysely';
import type { Executor } from '../audit/queries.ts';
import { contactColumns, type Page } from './queue-round-queries.ts';

/**
 * The units of round `round` whose link was never handed out as far as Svar knows: a live link of the round that
 * nobody opened and no mail of the round sent or on its way (a mail that failed for good counts as not sent).
 * Units that completed or opted out are left out; so is any unit whose link of the round was opened.
 */
export function listRoundUnitsToRelist(db: Executor, waveId: string, round: number, page: Page) {
  // Each unit's links, mail and response probed by index (LATERAL), as for a round (withLinkAndMail).
  return db
    .selectFrom('frame_unit')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('invitation as i')
          .select([
            sql<boolean | null>`bool_or(i.revoked_at is null)`.as('live'),
            sql<boolean | null>`bool_or(i.opened_at is not null)`.as('opened'),
            sql<string | null>`(array_agg(i.locale order by i.created_at desc))[1]`.as('locale'),
          ])
          .whereRef('i.frame_unit_id', '=', 'frame_unit.id')
          .where('i.round', '=', round)
          .as('link'),
      (join) => join.onTrue(),
    )
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('mail_queue as m')
          .select('m.status')
          .whereRef('m.frame_unit_id', '=', 'frame_unit.id')
          .where('m.wave_id', '=', waveId)
          .where('m.round', '=', round)
          .limit(1)
          .as('mail'),
      (join) => join.onTrue(),
    )
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('response as r')
          .select('r.status')
          .whereRef('r.frame_unit_id', '=', 'frame_unit.id')
          .limit(1)
          .as('answer'),
      (join) => join.onTrue(),
    )
    .leftJoin('unit_contact', 'unit_contact.frame_unit_id', 'frame_unit.id')
    .select(['frame_unit.id', 'frame_unit.external_id', 'link.locale'])
    .select(contactColumns)
    .where('frame_unit.wave_id', '=', waveId)
    .where('frame_unit.selected', '=', true)
    .where('frame_unit.opted_out_at', 'is', null)
    .where((eb) =>
      eb.and([
        eb.or([eb('link.live', '=', true), eb('mail.status', '=', 'failed')]),
        eb.or([eb('mail.status', 'is', null), eb('mail.status', 'not in', ['pending', 'sending', 'sent'])]),
        eb.or([eb('link.opened', 'is', null), eb('link.opened', '=', false)]),
        eb.or([eb('answer.status', 'is', null), eb('answer.status', '<>', 'completed')]),
      ]),
    )
    .$if(page.after !== null, (q) => q.where('frame_unit.external_id', '>', page.after!))
    .where('frame_unit.external_id', '<=', page.upto)
    .orderBy('frame_unit.external_id')
    .execute();
}

/** Revokes the live links of round `round` of these units. */
export async function revokeRoundLinks(
  db: Executor,
  waveId: string,
  round: number,
  unitIds: string[],
  at: Date,
) {
  for (let i = 0; i < unitIds.length; i += 5000) {
    await db
      .updateTable('invitation')
      .set({ revoked_at: at })
      .where('wave_id', '=', waveId)
      .where('round', '=', round)
      .where('revoked_at', 'is', null)
      .where('frame_unit_id', 'in', unitIds.slice(i, i + 5000))
      .execute();
  }
}

/** How many units of a round have opened its link: they are left out when the round's list is produced again. */
export async function countOpenedInRound(db: Executor, waveId: string, round: number): Promise<number> {
  const r = await db
    .selectFrom('invitation')
    .select((eb) => eb.fn.count<string>('frame_unit_id').distinct().as('n'))
    .where('wave_id', '=', waveId)
    .where('round', '=', round)
    .where('opened_at', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
