// All SQL of exports: the waves and versions to export, and their responses in batches (keyset pagination, so a
// million rows stream in constant memory on PostgreSQL and PGlite alike).
import { sql } from 'kysely';
import type { Executor } from '../audit/queries.ts';
import type { Answers } from './answers-text.ts';

export function findWavesWithVersion(db: Executor, waveIds: string[]) {
  return db
    .selectFrom('wave')
    .innerJoin('instrument_version', 'instrument_version.id', 'wave.instrument_version_id')
    .innerJoin('instrument', 'instrument.id', 'wave.instrument_id')
    .select([
      'wave.id',
      'wave.name',
      'wave.unit_type',
      'wave.mode',
      'wave.sampling',
      'wave.instrument_id',
      'wave.created_at',
      'wave.opens_at',
      'wave.opened_at',
      'wave.modules',
      'instrument.title as instrument_title',
      'instrument.source_locale',
      'instrument_version.id as version_id',
      'instrument_version.version',
      'instrument_version.definition',
      'instrument_version.codebook',
      'instrument_version.changelog',
    ])
    .where('wave.id', 'in', waveIds)
    .execute();
}

/** Selected units per stratum and municipality: a census's N_h, whatever the frame's size, in one query. */
export function countSelectedUnits(db: Executor, waveId: string) {
  return db
    .selectFrom('frame_unit')
    .select(['stratum', 'municipality_code', (eb) => eb.fn.countAll<string>().as('n')])
    .where('wave_id', '=', waveId)
    .where('selected', '=', true)
    .groupBy(['stratum', 'municipality_code'])
    .execute();
}

export async function countResponses(db: Executor, waveIds: string[], municipalityCode: string | null) {
  let query = db
    .selectFrom('response')
    .innerJoin('frame_unit', 'frame_unit.id', 'response.frame_unit_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('response.wave_id', 'in', waveIds);
  if (municipalityCode) query = query.where('frame_unit.municipality_code', 'like', `${municipalityCode}%`);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** One batch of a wave's responses after `afterId`, with what the frame knows of the unit (never contact data). */
export async function listResponseBatch(
  db: Executor,
  waveId: string,
  afterId: string | null,
  limit: number,
  municipalityCode: string | null,
  opts: { withMeta?: boolean; upTo?: string | null; readAnswers?: (text: string) => Answers } = {},
) {
  let query = db
    .selectFrom('response')
    .innerJoin('frame_unit', 'frame_unit.id', 'response.frame_unit_id')
    .select([
      'response.id',
      'response.status',
      'response.locale',
      'response.locales_used',
      'response.device_class',
      'response.started_at',
      'response.last_saved_at',
      'response.completed_at',
      'response.current_page',
      'response.nonresponse_weight',
      // As text, read by the caller's reader (answers-text.ts): JSON.parse is the slowest step of a large export.
      sql<string>`response.answers::text`.as('answers_text'),
      // Provenance is large (one entry per answer) and read only for the municipal survey's by_<section> columns.
      opts.withMeta ? 'response.answer_meta' : sql<Record<string, never>>`null`.as('answer_meta'),
      'frame_unit.stratum',
      'frame_unit.municipality_code',
      'frame_unit.design_weight',
    ])
    .where('response.wave_id', '=', waveId);
  if (afterId) query = query.where('response.id', '>', afterId);
  if (opts.upTo) query = query.where('response.id', '<=', opts.upTo);
  if (municipalityCode) query = query.where('frame_unit.municipality_code', 'like', `${municipalityCode}%`);
  const rows = await query.orderBy('response.id').limit(limit).execute();
  const read = opts.readAnswers ?? ((text: string) => JSON.parse(text) as Answers);
  // Filled in place: one more property on every row object keeps them all of one shape.
  return rows.map((row) => {
    const out = row as typeof row & { answers: Answers };
    out.answers = read(row.answers_text);
    return out;
  });
}

export type ResponseRow = Awaited<ReturnType<typeof listResponseBatch>>[number];

/**
 * Every `sliceRows`-th response id of a wave, in id order: the upper bounds of slices of about `sliceRows` rows
 * that workers export side by side (the last slice runs to the end).
 */
export async function listSliceBounds(
  db: Executor,
  waveId: string,
  sliceRows: number,
  municipalityCode: string | null,
): Promise<string[]> {
  let inner = db
    .selectFrom('response')
    .innerJoin('frame_unit', 'frame_unit.id', 'response.frame_unit_id')
    .select(['response.id', sql<string>`row_number() over (order by response.id)`.as('n')])
    .where('response.wave_id', '=', waveId);
  if (municipalityCode) inner = inner.where('frame_unit.municipality_code', 'like', `${municipalityCode}%`);
  const rows = await db
    .selectFrom(inner.as('r'))
    .select('r.id')
    .where(sql<boolean>`r.n % ${sliceRows} = 0`)
    .orderBy('r.id')
    .execute();
  return rows.map((r) => r.id);
}
