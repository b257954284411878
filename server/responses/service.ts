// The respondent side: open a survey by link, save answers as they are given, submit. Answers merge per question
// in one statement; each carries who set it, when, and the server revision that set it, and a change made from an
// outdated revision of someone else's answer is refused as a conflict (ADR 5).
import { Model } from 'survey-core';
import { recordAudit } from '../audit/queries.ts';
import type { Db } from '../db/connect.ts';
import { listLiveDelegations, toLiveDelegation } from '../delegation/queries.ts';
import { sectionMapFor, sectionsTouched } from '../delegation/sections.ts';
import { type SectionStatus, sectionStatuses } from '../delegation/status.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../http/errors.ts';
import { answerCheckerFor } from './answer-checker.ts';
import { answerConflictError, conflictsOf } from './conflicts.ts';
import {
  type Link,
  LinkNotValidError,
  linkKindOf,
  resolveLink,
  roleOfKind,
  tokenHashOf,
  writerOf,
} from './links.ts';
import * as q from './queries.ts';
import { setUpSurveyLocales } from './survey-locales.ts';
import { pick, readableCodes, referencedNames, revisionsOf, withPages } from './view.ts';

export { LinkNotValidError };

type Json = Record<string, unknown>;

function offeredLocales(link: Link) {
  const meta = new Map(link.versionLocales.map((l) => [l.locale, l]));
  return link.waveLocales.map((locale) => ({
    locale,
    name: meta.get(locale)?.name ?? locale,
    dir: meta.get(locale)?.dir ?? 'ltr',
  }));
}

export function sectionMapOfLink(db: Db | Parameters<typeof q.findVersionDefinition>[0], versionId: string) {
  return sectionMapFor(versionId, () => q.findVersionDefinition(db, versionId));
}

export interface SurveyView {
  instrumentId: string;
  version: number;
  status: 'in_progress' | 'completed';
  role: Link['role'];
  /** A submitted municipal response: shown, never changed. */
  readOnly: boolean;
  locale: string;
  dir: 'ltr' | 'rtl';
  locales: { locale: string; name: string; dir: 'ltr' | 'rtl' }[];
  definition: Json | null;
  answers: Json;
  /** The revision of each answer this link may read: sent back as `bases` with a change (ADR 5). */
  revs: Record<string, number>;
  /** A delegate's read-only values of outside questions its conditions name; empty for everyone else. */
  context: Json;
  /** Municipal survey: every delegable section for the chief executive, a delegate's own for a delegate. */
  sections: SectionStatus[] | null;
  delegateId: string | null;
  currentPage: string | null;
  savedAt: string | null;
}

/** What the survey page needs: the pinned version, the offered languages and the answers this link may see. */
export async function openSurvey(
  db: Db,
  token: string,
  opts: { now: Date; requested?: string | undefined; browser?: string | undefined },
): Promise<SurveyView> {
  const link = await resolveLink(db, token, opts.now);
  if (link.invitationId) await q.markInvitationOpened(db, link.invitationId, opts.now);
  const response = await q.findResponse(db, link.frameUnitId);
  const locales = offeredLocales(link);
  const offered = locales.map((l) => l.locale);
  // The language asked for now, else the one last used (a delegate: its own), else the link's, else the
  // browser's, else bokmål.
  const lastUsed =
    link.role === 'delegate' ? response?.answer_meta[`$page:${link.by}`]?.locale : response?.locale;
  const pick1 = [opts.requested, lastUsed, link.linkLocale, opts.browser, 'nb', offered[0]].find(
    (l) => l && offered.includes(l),
  )!;
  const completed = response?.status === 'completed';
  const municipal = link.unitType === 'municipality';
  const base = {
    instrumentId: link.instrumentId,
    version: link.version,
    status: completed ? ('completed' as const) : ('in_progress' as const),
    role: link.role,
    locale: pick1,
    dir: locales.find((l) => l.locale === pick1)?.dir ?? 'ltr',
    locales,
    delegateId: link.delegateId,
    savedAt: response?.last_saved_at?.toISOString() ?? null,
  };
  // After submission a participant's link shows only the thank-you page: the answers are not sent back.
  if (completed && !municipal) {
    return {
      ...base,
      readOnly: true,
      definition: null,
      answers: {},
      revs: {},
      context: {},
      sections: null,
      currentPage: null,
    };
  }
  const definition = await q.findVersionDefinition(db, link.versionId);
  const map = municipal ? await sectionMapOfLink(db, link.versionId) : null;
  const codes = readableCodes(link, map);
  const stored = response?.answers ?? {};
  const meta = response?.answer_meta ?? {};
  const view = link.role === 'delegate' ? withPages(definition, link.sections) : definition;
  const context =
    link.role === 'delegate'
      ? Object.fromEntries(
          [...referencedNames(view)].filter((n) => !codes?.has(n) && n in stored).map((n) => [n, stored[n]]),
        )
      : {};
  return {
    ...base,
    readOnly: completed,
    definition: view,
    answers: pick(stored, codes),
    revs: revisionsOf(meta, codes),
    context,
    sections: map ? await sectionsOfLink(db, link, map, stored) : null,
    currentPage: (link.role === 'delegate' ? meta[`$page:${link.by}`]?.page : response?.current_page) ?? null,
  };
}

