// Submitting a response: survey-core's full validation, hidden answers cleared, then completed for good. In the
// municipal survey only the chief executive submits, and unfinished delegated sections need a confirmation.
import { Model } from 'survey-core';
import { recordAudit } from '../audit/queries.ts';
import type { Db } from '../db/connect.ts';
import { listLiveDelegations } from '../delegation/queries.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../http/errors.ts';
import { resolveLink } from './links.ts';
import * as q from './queries.ts';
import { setUpSurveyLocales } from './survey-locales.ts';

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
