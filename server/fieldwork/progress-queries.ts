// SQL for progress: one grouped statement per breakdown over a wave's selected units, counted in the database so a
// wave of a million units answers without a unit crossing to JavaScript.
import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../audit/queries.ts';

export type CountedBreakdown = 'total' | 'stratum' | 'county' | 'municipality' | 'language' | 'language-used';

export interface ProgressCount {
  /** The group's key: a county as its two-digit code; null where units have no value. */
  grp: string | null;
  invited: number;
  opened: number;
  started: number;
  completed: number;
  opted_out: number;
}

interface ProgressWave {
  id: string;
  /** The languages the wave offers, its first the one a unit without an offered language is invited in. */
  locales: string[];
}

function groupOf(by: CountedBreakdown, locales: string[]): RawBuilder<string | null> {
  const offered = (locale: RawBuilder<unknown>) => sql`${locale} = any(cast(${locales} as text[]))`;
  switch (by) {
    case 'total':
      return sql`'total'`;
    case 'stratum':
      return sql`frame_unit.stratum`;
    case 'county':
      return sql`left(frame_unit.municipality_code, 2)`;
    case 'municipality':
      return sql`frame_unit.municipality_code`;
    // The language the unit was invited in: its live link's, else its own if offered, else the wave's first.
    case 'language':
      return sql`case when ${offered(sql`frame_unit.invited_locale`)} then frame_unit.invited_locale
        when ${offered(sql`frame_unit.preferred_locale`)} then frame_unit.preferred_locale
        else ${locales[0] ?? null} end`;
    case 'language-used':
      return sql`used.locale`;
  }
}

/**
 * Invited (any link), opened (a link opened, or a response begun: a unit that started has opened), started,
 * completed and opted out, per group. `language-used` counts a unit under every language its response used.
 */
export async function countProgress(
  db: Executor,
  wave: ProgressWave,
  by: CountedBreakdown,
  municipalityCode: string | null,
): Promise<ProgressCount[]> {
  const used = by === 'language-used';
  // Invited and opened come from the unit's own row (kept by triggers on invitation): aggregating every link of
  // a million-unit wave per request took seconds.
  const { rows } = await sql<ProgressCount>`
    select ${groupOf(by, wave.locales)} as grp,
      (count(*) filter (where frame_unit.invited))::int as invited,
      (count(*) filter (where frame_unit.link_opened or response.id is not null))::int as opened,
      count(response.id)::int as started,
      (count(*) filter (where response.status = 'completed'))::int as completed,
      count(frame_unit.opted_out_at)::int as opted_out
    from frame_unit
    ${used ? sql`join` : sql`left join`} response
      on response.frame_unit_id = frame_unit.id and response.wave_id = ${wave.id}
    ${
      used
        ? sql`cross join lateral unnest(case when cardinality(response.locales_used) = 0
            then array[response.locale] else response.locales_used end) as used(locale)`
        : sql``
    }
    where frame_unit.wave_id = ${wave.id}
      and frame_unit.selected
      ${municipalityCode ? sql`and starts_with(frame_unit.municipality_code, ${municipalityCode})` : sql``}
    group by 1
  `.execute(db);
  return rows;
}

/** How many units the wave's frame holds, and how many are selected. */
export async function countFrameUnits(db: Executor, waveId: string) {
  const row = await db
    .selectFrom('frame_unit')
    .select([
      sql<number>`count(*)::int`.as('units'),
      sql<number>`(count(*) filter (where selected))::int`.as('selected'),
    ])
    .where('wave_id', '=', waveId)
    .executeTakeFirstOrThrow();
  return row;
}
