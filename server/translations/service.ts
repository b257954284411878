// The review workflow over a published version: the language × module matrix, a language's strings, edits,
// status changes and comments. Every change is one transaction under the instrument's lock, with its history.
//
// How an approved text reaches respondents: a published version is immutable (its content hash, the codebook and
// the year-long cached definition URL all stand for exactly the texts respondents saw), so review work is kept
// beside the versions as a working translation per string, keyed by the source wording it translates. A wave on
// version N may offer a language once every string is approved with the text N already carries; an edited text is
// published with the next version (publishInstrument merges the working translations into the locale files).
import type { Executor } from '../audit/queries.ts';
import type { Db } from '../db/connect.ts';
import type { VersionLocale } from '../db/schema.ts';
import { groupBy } from '../group-by.ts';
import { AppError, NotFoundError, ValidationError } from '../http/errors.ts';
import { lockInstrument } from '../surveys/queries.ts';
import type { TranslationStatus } from '../surveys/translations.ts';
import * as q from './queries.ts';
import {
  countStatuses,
  type StatusCounts,
  type StringState,
  stateOf,
  type VersionString,
  versionStrings,
} from './version-strings.ts';

export interface VersionRef {
  instrumentId: string;
  version: number;
}

interface LoadedVersion {
  ref: VersionRef;
  locales: VersionLocale[];
  strings: VersionString[];
  previous: Map<string, VersionString>;
}

type Json = Record<string, unknown>;

async function loadVersion(db: Executor, ref: VersionRef): Promise<LoadedVersion> {
  const rows = await q.findVersionPair(db, ref.instrumentId, ref.version);
  const row = rows.find((r) => r.version === ref.version);
  if (!row)
    throw new NotFoundError(
      `No version ${ref.version} of instrument ${ref.instrumentId}.`,
      'version_not_found',
    );
  const before = rows.find((r) => r.version === ref.version - 1);
  return {
    ref,
    locales: row.locales,
    strings: versionStrings(row.definition as Json),
    previous: new Map(before ? versionStrings(before.definition as Json).map((s) => [s.key, s]) : []),
  };
}

function targetLocale(v: LoadedVersion, locale: string): VersionLocale {
  const l = v.locales.find((x) => x.locale === locale && !x.source);
  if (!l) {
    throw new ValidationError(
      `Version ${v.ref.version} of ${v.ref.instrumentId} is not translated into "${locale}".`,
      [
        {
          name: 'locale',
          reason: `one of ${v.locales
            .filter((x) => !x.source)
            .map((x) => x.locale)
            .join(', ')}`,
        },
      ],
      'unknown_locale',
    );
  }
  return l;
}

/** The status the version recorded for its own texts in a language (per string it only knows the least). */
function baseStatusOf(l: VersionLocale): TranslationStatus {
  return l.status === 'approved' || l.status === 'reviewed' ? l.status : 'draft';
}

async function statesOf(db: Executor, v: LoadedVersion, locales: VersionLocale[]) {
  const rows = await q.listWorkingRows(
    db,
    v.ref.instrumentId,
    locales.map((l) => l.locale),
  );
  return new Map(
    locales.map((l) => {
      const mine = new Map(rows.filter((r) => r.locale === l.locale).map((r) => [r.key, r]));
      const base = baseStatusOf(l);
      const states = v.strings.map((s) => stateOf(s, l.locale, mine.get(s.key), base, v.previous.get(s.key)));
      return [l.locale, states];
    }),
  );
}

/** A version's language counts as approved when it is complete and every string is approved as the version has it. */
function approvedAsCarried(l: VersionLocale, states: StringState[]): boolean {
  return l.complete && states.every((s) => s.status === 'approved' && !s.waitingForNextVersion);
}

export interface MatrixLanguage {
  locale: string;
  name: string;
  dir: 'ltr' | 'rtl';
  counts: StatusCounts;
  modules: Record<string, StatusCounts>;
  waitingForNextVersion: number;
  /** A wave on this version may offer the language (not only a pilot). */
  offerable: boolean;
}

export async function translationMatrix(db: Db, ref: VersionRef) {
  const v = await loadVersion(db, ref);
  const targets = v.locales.filter((l) => !l.source);
  const states = await statesOf(db, v, targets);
  const modules = [...new Set(v.strings.map((s) => s.module))];
  const languages: MatrixLanguage[] = targets.map((l) => {
    const mine = states.get(l.locale)!;
    return {
      locale: l.locale,
      name: l.name,
      dir: l.dir,
      counts: countStatuses(mine),
      modules: Object.fromEntries(modules.map((m) => [m, countStatuses(mine.filter((s) => s.module === m))])),
      waitingForNextVersion: mine.filter((s) => s.waitingForNextVersion).length,
      offerable: l.status === 'approved' || l.status === 'reviewed' || approvedAsCarried(l, mine),
    };
  });
  return { ...ref, total: v.strings.length, modules, languages };
}

/**
 * The version's languages with the review workflow's verdict folded in: a language whose every string is approved
 * with the text this version carries counts as approved, so a wave (not only a pilot) may offer it.
 */
export async function reviewedLocales(
  db: Db,
  ref: VersionRef,
  recorded: VersionLocale[],
): Promise<VersionLocale[]> {
  const candidates = recorded.filter((l) => !l.source && l.complete && l.status === 'draft');
  if (candidates.length === 0) return recorded;
  const v = await loadVersion(db, ref);
  const states = await statesOf(db, v, candidates);
  return recorded.map((l) =>
    states.has(l.locale) && approvedAsCarried(l, states.get(l.locale)!) ? { ...l, status: 'approved' } : l,
  );
}

