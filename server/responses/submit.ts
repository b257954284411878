// Submitting a response: survey-core's full validation, hidden answers cleared, then completed for good. In the
// municipal survey only the chief executive submits, and unfinished delegated sections need a confirmation.
import { type Executor, recordAudit } from '../audit/queries.ts';
import type { Db } from '../db/connect.ts';
import { listLiveDelegations } from '../delegation/queries.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../http/errors.ts';
import { resolveLink } from './links.ts';
import * as q from './queries.ts';
import { type SubmitValidator, validateOnEventLoop } from './validation-pool.ts';

export interface SubmitContext {
  now: Date;
  locale?: string | undefined;
  confirmSectionsNotDone?: boolean | undefined;
  /** Where survey-core's pass runs: the HTTP route passes the pool; by default, here (tools and tests). */
  validate?: SubmitValidator | undefined;
}

/** Times a submit validates again when the answers changed during its validation, before answering 409. */
const maxAttempts = 3;

/**
 * Submits: the whole response is validated by survey-core (required answers, conditions, validators); values of
 * questions hidden by their conditions are cleared, as SurveyJS does on completion; then it is completed for good.
 * In the municipal survey only the chief executive submits; delegated sections not marked done need an explicit
 * confirmation, and are then not required to be complete.
 *
 * The validation (~50 ms) runs outside any transaction and row lock, on the answers read before it; a short
 * transaction then locks the row and completes it only if what was validated is still what is stored (answers,
 * language, sections skipped). Otherwise it validates again: a save that lands meanwhile is never sent unvalidated.
 */
export async function submitResponse(db: Db, token: string, ctx: SubmitContext) {
  const validate = ctx.validate ?? validateOnEventLoop;
  for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
    const seen = await readSubmission(db, token, ctx, false);
    const verdict = await validate({
      definition: await definitionTextOf(db, seen.link.versionId),
      answers: seen.answers,
      locale: seen.locale,
      skipped: seen.skipped,
      modules: seen.link.waveModules,
    });
    // Refused on the answers as read: a save landing during the validation comes after this submit.
    if (!verdict.ok)
      throw new ValidationError(
        'Some questions must be answered before sending.',
        verdict.missing,
        'missing_answers',
      );
    const done = await db.transaction().execute(async (trx) => {
      const current = await readSubmission(trx, token, ctx, true);
      if (fingerprintOf(current) !== fingerprintOf(seen)) return null;
      const { link, locale } = current;
      const row = current.response!; // created if missing, and locked
      await q.updateResponse(trx, row.id, {
        answers: verdict.answers,
        answerMeta: row.answer_meta,
        locale,
        localesUsed: row.locales_used.includes(locale) ? row.locales_used : [...row.locales_used, locale],
        at: ctx.now,
        completed: true,
      });
      if (link.role === 'chief_executive') {
        await recordAudit(trx, {
          actor: { kind: 'respondent', id: link.by },
          action: 'response.submitted',
          subject: { kind: 'frame_unit', id: link.frameUnitId },
          details: { sectionsNotDone: current.skipped },
          at: ctx.now,
        });
      }
      return { completedAt: ctx.now.toISOString() };
    });
    if (done) return done;
  }
  throw new ConflictError('answers_changed', 'The answers changed while they were being sent. Try again.');
}

/**
 * What a submit validates, with every refusal that needs no validation. `locked`: inside the committing
 * transaction, the row created if missing and locked; otherwise read as is (absent: no answers yet).
 */
async function readSubmission(db: Executor, token: string, ctx: SubmitContext, locked: boolean) {
  const link = await resolveLink(db, token, ctx.now);
  if (link.role === 'delegate')
    throw new ForbiddenError('Only the chief executive submits the response.', 'chief_executive_only');
  const firstLocale = ctx.locale ?? link.linkLocale ?? link.waveLocales[0]!;
  const response = locked
    ? await q.lockResponse(db, {
        waveId: link.waveId,
        frameUnitId: link.frameUnitId,
        versionId: link.versionId,
        locale: firstLocale,
        at: ctx.now,
      })
    : await q.findResponse(db, link.frameUnitId);
  if (response?.status === 'completed')
    throw new ConflictError('response_completed', 'The answers were already sent.');
  const notDone =
    link.role === 'chief_executive'
      ? (
          await listLiveDelegations(db, link.waveId, { frameUnitId: link.frameUnitId, withContact: true })
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
  return {
    link,
    response,
    answers: (response?.answers ?? {}) as Record<string, unknown>,
    // The language asked for if the wave offers it, else the response's own.
    locale:
      ctx.locale && link.waveLocales.includes(ctx.locale) ? ctx.locale : (response?.locale ?? firstLocale),
    skipped: [...new Set(notDone.map((d) => d.section))].sort(),
  };
}

/** Everything the verdict depends on. jsonb prints keys in one canonical order, so equal answers print alike. */
function fingerprintOf(s: { answers: Record<string, unknown>; locale: string; skipped: string[] }): string {
  return JSON.stringify([s.answers, s.locale, s.skipped]);
}

const definitionTexts = new Map<string, string>();

/**
 * A version's definition as JSON text, the form that crosses to a worker thread cheaply; kept per version
 * (published versions never change), so the definition is read and printed once per process, not per submit.
 */
async function definitionTextOf(db: Db, versionId: string): Promise<string> {
  let text = definitionTexts.get(versionId);
  if (text === undefined) {
    text = JSON.stringify(await q.findVersionDefinition(db, versionId));
    if (definitionTexts.size >= 50) definitionTexts.delete(definitionTexts.keys().next().value!);
    definitionTexts.set(versionId, text);
  }
  return text;
}
