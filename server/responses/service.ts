// The respondent side: open a survey by link, save answers as they are given, submit. Answers merge per question
// under a row lock, and each carries who set it, when, and the client's sequence, so a late or retried older save
// never overwrites a newer answer.
import { Model } from 'survey-core';
import type { Db } from '../db/connect.ts';
import { AppError, ConflictError, ValidationError } from '../http/errors.ts';
import { hashSecretToken } from '../security/secret-token.ts';
import { answerCheckerFor } from './answer-checker.ts';
import * as q from './queries.ts';
import { setUpSurveyLocales } from './survey-locales.ts';

type Json = Record<string, unknown>;
type Invitation = NonNullable<Awaited<ReturnType<typeof q.findInvitationByTokenHash>>>;

/** The same answer for an unknown and a revoked link, so neither reveals whether a token exists. */
export class LinkNotValidError extends AppError {
  constructor() {
    super(404, 'link_not_valid', 'This link cannot be used.');
  }
}

/** Resolves a link to its invitation, refusing revoked links and waves that are not open at this moment. */
async function resolveLink(
  db: Db | Parameters<typeof q.findInvitationByTokenHash>[0],
  token: string,
  now: Date,
): Promise<Invitation> {
  const inv = /^[A-Za-z0-9_-]{43}$/.test(token)
    ? await q.findInvitationByTokenHash(db, hashSecretToken(token))
    : undefined;
  if (!inv || inv.revoked_at) throw new LinkNotValidError();
  if (inv.wave_status === 'closed' || (inv.closes_at && inv.closes_at <= now)) {
    throw new AppError(410, 'survey_closed', 'The survey is closed.');
  }
  if (inv.wave_status !== 'open' || (inv.opens_at && inv.opens_at > now)) {
    throw new AppError(403, 'survey_not_open', 'The survey has not started yet.');
  }
  return inv;
}

function offeredLocales(inv: Invitation) {
  const meta = new Map(inv.version_locales.map((l) => [l.locale, l]));
  return inv.wave_locales.map((locale) => ({
    locale,
    name: meta.get(locale)?.name ?? locale,
    dir: meta.get(locale)?.dir ?? 'ltr',
  }));
}

export interface SurveyView {
  instrumentId: string;
  version: number;
  status: 'in_progress' | 'completed';
  locale: string;
  dir: 'ltr' | 'rtl';
  locales: { locale: string; name: string; dir: 'ltr' | 'rtl' }[];
  definition: Json | null;
  answers: Json;
  currentPage: string | null;
  savedAt: string | null;
}

/** What the survey page needs: the pinned version, the offered languages and the answers saved so far. */
export async function openSurvey(
  db: Db,
  token: string,
  opts: { now: Date; requested?: string | undefined; browser?: string | undefined },
): Promise<SurveyView> {
  const inv = await resolveLink(db, token, opts.now);
  await q.markInvitationOpened(db, inv.invitation_id, opts.now);
  const response = await q.findResponse(db, inv.frame_unit_id);
  const locales = offeredLocales(inv);
  const offered = locales.map((l) => l.locale);
  // The language asked for now, else the one last used, else the invitation's, else the browser's, else bokmål.
  const pick = [opts.requested, response?.locale, inv.invitation_locale, opts.browser, 'nb', offered[0]].find(
    (l) => l && offered.includes(l),
  )!;
  const completed = response?.status === 'completed';
  return {
    instrumentId: inv.instrument_id,
    version: inv.version,
    status: completed ? 'completed' : 'in_progress',
    locale: pick,
    dir: locales.find((l) => l.locale === pick)?.dir ?? 'ltr',
    locales,
    // After submission the link shows only the thank-you page: the answers are not sent back.
    definition: completed ? null : await q.findVersionDefinition(db, inv.version_id),
    answers: completed ? {} : (response?.answers ?? {}),
    currentPage: completed ? null : (response?.current_page ?? null),
    savedAt: response?.last_saved_at?.toISOString() ?? null,
  };
}

export interface AnswerSave {
  answers: Json;
  /** The client's clock (ms) when these values were set: orders saves, so an older one never wins. */
  clientTime: number;
  page?: string | null | undefined;
  locale?: string | undefined;
}

export interface SaveResult {
  savedAt: string;
  applied: string[];
  /** Codes whose stored value is newer than this save; the stored value is kept. */
  ignored: string[];
}

