// All SQL for instruments and their published versions.
import type { Executor } from '../audit/queries.ts';

export async function upsertInstrument(
  db: Executor,
  row: { id: string; title: string; unitType: 'participant' | 'municipality'; sourceLocale: string },
): Promise<void> {
  await db
    .insertInto('instrument')
    .values({ id: row.id, title: row.title, unit_type: row.unitType, source_locale: row.sourceLocale })
    .onConflict((oc) => oc.column('id').doUpdateSet({ title: row.title }))
    .execute();
}

/** Serialises publications of one instrument, so two publishers never take the same version number. */
export async function lockInstrument(db: Executor, id: string): Promise<void> {
  await db.selectFrom('instrument').select('id').where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
}

export function findVersionByHash(db: Executor, instrumentId: string, contentHash: string) {
  return db
    .selectFrom('instrument_version')
    .select(['id', 'version', 'content_hash'])
    .where('instrument_id', '=', instrumentId)
    .where('content_hash', '=', contentHash)
    .executeTakeFirst();
}

/** Every version's codebook, newest first: the history a new version's question codes are checked against. */
export function listVersionCodebooks(db: Executor, instrumentId: string) {
  return db
    .selectFrom('instrument_version')
    .select(['version', 'codebook'])
    .where('instrument_id', '=', instrumentId)
    .orderBy('version', 'desc')
    .execute();
}

export function insertVersion(
  db: Executor,
  row: {
    instrumentId: string;
    version: number;
    contentHash: string;
    definition: unknown;
    codebook: unknown;
    locales: unknown;
    changelog: unknown;
    publishedBy: string | null;
  },
) {
  return db
    .insertInto('instrument_version')
    .values({
      instrument_id: row.instrumentId,
      version: row.version,
      content_hash: row.contentHash,
      definition: JSON.stringify(row.definition),
      codebook: JSON.stringify(row.codebook),
      locales: JSON.stringify(row.locales),
      changelog: JSON.stringify(row.changelog),
      published_by: row.publishedBy,
    })
    .returning(['id', 'version', 'published_at'])
    .executeTakeFirstOrThrow();
}

export function findVersion(db: Executor, instrumentId: string, version: number) {
  return db
    .selectFrom('instrument_version')
    .selectAll()
    .where('instrument_id', '=', instrumentId)
    .where('version', '=', version)
    .executeTakeFirst();
}

export function findLatestVersion(db: Executor, instrumentId: string) {
  return db
    .selectFrom('instrument_version')
    .selectAll()
    .where('instrument_id', '=', instrumentId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** A presentation view: instruments with their latest version number. */
export function listInstrumentsWithLatest(db: Executor) {
  return db
    .selectFrom('instrument')
    .leftJoin('instrument_version', 'instrument_version.instrument_id', 'instrument.id')
    .select((eb) => [
      'instrument.id',
      'instrument.title',
      'instrument.unit_type',
      'instrument.source_locale',
      eb.fn.max('instrument_version.version').as('latest_version'),
      eb.fn.count('instrument_version.id').as('versions'),
    ])
    .groupBy(['instrument.id', 'instrument.title', 'instrument.unit_type', 'instrument.source_locale'])
    .orderBy('instrument.id')
    .execute();
}

export function findInstrument(db: Executor, id: string) {
  return db
    .selectFrom('instrument')
    .select(['id', 'title', 'unit_type', 'source_locale'])
    .where('id', '=', id)
    .executeTakeFirst();
}
