// The SQL of a sample draw, set-based so a 1 000 000-unit frame never comes into JavaScript: stratum sizes by a
// GROUP BY, the spreads of a Neyman column per stratum, and the selection as one ranked UPDATE (sampling.ts says
// why the rank is a hash of seed and unit).
import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../audit/queries.ts';
import { municipalities2024 } from '../reference/municipalities.ts';

/** The frame columns a sample can be stratified by without looking into the units' extra columns. */
const builtIn: Record<string, RawBuilder<string>> = {
  municipality_code: sql`coalesce(fu.municipality_code, '(none)')`,
  county: sql`coalesce(county.code, '(none)')`,
  preferred_language: sql`coalesce(fu.preferred_locale, '(none)')`,
};

export const isBuiltInStratumColumn = (column: string) => Object.hasOwn(builtIn, column);

let countyJson: string | undefined;

/**
 * The wave's units with their stratum (`'all'` without a column; `'(none)'` where a unit has no value). The county
 * comes from the first four digits of the municipality code (Oslo's district codes start with 0301), through the
 * reference list sent as one JSON parameter: one hash join, whatever the frame's size.
 */
function unitsWithStratum(waveId: string, column: string | null | undefined) {
  const stratum = !column
    ? sql`'all'`
    : isBuiltInStratumColumn(column)
      ? builtIn[column]!
      : sql`coalesce(fu.attributes ->> ${column}::text, '(none)')`;
  countyJson ??= JSON.stringify(Object.fromEntries(municipalities2024().map((m) => [m.code, m.countyCode])));
  const counties =
    column === 'county'
      ? sql`left join jsonb_each_text(${countyJson}::jsonb) as county(municipality, code)
              on county.municipality = substr(fu.municipality_code, 1, 4)`
      : sql``;
  return sql`select fu.id, fu.external_id, fu.attributes, ${stratum}::text as stratum
    from frame_unit fu ${counties} where fu.wave_id = ${waveId}`;
}

/** N_h per stratum, in the database. */
export async function countStrata(db: Executor, waveId: string, column: string | null | undefined) {
  const r = await sql<{ stratum: string; size: number }>`
    with unit as (${unitsWithStratum(waveId, column)})
    select stratum, count(*)::int as size from unit group by stratum`.execute(db);
  return r.rows;
}

/**
 * The distinct values of a spread column per stratum (trimmed, decimal comma read as a point, blanks left out):
 * at most `keep` per stratum, the most common first, with how many distinct values the stratum has in all. A
 * stratum must have one; the caller names the ones that have more.
 */
export async function listSpreadValues(
  db: Executor,
  waveId: string,
  column: string | null | undefined,
  spreadColumn: string,
  keep = 4,
) {
  const r = await sql<{ stratum: string; value: string; units: number; distinct_values: number }>`
    with unit as (${unitsWithStratum(waveId, column)}),
    spread as (
      select stratum, replace(nullif(trim(attributes ->> ${spreadColumn}::text), ''), ',', '.') as value from unit
    ),
    counted as (
      select stratum, value, count(*)::int as units from spread where value is not null group by stratum, value
    ),
    ranked as (
      select stratum, value, units, count(*) over (partition by stratum)::int as distinct_values,
        row_number() over (partition by stratum order by units desc, value collate "C") as place
      from counted
    )
    select stratum, value, units, distinct_values from ranked where place <= ${keep}
    order by stratum collate "C", place`.execute(db);
  return r.rows;
}

/**
 * The candidates' cut-off in a stratum: keys below it (their first 8 hex digits as a fraction of 16^8 below
 * (n_h + 10·√n_h + 20)/N_h) are ranked, the rest cannot be among the n_h smallest unless fewer than n_h fall below
 * it, which is 5 or more standard deviations away and then caught (see writeSelection). 'g' sorts after every hex
 * digit: the whole stratum. Ranking ~n_h candidates instead of N_h units spares a national frame a 1 000 000-row
 * sort; the sample is the same either way.
 */
export function candidateCutOff(take: number, size: number): string {
  const share = (take + 10 * Math.sqrt(take) + 20) / size;
  return share >= 1
    ? 'g'
    : Math.floor(share * 2 ** 32)
        .toString(16)
        .padStart(8, '0');
}

/**
 * Writes the draw: an earlier draw's units are cleared, then in each stratum the n_h units with the smallest key
 * md5(UTF-8 of seed ‖ ':' ‖ external_id), as lowercase hex compared byte by byte, then external_id (unique in the
 * wave, so no ties), are selected with their stratum, π = n_h/N_h and weight N_h/n_h. Only the sample's rows are
 * written (every reader of stratum and weight reads selected units only), and only candidates are ranked
 * (candidateCutOff); if a stratum had too few, the draw is ranked again in full. Returns the units selected.
 */
export async function writeSelection(
  db: Executor,
  waveId: string,
  column: string | null | undefined,
  seed: string,
  allocation: { stratum: string; populationSize: number; sampleSize: number }[],
  /** Tests give a cut-off that leaves too few candidates, to check the ranking in full. */
  cutOff: (take: number, size: number) => string = candidateCutOff,
  /** False when the wave has no stored draw (its units were never drawn, or cleared): spares a scan of the frame. */
  earlierDraw = true,
): Promise<number> {
  if (earlierDraw)
    await db
      .updateTable('frame_unit')
      .set({ selected: false, stratum: null, inclusion_probability: null, design_weight: null })
      .where('wave_id', '=', waveId)
      .where((eb) => eb.or([eb('selected', '=', true), eb('stratum', 'is not', null)]))
      .execute();
  const wanted = allocation.reduce((a, r) => a + r.sampleSize, 0);
  const written = await selectRanked(db, waveId, column, seed, allocation, cutOff);
  // Rows already written are the smallest keys of their strata, so ranking in full only adds the missing ones.
  return written === wanted ? written : selectRanked(db, waveId, column, seed, allocation, () => 'g');
}

async function selectRanked(
  db: Executor,
  waveId: string,
  column: string | null | undefined,
  seed: string,
  allocation: { stratum: string; populationSize: number; sampleSize: number }[],
  cutOff: (take: number, size: number) => string,
): Promise<number> {
  const strata = allocation
    .filter((a) => a.sampleSize > 0)
    .map((a) => ({
      stratum: a.stratum,
      size: a.populationSize,
      take: a.sampleSize,
      cutOff: cutOff(a.sampleSize, a.populationSize),
    }));
  const r = await sql`
    with unit as (${unitsWithStratum(waveId, column)}),
    allocation as (
      select * from jsonb_to_recordset(${JSON.stringify(strata)}::jsonb)
        as a(stratum text, size int, take int, "cutOff" text)
    ),
    keyed as (
      select u.id, u.external_id, u.stratum, a.size, a.take, a."cutOff" as cut_off,
        md5(convert_to(${seed}::text || ':' || u.external_id, 'UTF8')) collate "C" as key
      from unit u join allocation a on a.stratum = u.stratum
    ),
    ranked as (
      select id, stratum, size, take,
        row_number() over (partition by stratum order by key, external_id collate "C") as place
      from keyed where key < cut_off
    )
    update frame_unit fu set
      stratum = r.stratum,
      selected = true,
      inclusion_probability = r.take::float8 / r.size,
      design_weight = r.size::float8 / r.take
    from ranked r where fu.wave_id = ${waveId} and fu.id = r.id and r.place <= r.take`.execute(db);
  return Number(r.numAffectedRows ?? 0n);
}