/** The section statuses a link sees: all of them, with the delegates' names, for the chief executive. */
export async function sectionsOfLink(
  db: Db | Parameters<typeof listLiveDelegations>[0],
  link: Link,
  map: Awaited<ReturnType<typeof sectionMapOfLink>>,
  answers: Json,
): Promise<SectionStatus[]> {
  const live = await listLiveDelegations(db, link.waveId, {
    frameUnitId: link.frameUnitId,
    withContact: link.role === 'chief_executive',
  });
  return sectionStatuses(
    map,
    answers,
    live.map(toLiveDelegation),
    link.role === 'delegate' ? { sections: link.sections } : {},
  );
}

export interface AnswerSave {
  answers: Json;
  /** Per answer key, the revision the writer last saw of it (ADR 5); absent: it saw none. */
  bases?: Record<string, number> | undefined;
  page?: string | null | undefined;
  locale?: string | undefined;
  /**
   * A random id the page keeps per device: with the link, who counts as the same writer, so a device's own
   * retried save never conflicts with itself while another device of the same link does (ADR 5).
   */
  device?: string | undefined;
  /** Sent by earlier pages; no longer orders anything (a device's clock is not to be trusted). */
  clientTime?: number | undefined;
}

export interface SaveResult {
  savedAt: string;
  applied: string[];
  /** The revision each applied answer now has. */
  revs: Record<string, number>;
}

/** Validates a partial answer set against the pinned version and merges it; durable (committed) on return. */
export async function saveAnswers(
  db: Db,
  token: string,
  save: AnswerSave,
  ctx: { now: Date; userAgentClass?: string },
): Promise<SaveResult> {
  const tokenHash = tokenHashOf(token);
  const kind = await linkKindOf(db, tokenHash);
  if (!kind) throw new LinkNotValidError();
  const versionId = kind.instrument_version_id;
  const checker = await answerCheckerFor(versionId, () => q.findVersionDefinition(db, versionId));
  const problems = checker.check(save.answers);
  if (problems.length) {
    throw new ValidationError(
      'Some answers are not valid.',
      problems.map((p) => ({ name: p.code, reason: p.reason })),
      'invalid_answers',
    );
  }
  const role = roleOfKind(kind);
  const by = writerOf(role, kind.delegateId);
  const codes = Object.keys(save.answers);
  let sections: string[] = [];
  if (kind.unit_type === 'municipality') {
    const touched = sectionsTouched(await sectionMapOfLink(db, versionId), codes);
    // Part A is never delegated: a delegate writing there is refused before the database is asked.
    if (role === 'delegate' && touched.outside.length) throw outsideDelegation(touched.outside);
    sections = touched.sections;
  }
  // A refusal whose reason is gone when asked (a conflict resolved in between) is simply tried again.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    // One statement: committed (durable) when it returns.
    const stored = await q.mergeSaveByToken(db, {
      tokenHash,
      link: kind.kind,
      now: ctx.now,
      locale: save.locale ?? null,
      answers: save.answers,
      bases: save.bases ?? {},
      sections,
      page: save.page,
      by,
      device: save.device ?? '',
      deviceClass: ctx.userAgentClass ?? null,
    });
    if (stored) {
      const rev = Number(stored.rev);
      return {
        savedAt: ctx.now.toISOString(),
        applied: codes,
        revs: Object.fromEntries(codes.map((c) => [c, rev])),
      };
    }
    const why = await whySaveRefused(db, token, save, sections, ctx.now);
    if (why) throw why;
  }
  throw new ConflictError('answer_conflict', 'The answers changed while saving. Try again.');
}

export function outsideDelegation(codes: string[]) {
  return new ForbiddenError(
    'These questions are not in the sections delegated to this link.',
    'outside_delegation',
  ).with({
    codes,
  });
}

/** The rare path: which of the save's conditions failed, as the error to answer with (null: none any more). */
async function whySaveRefused(db: Db, token: string, save: AnswerSave, sections: string[], now: Date) {
  try {
    const link = await resolveLink(db, token, now);
    if (save.locale && !link.waveLocales.includes(save.locale)) {
      return new ValidationError(
        'This language is not offered.',
        [{ name: 'locale', reason: `one of ${link.waveLocales.join(', ')}` }],
        'unknown_locale',
      );
    }
    const response = await q.findResponse(db, link.frameUnitId);
    if (response?.status === 'completed')
      return new ConflictError('response_completed', 'The answers were already sent.');
    if (link.role === 'delegate') {
      const lost = sections.filter((s) => !link.sections.includes(s));
      if (lost.length) return outsideDelegation(Object.keys(save.answers)).with({ sections: lost });
    } else if (sections.length) {
      const live = await listLiveDelegations(db, link.waveId, { frameUnitId: link.frameUnitId });
      const delegated = live.filter((d) => sections.includes(d.section)).map((d) => d.section);
      if (delegated.length)
        return new ForbiddenError('These sections are delegated to a colleague.', 'section_delegated').with({
          sections: delegated,
        });
    }
    if (!response) return null;
    const conflicts = await conflictsOf(
      db,
      link,
      response,
      save.answers,
      save.bases ?? {},
      save.device ?? '',
    );
    return conflicts.length ? answerConflictError(conflicts) : null;
  } catch (err) {
    return err as Error;
  }
}

