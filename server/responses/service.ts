// The respondent side: save answers as they are given, by any kind of link. Answers merge per question in one
// statement; each carries who set it, when, and the server revision that set it, and a change made from an
// outdated revision of someone else's answer is refused as a conflict (ADR 5).
import type { Db } from '../db/connect.ts';
import { listLiveDelegations } from '../delegation/queries.ts';
import { sectionsTouched } from '../delegation/sections.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../http/errors.ts';
import { answerCheckerFor } from './answer-checker.ts';
import { answerConflictError, conflictsOf } from './conflicts.ts';
import {
  forgetLinkKind,
  LinkNotValidError,
  linkKindOf,
  resolveLink,
  roleOf,
  tokenHashOf,
  writerOf,
} from './links.ts';
import { sectionMapOfLink } from './open.ts';
import * as q from './queries.ts';
import { codesOutsideWave, notInWave } from './wave-modules.ts';

export { openSurvey, type SurveyView, sectionMapOfLink, sectionsOfLink } from './open.ts';
export { submitResponse } from './submit.ts';
export { LinkNotValidError };

type Json = Record<string, unknown>;

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
  /**
   * The device's own save counter, kept with its id (+1 for every save it sends): compared only with the same
   * writer's saves from the same device, so a save that arrives after a later one of that device (a timed-out
   * request the server still gets, a beacon overtaking a fetch) never overwrites the newer answer (ADR 5).
   */
  seq?: number | undefined;
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
    throw await refusedBeforeSaving(
      db,
      token,
      ctx.now,
      new ValidationError(
        'Some answers are not valid.',
        problems.map((p) => ({ name: p.code, reason: p.reason })),
        'invalid_answers',
      ),
    );
  }
  const role = roleOf(kind.kind, kind.unit_type);
  const by = writerOf(role, kind.delegateId);
  const codes = Object.keys(save.answers);
  if (kind.wave_modules) {
    // A theme the wave does not run is not shown; an answer to it can only come from a forged or stale page.
    const outside = await codesOutsideWave(versionId, kind.wave_modules, () =>
      q.findVersionDefinition(db, versionId),
    );
    const refusal = notInWave(codes, outside);
    if (refusal) throw await refusedBeforeSaving(db, token, ctx.now, refusal);
  }
  let sections: string[] = [];
  if (kind.unit_type === 'municipality') {
    const touched = sectionsTouched(await sectionMapOfLink(db, versionId, kind.wave_modules), codes);
    // Part A is never delegated: a delegate writing there is refused before the database is asked.
    if (role === 'delegate' && touched.outside.length)
      throw await refusedBeforeSaving(db, token, ctx.now, outsideDelegation(touched.outside));
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
      seq: save.seq ?? null,
      deviceClass: ctx.userAgentClass ?? null,
      unitId: kind.frame_unit_id,
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

/**
 * A refusal decided from the cached link kind, before the statement that checks the link: a link revoked or a wave
 * closed meanwhile answers as such instead (404, 410), in every process alike, whatever each has cached.
 */
async function refusedBeforeSaving(db: Db, token: string, now: Date, refusal: Error): Promise<Error> {
  try {
    await resolveLink(db, token, now);
    return refusal;
  } catch (err) {
    if (err instanceof LinkNotValidError) forgetLinkKind(tokenHashOf(token));
    return err as Error;
  }
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
    if (err instanceof LinkNotValidError) forgetLinkKind(tokenHashOf(token));
    return err as Error;
  }
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
