// Delegation by the chief executive: hand sections to colleagues (a link each), take them back, and the
// delegate's "done". Every change locks the municipality's frame unit, so two changes to one municipality's
// delegations never interleave, and is audited in the same transaction.
import { recordAudit } from '../audit/queries.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/connect.ts';
import { ConflictError, ForbiddenError, TooManyRequestsError, ValidationError } from '../http/errors.ts';
import { municipalUnitName } from '../reference/municipalities.ts';
import { type Link, resolveLink } from '../responses/links.ts';
import * as rq from '../responses/queries.ts';
import { outsideDelegation, sectionMapOfLink, sectionsOfLink } from '../responses/service.ts';
import { hashSecretToken, newSecretToken } from '../security/secret-token.ts';
import { displayText } from '../surveys/localizable.ts';
import { renderDelegationMail, sendDelegationMail } from './mail.ts';
import * as q from './queries.ts';
import type { SectionStatus } from './status.ts';

type Trx = Parameters<typeof q.insertDelegate>[0];

const delegatesPerDay = 50;
const dayMs = 24 * 3600_000;

export interface DelegateInput {
  sections: string[];
  name: string;
  email: string;
  locale: string;
  message?: string | undefined;
}

export interface DelegateResult {
  delegateId: string;
  /** The delegate's link: shown once, stored only as a hash. */
  link: string;
  sections: string[];
  mailed: boolean;
}

function requireChiefExecutive(link: Link): void {
  if (link.role !== 'chief_executive')
    throw new ForbiddenError('Only the chief executive can do this.', 'chief_executive_only');
}

/** Locks the municipality for a change of its delegations, refusing once its response is submitted. */
async function lockMunicipality(trx: Trx, link: Link): Promise<void> {
  await trx.selectFrom('frame_unit').select('id').where('id', '=', link.frameUnitId).forUpdate().execute();
  const response = await rq.findResponse(trx, link.frameUnitId);
  if (response?.status === 'completed')
    throw new ConflictError('response_completed', 'The response was submitted; nothing can change any more.');
}

/** Ends the live delegation of these sections; a delegate left with none loses its link. */
async function endSections(
  trx: Trx,
  link: Link,
  sections: string[],
  reason: 'redelegated' | 'taken_back',
  now: Date,
) {
  const ended = await q.endLiveDelegations(trx, link.frameUnitId, sections, reason, now);
  const revoked = await q.revokeDelegatesWithoutSections(
    trx,
    ended.map((e) => e.delegate_id),
    now,
  );
  for (const r of revoked)
    await recordAudit(trx, {
      actor: { kind: 'respondent', id: link.by },
      action: 'delegate.revoked',
      subject: { kind: 'frame_unit', id: link.frameUnitId },
      details: { delegateId: r.id, reason },
      at: now,
    });
  return { ended, revoked };
}

async function checkSections(db: Db | Trx, link: Link, sections: string[]): Promise<void> {
  const map = await sectionMapOfLink(db, link.versionId, link.waveModules);
  const known = new Set(map.sections.map((s) => s.name));
  const unknown = sections.filter((s) => !known.has(s));
  if (unknown.length)
    throw new ValidationError(
      'These are not sections that can be delegated.',
      unknown.map((name) => ({ name, reason: `one of ${[...known].join(', ')}` })),
      'unknown_section',
    );
}

/**
 * Delegates sections to a colleague with a new link. A section already delegated is re-delegated: its earlier
 * delegate loses it at once, and a delegate left with no section loses its link.
 */
export async function delegateSections(
  db: Db,
  config: Pick<Config, 'publicBaseUrl' | 'smtpUrl' | 'mailFrom' | 'localesDir'>,
  token: string,
  input: DelegateInput,
  now: Date,
): Promise<DelegateResult> {
  const secret = newSecretToken();
  const created = await db.transaction().execute(async (trx) => {
    const link = await resolveLink(trx, token, now);
    requireChiefExecutive(link);
    if (!link.waveLocales.includes(input.locale))
      throw new ValidationError(
        'This language is not offered.',
        [{ name: 'locale', reason: `one of ${link.waveLocales.join(', ')}` }],
        'unknown_locale',
      );
    await checkSections(trx, link, input.sections);
    await lockMunicipality(trx, link);
    // Each delegation can mail anyone: a leaked chief executive's link must not become a mail cannon.
    if (
      (await q.countDelegatesSince(trx, link.frameUnitId, new Date(now.getTime() - dayMs))) >= delegatesPerDay
    )
      throw new TooManyRequestsError(
        `At most ${delegatesPerDay} delegate links a day for one municipality.`,
        24 * 3600,
      );
    const { ended, revoked } = await endSections(trx, link, input.sections, 'redelegated', now);
    const delegateId = await q.insertDelegate(trx, {
      waveId: link.waveId,
      frameUnitId: link.frameUnitId,
      tokenHash: hashSecretToken(secret),
      locale: input.locale,
      name: input.name,
      email: input.email,
      at: now,
    });
    await q.insertDelegations(trx, {
      waveId: link.waveId,
      frameUnitId: link.frameUnitId,
      delegateId,
      sections: input.sections,
      at: now,
    });
    await recordAudit(trx, {
      actor: { kind: 'respondent', id: link.by },
      action: 'delegation.created',
      subject: { kind: 'frame_unit', id: link.frameUnitId },
      details: {
        delegateId,
        sections: input.sections,
        locale: input.locale,
        redelegatedFrom: ended.map((e) => ({ section: e.section, delegateId: e.delegate_id })),
        revokedDelegates: revoked.map((r) => r.id),
      },
      at: now,
    });
    return { link, delegateId };
  });
  const url = `${config.publicBaseUrl}/s/${secret}`;
  const mailed = config.smtpUrl ? await mailDelegate(db, config, created.link, input, url) : false;
  return { delegateId: created.delegateId, link: url, sections: input.sections, mailed };
}

