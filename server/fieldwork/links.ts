// Respondent links after a wave opens: the distribution list for an external mail/SMS provider, reissuing a lost
// link, producing a round's list again, and reminder rounds. Tokens exist only in these results: Svar keeps their
// hashes.
import { recordAudit } from '../audit/queries.ts';
import type { Db } from '../db/connect.ts';
import { NotFoundError } from '../http/errors.ts';
import type { Actor } from '../staff/service.ts';
import { type ListedLink, type ListSink, listHeader, listLines, toListed } from './distribution-list.ts';
import { type IssuedLink, issueLinks } from './issue-links.ts';
import * as q from './queries.ts';
import * as rq from './queue-relist-queries.ts';
import * as qq from './queue-round-queries.ts';
import { ROUND_PAGE, remindRound } from './queue-rounds.ts';
import { lockWave } from './wave-lock.ts';

export { linkUrl, optOutUrl } from './distribution-list.ts';

const notOpen = (message: string) => ({ code: 'wave_not_open', message });

/** The whole distribution list of a few links, as one string (small waves and tests; rounds stream theirs). */
export async function distributionList(
  db: Db,
  _waveId: string,
  links: IssuedLink[],
  publicBaseUrl: string,
): Promise<string> {
  const units = new Map(
    (
      await qq.listUnitContacts(
        db,
        links.map((l) => l.frameUnitId),
      )
    ).map((u) => [u.id, u]),
  );
  const listed = links.map((l) => {
    const u = units.get(l.frameUnitId);
    return {
      ...l,
      municipalityCode: u?.municipality_code ?? null,
      name: u?.name ?? null,
      email: u?.email ?? null,
      phone: u?.phone ?? null,
    };
  });
  return listHeader() + listLines(listed, publicBaseUrl);
}

/** Replaces a unit's links with a new one (a lost or leaked link): the old ones stop working at once. */
export async function reissueLink(
  db: Db,
  waveId: string,
  externalId: string,
  actor: Actor,
  now: Date,
): Promise<IssuedLink> {
  return db.transaction().execute(async (trx) => {
    const refuse = notOpen('Links are reissued only while the wave is open.');
    await lockWave(trx, waveId, { allow: ['open'], refuse: { draft: refuse, closed: refuse } });
    const unit = await qq.findSelectedUnit(trx, waveId, externalId);
    if (!unit) throw new NotFoundError(`No selected unit ${externalId} in this wave.`, 'unit_not_found');
    await q.revokeLiveInvitations(trx, unit.id, now);
    const [link] = await issueLinks(
      trx,
      waveId,
      [{ frameUnitId: unit.id, externalId, locale: unit.preferred_locale }],
      'reissue',
    );
    await recordAudit(trx, {
      actor,
      action: 'invitation.reissued',
      subject: { kind: 'frame_unit', id: unit.id },
    });
    return link!;
  });
}

/** A reminder round's links, every unit in the list (no mail queued): `remindRound` is the full form. */
export async function issueReminderLinks(
  db: Db,
  waveId: string,
  actor: Actor,
  now: Date,
): Promise<IssuedLink[]> {
  return (await remindRound(db, waveId, actor, now, { mail: false })).links;
}

export interface RelistedRound {
  waveId: string;
  round: number;
  kind: 'invitation' | 'reminder';
  /** How many new links: one per unit of the round that was never sent a mail nor opened its link. */
  listed: number;
  /** The new links when no sink took them (small waves, tests); empty otherwise. */
  links: ListedLink[];
  /** Units left out because their link of the round has been opened: it reached them. */
  opened: number;
}

/**
 * Produces a round's distribution list again, for a list that never reached the respondents (the answer that
 * carried it was lost, the file was deleted): new links for the round's units that were not mailed and did not
 * open their link; their old links of the round are revoked. Units mailed in the round keep their mail's link.
 * Page by page into `sink`, in one transaction: a sink that fails leaves the old links as they were.
 */
export async function relistRound(
  db: Db,
  waveId: string,
  round: number,
  actor: Actor,
  now: Date,
  sink?: ListSink,
): Promise<RelistedRound> {
  return db.transaction().execute(async (trx) => {
    const refuse = notOpen('Links are issued only while the wave is open.');
    await lockWave(trx, waveId, { allow: ['open'], refuse: { draft: refuse, closed: refuse } });
    const r = await qq.findRound(trx, waveId, round);
    if (!r) throw new NotFoundError(`The wave has no round ${round}.`, 'round_not_found');
    const collected: ListedLink[] = [];
    let listed = 0;
    for (let after: string | null = null; ; ) {
      const page = await qq.nextPage(trx, waveId, after, ROUND_PAGE);
      if (!page) break;
      after = page.upto;
      const units = await rq.listRoundUnitsToRelist(trx, waveId, round, page);
      if (units.length === 0) continue;
      await rq.revokeRoundLinks(
        trx,
        waveId,
        round,
        units.map((u) => u.id),
        now,
      );
      const links = await issueLinks(
        trx,
        waveId,
        units.map((u) => toListed(u, u.locale ?? null)),
        r.kind,
        round,
      );
      if (sink) await sink(round, links);
      else collected.push(...links);
      listed += links.length;
    }
    const opened = await rq.countOpenedInRound(trx, waveId, round);
    await recordAudit(trx, {
      actor,
      action: 'wave.round_relisted',
      subject: { kind: 'wave', id: waveId },
      details: { round, links: listed, opened },
      at: now,
    });
    return { waveId, round, kind: r.kind, listed, links: collected, opened };
  });
}
