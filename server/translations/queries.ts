// All SQL of the translation review workflow: working texts, their history and comments.
import type { Executor } from '../audit/queries.ts';
import type { TranslationStatus } from '../surveys/translations.ts';

export function listWorkingRows(db: Executor, instrumentId: string, locales: string[]) {
  if (locales.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('translation_string')
    .select(['locale', 'key', 'source_hash', 'text', 'status', 'edited_by'])
    .where('instrument_id', '=', instrumentId)
    .where('locale', 'in', locales)
    .execute();
}

export interface WorkingRowInput {
  instrumentId: string;
  locale: string;
  key: string;
  sourceHash: string;
  text: string;
  status: TranslationStatus;
  editedBy: string | null;
  at: Date;
}

/** Writes working texts in one statement (a bulk approval of a whole language is one round trip). */
export async function upsertWorkingRows(db: Executor, rows: WorkingRowInput[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('translation_string')
    .values(
      rows.map((r) => ({
        instrument_id: r.instrumentId,
        locale: r.locale,
        key: r.key,
        source_hash: r.sourceHash,
        text: r.text,
        status: r.status,
        edited_by: r.editedBy,
        updated_at: r.at,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['instrument_id', 'locale', 'key']).doUpdateSet((eb) => ({
        source_hash: eb.ref('excluded.source_hash'),
        text: eb.ref('excluded.text'),
        status: eb.ref('excluded.status'),
        edited_by: eb.ref('excluded.edited_by'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

export async function insertEvents(
  db: Executor,
  events: {
    instrument_id: string;
    locale: string;
    key: string;
    version: number;
    action: 'edited' | 'imported' | 'status';
    status: TranslationStatus;
    text: string | null;
    staff_user_id: string;
    at: Date;
  }[],
): Promise<void> {
  if (events.length) await db.insertInto('translation_event').values(events).execute();
}

/** Whatever changes a working text (an edit, a status, an upload): who did it, to which version, and when. */
export interface StringChange {
  instrumentId: string;
  version: number;
  locale: string;
  action: 'edited' | 'imported' | 'status';
  staffId: string;
  at: Date;
  /** Whether the event keeps the text (edits and uploads do; a status change leaves it as it was). */
  withText: boolean;
}

/** Writes the working texts and, for each, the event in the history: every change goes through here. */
export async function recordStringChanges(
  db: Executor,
  change: StringChange,
  rows: {
    key: string;
    sourceHash: string;
    text: string;
    status: TranslationStatus;
    editedBy: string | null;
  }[],
): Promise<void> {
  const { instrumentId, locale, at } = change;
  await upsertWorkingRows(
    db,
    rows.map((r) => ({ ...r, instrumentId, locale, at })),
  );
  await insertEvents(
    db,
    rows.map((r) => ({
      instrument_id: instrumentId,
      locale,
      key: r.key,
      version: change.version,
      action: change.action,
      status: r.status,
      text: change.withText ? r.text : null,
      staff_user_id: change.staffId,
      at,
    })),
  );
}

export function listEvents(db: Executor, instrumentId: string, locale: string) {
  return db
    .selectFrom('translation_event')
    .innerJoin('staff_user', 'staff_user.id', 'translation_event.staff_user_id')
    .select([
      'translation_event.key',
      'translation_event.version',
      'translation_event.action',
      'translation_event.status',
      'translation_event.text',
      'translation_event.at',
      'staff_user.display_name',
    ])
    .where('translation_event.instrument_id', '=', instrumentId)
    .where('translation_event.locale', '=', locale)
    .orderBy('translation_event.at')
    .execute();
}

export function insertComment(
  db: Executor,
  row: {
    instrumentId: string;
    locale: string;
    key: string;
    version: number;
    staffUserId: string;
    body: string;
    at: Date;
  },
) {
  return db
    .insertInto('translation_comment')
    .values({
      instrument_id: row.instrumentId,
      locale: row.locale,
      key: row.key,
      version: row.version,
      staff_user_id: row.staffUserId,
      body: row.body,
      created_at: row.at,
    })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
}

export function listComments(db: Executor, instrumentId: string, locale: string) {
  return db
    .selectFrom('translation_comment')
    .innerJoin('staff_user', 'staff_user.id', 'translation_comment.staff_user_id')
    .select([
      'translation_comment.id',
      'translation_comment.key',
      'translation_comment.version',
      'translation_comment.body',
      'translation_comment.created_at',
      'staff_user.display_name',
    ])
    .where('translation_comment.instrument_id', '=', instrumentId)
    .where('translation_comment.locale', '=', locale)
    .orderBy('translation_comment.created_at')
    .execute();
}

/** The version and the one before it (to tell stale strings from missing ones). */
export function findVersionPair(db: Executor, instrumentId: string, version: number) {
  return db
    .selectFrom('instrument_version')
    .select(['id', 'version', 'definition', 'locales'])
    .where('instrument_id', '=', instrumentId)
    .where('version', 'in', [version, version - 1])
    .orderBy('version', 'desc')
    .execute();
}

/** A presentation view for the picker: instruments and their version numbers. */
export function listInstrumentVersions(db: Executor) {
  return db
    .selectFrom('instrument')
    .innerJoin('instrument_version', 'instrument_version.instrument_id', 'instrument.id')
    .select([
      'instrument.id',
      'instrument.title',
      'instrument_version.version',
      'instrument_version.published_at',
    ])
    .orderBy('instrument.id')
    .orderBy('instrument_version.version', 'desc')
    .execute();
}