/**
 * Submits: the whole response is validated by survey-core (required answers, conditions, validators); values of
 * questions hidden by their conditions are cleared, as SurveyJS does on completion; then it is completed for good.
 * In the municipal survey only the chief executive submits; delegated sections not marked done need an explicit
 * confirmation, and are then not required to be complete.
 */
export async function submitResponse(
  db: Db,
  token: string,
  ctx: { now: Date; locale?: string | undefined; confirmSectionsNotDone?: boolean | undefined },
) {
  setUpSurveyLocales();
  return db.transaction().execute(async (trx) => {
    const link = await resolveLink(trx, token, ctx.now);
    if (link.role === 'delegate')
      throw new ForbiddenError('Only the chief executive submits the response.', 'chief_executive_only');
    const response = await q.lockResponse(trx, {
      waveId: link.waveId,
      frameUnitId: link.frameUnitId,
      versionId: link.versionId,
      locale: ctx.locale ?? link.linkLocale ?? link.waveLocales[0]!,
      at: ctx.now,
    });
    if (response.status === 'completed')
      throw new ConflictError('response_completed', 'The answers were already sent.');
    const notDone =
      link.role === 'chief_executive'
        ? (
            await listLiveDelegations(trx, link.waveId, { frameUnitId: link.frameUnitId, withContact: true })
          ).filter((d) => !d.done_at)
        : [];
    if (notDone.length && !ctx.confirmSectionsNotDone) {
      throw new ConflictError('sections_not_done', 'Some delegated sections are not done yet.').with({
        sections: notDone.map((d) => ({
          name: d.section,
          delegateName: (d as { contact_name?: string | null }).contact_name ?? null,
        })),
      });
    }
    const model = new Model(await q.findVersionDefinition(trx, link.versionId));
    // survey-core reports its default language (bokmål) as "", so keep the code itself.
    const locale = ctx.locale && link.waveLocales.includes(ctx.locale) ? ctx.locale : response.locale;
    model.locale = locale;
    model.data = response.answers;
    const skipped = new Set(notDone.map((d) => d.section));
    const checked = model.visiblePages
      .filter((p) => !skipped.has(p.name))
      .map((p) => p.validate(true, false));
    if (!checked.every(Boolean)) {
      const missing = model
        .getAllQuestions(true, false, true)
        .flatMap((question) =>
          question.errors.map((e) => ({ name: question.getValueName(), reason: e.getText() })),
        );
      throw new ValidationError(
        'Some questions must be answered before sending.',
        missing,
        'missing_answers',
      );
    }
    const answers = { ...response.answers };
    for (const question of model.getAllQuestions(false, false, false)) {
      if (question.isVisible && question.isParentVisible) continue;
      delete answers[question.getValueName()];
      delete answers[`${question.getValueName()}-Comment`];
    }
    await q.updateResponse(trx, response.id, {
      answers,
      answerMeta: response.answer_meta,
      locale,
      localesUsed: response.locales_used.includes(locale)
        ? response.locales_used
        : [...response.locales_used, locale],
      at: ctx.now,
      completed: true,
    });
    if (link.role === 'chief_executive') {
      await recordAudit(trx, {
        actor: { kind: 'respondent', id: link.by },
        action: 'response.submitted',
        subject: { kind: 'frame_unit', id: link.frameUnitId },
        details: { sectionsNotDone: [...skipped] },
        at: ctx.now,
      });
    }
    return { completedAt: ctx.now.toISOString() };
  });
}

/** Stops all further mail to the unit behind a link (invitations and reminders), whatever link it uses. */
export async function optOut(db: Db, token: string, now: Date): Promise<{ optedOutAt: string }> {
  return db.transaction().execute(async (trx) => {
    const link = await resolveLink(trx, token, now);
    // A delegate is a colleague asked by the chief executive, not a unit of the frame: nothing to opt out of.
    if (!link.invitationId) throw new LinkNotValidError();
    await trx
      .updateTable('frame_unit')
      .set({ opted_out_at: now })
      .where('id', '=', link.frameUnitId)
      .where('opted_out_at', 'is', null)
      .execute();
    await trx
      .updateTable('invitation')
      .set({ opted_out_at: now })
      .where('id', '=', link.invitationId)
      .execute();
    return { optedOutAt: now.toISOString() };
  });
}
