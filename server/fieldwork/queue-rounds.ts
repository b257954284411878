// Rounds of links: an opening or a reminder round issues, in one transaction, the links of the distribution list
// and, when mail is asked for, a queued mail for every unit with an e-mail address. A queued unit gets no token
// now: tokens are stored only as hashes, so its link is issued when its mail goes out (send.ts), and a crash
// before that loses nothing. The round goes page by page, each page's links handed to a sink (a file, a streamed
// answer) before the next: memory holds one page, and a sink that fails rolls the whole round back.
import { recordAudit } from '../audit/queries.ts';
import type { Db } from '../db/connect.ts';
import { ConflictError } from '../http/errors.ts';
import type { Actor } from '../staff/service.ts';
import type { SurveyPaths } from '../surveys/service.ts';
import { type ListedLink, type ListSink, toListed } from './distribution-list.ts';
import { issueLinks } from './issue-links.ts';
import * as q from './queries.ts';
import { enqueueMail } from './queue-queries.ts';
import {
  insertNextRound,
  listUnitsToInvite,
  listUnitsToRemind,
  nextPage,
  type Page,
} from './queue-round-queries.ts';
import { lockWave } from './wave-lock.ts';
import { themesForOpeningYear } from './wave-year.ts';

export interface Round {
  waveId: string;
  /** The round's number; null when there was nobody to reach, and so no round. */
  round: number | null;
  kind: 'invitation' | 'reminder';
  /** How many links were issued now, for the distribution list (with `mail`, the units without an address). */
  listed: number;
  /** The links themselves when no `sink` took them (small waves, tests); empty otherwise. */
  links: ListedLink[];
  /** Units whose mail (and link) waits in the send queue. */
  queued: number;
  /** Themes a draft wave took when it opened in another year than it was created in (wave-year.ts). */
  themesForYear?: { year: number; modules: string[] | null };
}

export interface RoundOptions {
  /** Queue a mail for units with an e-mail address instead of issuing their link now. */
  mail: boolean;
  /**
   * Takes each page of new links as it is issued (a file, a streamed answer), inside the round's transaction: a
   * sink that fails rolls the whole round back, so no link is committed that was not handed out.
   */
  sink?: ListSink;
  /** The instruments' sources, for a draft wave's themes in the year it opens (wave-year.ts); tools omit it. */
  paths?: SurveyPaths;
}

/** Units issued per page: a page's links, contacts and queued mail are what a round holds in memory. */
export const ROUND_PAGE = 2000;

type Unit = Parameters<typeof toListed>[0] & { has_email: boolean; preferred_locale: string | null };

/** Issues the units' links and queues the others' mail, page by page, as one new round. */
async function issueRound<U extends Unit>(
  trx: Parameters<typeof issueLinks>[0],
  waveId: string,
  kind: Round['kind'],
  listPage: (page: Page) => Promise<U[]>,
  localeOf: (u: U) => string | null,
  opts: RoundOptions,
  now: Date,
) {
  const collected: ListedLink[] = [];
  const sink: ListSink = opts.sink ?? (async (_round, links) => void collected.push(...links));
  let round: number | null = null;
  let listed = 0;
  let queued = 0;
  for (let after: string | null = null; ; ) {
    const page = await nextPage(trx, waveId, after, ROUND_PAGE);
    if (!page) break;
    after = page.upto;
    const units = await listPage(page);
    if (units.length === 0) continue;
    round ??= await insertNextRound(trx, waveId, kind, now);
    const mailed = opts.mail ? units.filter((u) => u.has_email) : [];
    const links = await issueLinks(
      trx,
      waveId,
      (opts.mail ? units.filter((u) => !u.has_email) : units).map((u) => toListed(u, localeOf(u))),
      kind,
      round,
    );
    await enqueueMail(
      trx,
      waveId,
      round,
      kind,
      mailed.map((u) => ({ frameUnitId: u.id, locale: localeOf(u) })),
      now,
    );
    // Every page, even one of mail only: the sink learns the round's number as soon as it exists.
    await sink(round, links);
    listed += links.length;
    queued += mailed.length;
  }
  return { round, listed, queued, links: collected };
}

/** A unit's own language when the wave offers it; else null (the wave's first language). */
function offeredLocale(wave: { locales: string[] }, locale: string | null): string | null {
  return locale && wave.locales.includes(locale) ? locale : null;
}

/**
 * Opens a wave (or, when it is open, reaches units selected since): a census selects every unit; every selected
 * unit without a live link or a queued mail is invited. Tokens in `links` are shown once and cannot be read back.
 */
export async function openWaveRound(
  db: Db,
  waveId: string,
  actor: Actor,
  now: Date,
  opts: RoundOptions,
): Promise<Round> {
  return db.transaction().execute(async (trx) => {
    const wave = await lockWave(trx, waveId, {
      allow: ['draft', 'open'],
      refuse: { closed: { code: 'wave_closed', message: 'A closed wave cannot be opened again.' } },
    });
    if (wave.mode === 'census') await q.selectAllUnits(trx, waveId);
    else if (wave.status === 'draft' && !wave.sampling)
      throw new ConflictError('sample_not_drawn', 'Draw the sample before opening a sample wave.');
    const themesForYear = await themesForOpeningYear(trx, wave, opts.paths, actor, now);
    const r = await issueRound(
      trx,
      waveId,
      'invitation',
      (page) => listUnitsToInvite(trx, waveId, page),
      (u) => offeredLocale(wave, u.preferred_locale),
      opts,
      now,
    );
    if (wave.status === 'draft') await q.setWaveStatus(trx, waveId, 'open', now);
    await recordAudit(trx, {
      actor,
      action: 'wave.opened',
      subject: { kind: 'wave', id: waveId },
      details: { invitations: r.listed, queued: r.queued, round: r.round },
    });
    return { waveId, kind: 'invitation', ...r, ...(themesForYear ? { themesForYear } : {}) };
  });
}

/**
 * A reminder round: every selected unit that has not completed and has not opted out gets a new link (earlier
 * links keep working: a respondent may be half-way on one), or a queued reminder mail.
 */
export async function remindRound(
  db: Db,
  waveId: string,
  actor: Actor,
  now: Date,
  opts: RoundOptions,
): Promise<Round> {
  return db.transaction().execute(async (trx) => {
    const notOpen = { code: 'wave_not_open', message: 'Reminders go out only while the wave is open.' };
    const wave = await lockWave(trx, waveId, {
      allow: ['open'],
      refuse: { draft: notOpen, closed: notOpen },
    });
    const r = await issueRound(
      trx,
      waveId,
      'reminder',
      (page) => listUnitsToRemind(trx, waveId, page),
      (u) => u.response_locale ?? offeredLocale(wave, u.preferred_locale),
      opts,
      now,
    );
    await recordAudit(trx, {
      actor,
      action: 'wave.reminders_issued',
      subject: { kind: 'wave', id: waveId },
      details: { units: r.listed + r.queued, queued: r.queued, round: r.round },
      at: now,
    });
    return { waveId, kind: 'reminder', ...r };
  });
}