/** Mails the link in the language the chief executive chose; a failed send is reported, never fatal. */
async function mailDelegate(
  db: Db,
  config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'localesDir'>,
  link: Link,
  input: DelegateInput,
  url: string,
): Promise<boolean> {
  const definition = await rq.findVersionDefinition(db, link.versionId);
  const map = await sectionMapOfLink(db, link.versionId, link.waveModules);
  const unit = await db
    .selectFrom('frame_unit')
    .innerJoin('wave', 'wave.id', 'frame_unit.wave_id')
    .select(['frame_unit.municipality_code', 'frame_unit.attributes', 'wave.closes_at'])
    .where('frame_unit.id', '=', link.frameUnitId)
    .executeTakeFirstOrThrow();
  const mail = renderDelegationMail(config.localesDir, {
    locale: input.locale,
    surveyTitle: displayText(definition.title, input.locale),
    municipalityName:
      municipalUnitName(unit.municipality_code, unit.attributes) ?? unit.municipality_code ?? '',
    sectionTitles: map.sections
      .filter((s) => input.sections.includes(s.name))
      .map((s) => displayText(s.title, input.locale)),
    message: input.message ?? null,
    link: url,
    closesOn: unit.closes_at,
  });
  try {
    await sendDelegationMail(config, input.email, mail);
    return true;
  } catch {
    return false;
  }
}

/** Takes sections back from their delegates: their links lose them at once. */
export async function takeBackSections(db: Db, token: string, sections: string[], now: Date) {
  return db.transaction().execute(async (trx) => {
    const link = await resolveLink(trx, token, now);
    requireChiefExecutive(link);
    await checkSections(trx, link, sections);
    await lockMunicipality(trx, link);
    const { ended, revoked } = await endSections(trx, link, sections, 'taken_back', now);
    await recordAudit(trx, {
      actor: { kind: 'respondent', id: link.by },
      action: 'delegation.taken_back',
      subject: { kind: 'frame_unit', id: link.frameUnitId },
      details: {
        sections: ended.map((e) => ({ section: e.section, delegateId: e.delegate_id })),
        revokedDelegates: revoked.map((r) => r.id),
      },
      at: now,
    });
    return { sections: ended.map((e) => e.section) };
  });
}

/** A delegate marks its sections done, or reopens them, until the chief executive submits. */
export async function markSectionsDone(
  db: Db,
  token: string,
  input: { sections: string[]; done: boolean },
  now: Date,
): Promise<{ sections: SectionStatus[] }> {
  return db.transaction().execute(async (trx) => {
    const link = await resolveLink(trx, token, now);
    if (link.role !== 'delegate')
      throw new ForbiddenError('Only a delegate marks its sections done.', 'delegate_only');
    const outside = input.sections.filter((s) => !link.sections.includes(s));
    if (outside.length) throw outsideDelegation([]).with({ sections: outside });
    await lockMunicipality(trx, link);
    await q.setSectionsDone(trx, link.delegateId!, input.sections, input.done ? now : null);
    await recordAudit(trx, {
      actor: { kind: 'respondent', id: link.by },
      action: input.done ? 'delegation.done' : 'delegation.reopened',
      subject: { kind: 'frame_unit', id: link.frameUnitId },
      details: { delegateId: link.delegateId, sections: input.sections },
      at: now,
    });
    const response = await rq.findResponse(trx, link.frameUnitId);
    const map = await sectionMapOfLink(trx, link.versionId, link.waveModules);
    return { sections: await sectionsOfLink(trx, link, map, response?.answers ?? {}) };
  });
}