export async function languageStrings(
  db: Db,
  ref: VersionRef,
  locale: string,
  filter: { status?: string[] | undefined; module?: string | undefined } = {},
) {
  const v = await loadVersion(db, ref);
  const l = targetLocale(v, locale);
  const [states, events, comments] = await Promise.all([
    statesOf(db, v, [l]),
    q.listEvents(db, ref.instrumentId, locale),
    q.listComments(db, ref.instrumentId, locale),
  ]);
  const all = states.get(locale)!;
  // Grouped once: filtering the whole history for each of hundreds of strings grows with their product.
  const eventsByKey = groupBy(events, (e) => e.key);
  const commentsByKey = groupBy(comments, (c) => c.key);
  const shown = all.filter(
    (s) =>
      (!filter.status?.length || filter.status.includes(s.status)) &&
      (!filter.module || s.module === filter.module),
  );
  return {
    ...ref,
    locale,
    name: l.name,
    dir: l.dir,
    counts: countStatuses(all),
    modules: [...new Set(v.strings.map((s) => s.module))],
    strings: shown.map((s) => ({
      ...s,
      history: (eventsByKey.get(s.key) ?? []).map((e) => ({
        version: e.version,
        action: e.action,
        status: e.status,
        text: e.text,
        by: e.display_name,
        at: e.at.toISOString(),
      })),
      comments: (commentsByKey.get(s.key) ?? []).map((c) => ({
        id: c.id,
        version: c.version,
        body: c.body,
        by: c.display_name,
        at: c.created_at.toISOString(),
      })),
    })),
  };
}

function stringOf(states: StringState[], key: string): StringState {
  const s = states.find((x) => x.key === key);
  if (!s) throw new NotFoundError(`The version has no string "${key}".`, 'string_not_found');
  return s;
}

/** Stores a new text as a draft by the editor (whoever approves it must be someone else). */
export async function editString(
  db: Db,
  ref: VersionRef,
  locale: string,
  key: string,
  text: string,
  staffId: string,
  now: Date,
) {
  return db.transaction().execute(async (trx) => {
    await lockInstrument(trx, ref.instrumentId);
    const v = await loadVersion(trx, ref);
    const l = targetLocale(v, locale);
    const s = stringOf((await statesOf(trx, v, [l])).get(locale)!, key);
    await q.recordStringChanges(trx, { ...ref, locale, action: 'edited', staffId, at: now, withText: true }, [
      { key, sourceHash: s.sourceHash, text, status: 'draft', editedBy: staffId },
    ]);
    return { key, status: 'draft' as const, text };
  });
}

/** Why a string may not take the status (null when it may). Reviewed from draft; approved from reviewed, by another than the editor. */
function refusal(s: StringState, to: 'reviewed' | 'approved', staffId: string): string | null {
  if (to === 'reviewed' && s.status !== 'draft')
    return `it is ${s.status}: only a draft can be marked reviewed`;
  if (to === 'approved') {
    if (s.status !== 'reviewed') return `it is ${s.status}: only a reviewed string can be approved`;
    if (s.editedBy === staffId) return 'you wrote this text: someone else approves it';
  }
  return null;
}

/** Changes the status of several strings at once: all of them or, if any may not change, none. */
export async function changeStatus(
  db: Db,
  ref: VersionRef,
  locale: string,
  keys: string[],
  to: 'reviewed' | 'approved',
  staffId: string,
  now: Date,
) {
  return db.transaction().execute(async (trx) => {
    await lockInstrument(trx, ref.instrumentId);
    const v = await loadVersion(trx, ref);
    const l = targetLocale(v, locale);
    const states = (await statesOf(trx, v, [l])).get(locale)!;
    const chosen = [...new Set(keys)].map((k) => stringOf(states, k));
    const refused = chosen.flatMap((s) => {
      const reason = refusal(s, to, staffId);
      return reason ? [{ name: s.key, reason }] : [];
    });
    if (refused.length)
      throw new AppError(
        409,
        'translation_status_refused',
        `${refused.length} of the strings cannot be ${to}; nothing was changed.`,
        refused,
      );
    await q.recordStringChanges(
      trx,
      { ...ref, locale, action: 'status', staffId, at: now, withText: false },
      chosen.map((s) => ({
        key: s.key,
        sourceHash: s.sourceHash,
        text: s.text!,
        status: to,
        editedBy: s.editedBy,
      })),
    );
    return { changed: chosen.length, status: to };
  });
}

export async function addComment(
  db: Db,
  ref: VersionRef,
  locale: string,
  key: string,
  body: string,
  staffId: string,
  now: Date,
) {
  const v = await loadVersion(db, ref);
  targetLocale(v, locale);
  if (!v.strings.some((s) => s.key === key))
    throw new NotFoundError(`The version has no string "${key}".`, 'string_not_found');
  const row = await q.insertComment(db, {
    instrumentId: ref.instrumentId,
    locale,
    key,
    version: ref.version,
    staffUserId: staffId,
    body,
    at: now,
  });
  return { id: row.id, key, body, at: row.created_at.toISOString() };
}

export { loadVersion, statesOf, targetLocale };
