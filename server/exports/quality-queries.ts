// SQL of the data-quality measures: the median completion time of a wave's completed responses, per language.
import { sql } from 'kysely';
import type { Executor } from '../audit/queries.ts';

/**
 * One aggregate over the wave's completed responses: per language last used, their number and the median of
 * completed_at − started_at in seconds (percentile_cont interpolates, the same on PostgreSQL and PGlite). A
 * negative duration (a clock fault) is left out rather than dragging the median.
 */
export function listMedianDurations(db: Executor, waveId: string) {
  const seconds = sql<number>`extract(epoch from (response.completed_at - response.started_at))::float8`;
  return db
    .selectFrom('response')
    .select((eb) => [
      'response.locale',
      eb.fn.countAll<string>().as('n'),
      sql<number>`percentile_cont(0.5) within group (order by ${seconds})`.as('median_seconds'),
    ])
    .where('response.wave_id', '=', waveId)
    .where('response.status', '=', 'completed')
    .where('response.completed_at', 'is not', null)
    .where(sql<boolean>`response.completed_at >= response.started_at`)
    .groupBy('response.locale')
    .execute();
}