/** Validates a partial answer set against the pinned version and merges it; durable (committed) on return. */
export async function saveAnswers(
  db: Db,
  token: string,
  save: AnswerSave,
  ctx: { now: Date; userAgentClass?: string; by?: string },
): Promise<SaveResult> {
  const tokenHash = /^[A-Za-z0-9_-]{43}$/.test(token) ? hashSecretToken(token) : '';
  const versionId = await versionOfLink(db, tokenHash);
  if (!versionId) throw new LinkNotValidError();
  const checker = await answerCheckerFor(versionId, () => q.findVersionDefinition(db, versionId));
  const problems = checker.check(save.answers);
  if (problems.length) {
    throw new ValidationError(
      'Some answers are not valid.',
      problems.map((p) => ({ name: p.code, reason: p.reason })),
      'invalid_answers',
    );
  }
  // One statement: committed (durable) when it returns.
  const stored = await q.mergeSaveByToken(db, {
    tokenHash,
    now: ctx.now,
    locale: save.locale ?? null,
    answers: save.answers,
    seq: save.clientTime,
    page: save.page,
    by: ctx.by ?? 'respondent',
    deviceClass: ctx.userAgentClass ?? null,
  });
  if (!stored) throw await whySaveRefused(db, token, save, ctx.now);
  const codes = Object.keys(save.answers);
  const ignored = codes.filter((c) => Number(stored.answer_meta[c]?.seq) !== save.clientTime);
  return { savedAt: ctx.now.toISOString(), applied: codes.filter((c) => !ignored.includes(c)), ignored };
}

/** The version behind a link never changes (a wave pins it): cached per process, revocation is checked per save. */
const linkVersions = new Map<string, string>();
async function versionOfLink(db: Db, tokenHash: string): Promise<string | undefined> {
  const cached = linkVersions.get(tokenHash);
  if (cached) return cached;
  const versionId = tokenHash ? await q.findVersionIdByTokenHash(db, tokenHash) : undefined;
  if (versionId) {
    if (linkVersions.size >= 100_000) linkVersions.delete(linkVersions.keys().next().value!);
    linkVersions.set(tokenHash, versionId);
  }
  return versionId;
}

/** The rare path: which of the save's conditions failed, as the error to answer with. */
async function whySaveRefused(db: Db, token: string, save: AnswerSave, now: Date): Promise<Error> {
  try {
    const inv = await resolveLink(db, token, now);
    if (save.locale && !inv.wave_locales.includes(save.locale)) {
      return new ValidationError(
        'This language is not offered.',
        [{ name: 'locale', reason: `one of ${inv.wave_locales.join(', ')}` }],
        'unknown_locale',
      );
    }
    return new ConflictError('response_completed', 'The answers were already sent.');
  } catch (err) {
    return err as Error;
  }
}

/**
 * Submits: the whole response is validated by survey-core (required answers, conditions, validators); values of
 * questions hidden by their conditions are cleared, as SurveyJS does on completion; then it is completed for good.
 */
export async function submitResponse(db: Db, token: string, ctx: { now: Date; locale?: string | undefined }) {
  setUpSurveyLocales();
  return db.transaction().execute(async (trx) => {
    const inv = await resolveLink(trx, token, ctx.now);
    const response = await q.lockResponse(trx, {
      waveId: inv.wave_id,
      frameUnitId: inv.frame_unit_id,
      versionId: inv.version_id,
      locale: ctx.locale ?? inv.invitation_locale ?? inv.wave_locales[0]!,
      at: ctx.now,
    });
    if (response.status === 'completed')
      throw new ConflictError('response_completed', 'The answers were already sent.');
    const model = new Model(await q.findVersionDefinition(trx, inv.version_id));
    // survey-core reports its default language (bokmål) as "", so keep the code itself.
    const locale = ctx.locale && inv.wave_locales.includes(ctx.locale) ? ctx.locale : response.locale;
    model.locale = locale;
    model.data = response.answers;
    if (!model.validate(true, false)) {
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
    return { completedAt: ctx.now.toISOString() };
  });
}

/** Stops all further mail to the unit behind a link (invitations and reminders), whatever link it uses. */
export async function optOut(db: Db, token: string, now: Date): Promise<{ optedOutAt: string }> {
  return db.transaction().execute(async (trx) => {
    const inv = await resolveLink(trx, token, now);
    await trx
      .updateTable('frame_unit')
      .set({ opted_out_at: now })
      .where('id', '=', inv.frame_unit_id)
      .where('opted_out_at', 'is', null)
      .execute();
    await trx
      .updateTable('invitation')
      .set({ opted_out_at: now })
      .where('id', '=', inv.invitation_id)
      .execute();
    return { optedOutAt: now.toISOString() };
  });
}
