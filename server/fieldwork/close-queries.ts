// SQL for closing a wave: its selected units grouped into adjustment cells, and the adjusted weights set in one
// statement from the cells' factors (server/fieldwork/nonresponse.ts).
import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../audit/queries.ts';
import type { AdjustmentCell, CellFactor } from './nonresponse.ts';

/** `county`, `stratum`, `municipality`, `preferred_language`, or the name of any other frame column. */
export type AdjustBy = string;

/** A unit's adjustment class; units without a value form the class `(none)`. */
function classOf(by: AdjustBy): RawBuilder<string> {
  const value =
    by === 'county'
      ? sql`left(frame_unit.municipality_code, 2)`
      : by === 'stratum'
        ? sql`frame_unit.stratum`
        : by === 'municipality'
          ? sql`frame_unit.municipality_code`
          : by === 'preferred_language'
            ? sql`frame_unit.preferred_locale`
            : sql`frame_unit.attributes ->> ${by}`;
  return sql<string>`coalesce(${value}, '(none)')`;
}

// '' stands for "no county" so that the cells join on plain equality (a hash join over a million units).
const countyOf = sql<string>`coalesce(left(frame_unit.municipality_code, 2), '')`;
const completed = sql`response.status = 'completed'`;

export async function listAdjustmentCells(
  db: Executor,
  waveId: string,
  by: AdjustBy,
): Promise<AdjustmentCell[]> {
  const rows = await db
    .selectFrom('frame_unit')
    .leftJoin('response', 'response.frame_unit_id', 'frame_unit.id')
    .select([
      classOf(by).as('class'),
      countyOf.as('county'),
      sql<number>`count(*)::int`.as('units'),
      sql<number>`sum(coalesce(frame_unit.design_weight, 1))::float8`.as('selected_weight'),
      sql<number>`min(coalesce(frame_unit.design_weight, 1))::float8`.as('min_design_weight'),
      sql<number>`(count(*) filter (where ${completed}))::int`.as('respondents'),
      sql<number>`coalesce(sum(coalesce(frame_unit.design_weight, 1)) filter (where ${completed}), 0)::float8`.as(
        'respondent_weight',
      ),
    ])
    .where('frame_unit.wave_id', '=', waveId)
    .where('frame_unit.selected', '=', true)
    // By position: a frame column's name is a parameter, and PostgreSQL sees `->> $1` and `->> $3` as different.
    .groupBy([sql`1`, sql`2`])
    .execute();
  return rows.map((r) => ({
    class: r.class,
    county: r.county || null,
    units: r.units,
    selectedWeight: r.selected_weight,
    minDesignWeight: r.min_design_weight,
    respondents: r.respondents,
    respondentWeight: r.respondent_weight,
  }));
}

/** Whether any selected unit of the wave has a value in the frame column. */
export async function frameHasColumn(db: Executor, waveId: string, column: string): Promise<boolean> {
  const row = await db
    .selectFrom('frame_unit')
    .select('id')
    .where('wave_id', '=', waveId)
    .where('selected', '=', true)
    .where(sql<boolean>`attributes ->> ${column} is not null`)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Sets every response's non-response weight in one statement: design weight × its cell's factor for a complete
 * response, null for any other (an unfinished response carries no weight). The factors travel as one JSON
 * parameter, however many cells there are.
 */
export async function applyNonresponseFactors(
  db: Executor,
  waveId: string,
  by: AdjustBy,
  factors: CellFactor[],
): Promise<void> {
  const cells = JSON.stringify(factors.map((f) => ({ ...f, county: f.county ?? '' })));
  await sql`
    update response
    set nonresponse_weight = case when ${completed} then coalesce(frame_unit.design_weight, 1) * cell.factor end
    from frame_unit
    left join jsonb_to_recordset(cast(${cells} as jsonb)) as cell(class text, county text, factor float8)
      on cell.class = ${classOf(by)} and cell.county = ${countyOf}
    where response.frame_unit_id = frame_unit.id
      and response.wave_id = ${waveId}
      and frame_unit.wave_id = ${waveId}
      and frame_unit.selected
  `.execute(db);
}

/** Σ of the wave's non-response weights, as stored: what the close reports against N. */
export async function sumNonresponseWeights(db: Executor, waveId: string): Promise<number> {
  const row = await db
    .selectFrom('response')
    .select(sql<number>`coalesce(sum(nonresponse_weight), 0)::float8`.as('sum'))
    .where('wave_id', '=', waveId)
    .executeTakeFirstOrThrow();
  return row.sum;
}

export async function setNonresponseAdjustment(db: Executor, waveId: string, report: unknown): Promise<void> {
  await db
    .updateTable('wave')
    .set({ nonresponse_adjustment: JSON.stringify(report) })
    .where('id', '=', waveId)
    .execute();
}
