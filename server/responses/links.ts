// What a link is and whether it works now: a unit's invitation (a participant, or a municipality's chief
// executive) or a delegate's link. Unknown, revoked and emptied links all answer alike.
import type { Executor } from '../audit/queries.ts';
import type { VersionLocale } from '../db/schema.ts';
import { findDelegateByTokenHash, listLiveDelegations } from '../delegation/queries.ts';
import { AppError } from '../http/errors.ts';
import { hashSecretToken } from '../security/secret-token.ts';
import { referenceYearOf } from '../surveys/wave-variables.ts';
import * as q from './queries.ts';

/** The same answer for an unknown and a revoked link, so neither reveals whether a token exists. */
export class LinkNotValidError extends AppError {
  constructor() {
    super(404, 'link_not_valid', 'This link cannot be used.');
  }
}

export type LinkRole = 'respondent' | 'chief_executive' | 'delegate';

export interface Link {
  role: LinkRole;
  /** How answers record this writer: `respondent`, `chief_executive` or `delegate:<id>` (never a name). */
  by: string;
  invitationId: string | null;
  /** Whether the invitation was opened before (a delegate's link: nothing to record). */
  opened: boolean;
  delegateId: string | null;
  /** A delegate's live sections; empty for everyone else. */
  sections: string[];
  frameUnitId: string;
  waveId: string;
  waveLocales: string[];
  unitType: 'participant' | 'municipality';
  versionId: string;
  instrumentId: string;
  version: number;
  versionLocales: VersionLocale[];
  /** The invitation's or the delegate's language. */
  linkLocale: string | null;
  /** The year the wave is about ("this year"; server/surveys/wave-variables.ts): the same for all its respondents. */
  referenceYear: number;
  /** The modules the wave runs (core + its year's themes); null: every module of the version. */
  waveModules: string[] | null;
}

const tokenShape = /^[A-Za-z0-9_-]{43}$/;

export function tokenHashOf(token: string): string {
  return tokenShape.test(token) ? hashSecretToken(token) : '';
}

export function writerOf(role: LinkRole, delegateId: string | null): string {
  return role === 'delegate' ? `delegate:${delegateId}` : role;
}

function checkWave(w: { wave_status: string; opens_at: Date | null; closes_at: Date | null }, now: Date) {
  if (w.wave_status === 'closed' || (w.closes_at && w.closes_at <= now)) {
    throw new AppError(410, 'survey_closed', 'The survey is closed.');
  }
  if (w.wave_status !== 'open' || (w.opens_at && w.opens_at > now)) {
    throw new AppError(403, 'survey_not_open', 'The survey has not started yet.');
  }
}

/** Resolves a link, refusing revoked links, delegates left without sections, and waves not open at this moment. */
export async function resolveLink(db: Executor, token: string, now: Date): Promise<Link> {
  const hash = tokenHashOf(token);
  if (!hash) throw new LinkNotValidError();
  const inv = await q.findInvitationByTokenHash(db, hash);
  if (inv) {
    if (inv.revoked_at) throw new LinkNotValidError();
    checkWave(inv, now);
    const role = roleOf('invitation', inv.unit_type);
    return {
      role,
      by: writerOf(role, null),
      invitationId: inv.invitation_id,
      opened: inv.opened_at !== null,
      delegateId: null,
      sections: [],
      frameUnitId: inv.frame_unit_id,
      waveId: inv.wave_id,
      waveLocales: inv.wave_locales,
      unitType: inv.unit_type,
      versionId: inv.version_id,
      instrumentId: inv.instrument_id,
      version: inv.version,
      versionLocales: inv.version_locales,
      linkLocale: inv.invitation_locale,
      referenceYear: referenceYearOf({ opensAt: inv.opens_at, openedAt: inv.wave_opened_at }, now),
      waveModules: inv.wave_modules,
    };
  }
  const d = await findDelegateByTokenHash(db, hash);
  if (!d || d.revoked_at) throw new LinkNotValidError();
  checkWave(d, now);
  const sections = (await listLiveDelegations(db, d.wave_id, { delegateId: d.delegate_id })).map(
    (r) => r.section,
  );
  if (sections.length === 0) throw new LinkNotValidError();
  return {
    role: 'delegate',
    by: writerOf('delegate', d.delegate_id),
    invitationId: null,
    opened: true,
    delegateId: d.delegate_id,
    sections,
    frameUnitId: d.frame_unit_id,
    waveId: d.wave_id,
    waveLocales: d.wave_locales,
    unitType: 'municipality',
    versionId: d.version_id,
    instrumentId: d.instrument_id,
    version: d.version,
    versionLocales: d.version_locales,
    linkLocale: d.delegate_locale,
    referenceYear: referenceYearOf({ opensAt: d.opens_at, openedAt: d.wave_opened_at }, now),
    waveModules: d.wave_modules,
  };
}

export type LinkKind = NonNullable<Awaited<ReturnType<typeof q.findLinkKindByTokenHash>>>;

/**
 * What a token is never changes: cached per process. Whether it still works is never taken from here: the saving
 * statement checks it, and a refusal decided before that statement asks the database first (service.ts), so a link
 * revoked through another process is refused at once, with the same answer as an unknown one.
 */
const linkKinds = new Map<string, LinkKind>();
export async function linkKindOf(db: Executor, tokenHash: string): Promise<LinkKind | undefined> {
  const cached = linkKinds.get(tokenHash);
  if (cached) return cached;
  const kind = tokenHash ? await q.findLinkKindByTokenHash(db, tokenHash) : undefined;
  if (kind) {
    if (linkKinds.size >= 100_000) linkKinds.delete(linkKinds.keys().next().value!);
    linkKinds.set(tokenHash, kind);
  }
  return kind;
}

/** Drops a link found revoked or gone: its entry would only take room. */
export function forgetLinkKind(tokenHash: string): void {
  linkKinds.delete(tokenHash);
}

/** A delegate link is a delegate's; a unit's invitation is its chief executive's in the municipal survey. */
export function roleOf(kind: 'invitation' | 'delegate', unitType: 'participant' | 'municipality'): LinkRole {
  if (kind === 'delegate') return 'delegate';
  return unitType === 'municipality' ? 'chief_executive' : 'respondent';
}
