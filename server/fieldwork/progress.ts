// Live response rates of a wave, overall or broken down by stratum, county, municipality or language.
// Response rate is AAPOR RR1: complete responses / eligible units invited. Every selected unit is taken as
// eligible (the frame lists programme participants and municipalities), so RR1 = completed / invited.
import type { Db } from '../db/connect.ts';
import { type SectionProgressRow, sectionProgress } from '../delegation/overview.ts';
import { NotFoundError } from '../http/errors.ts';
import { municipalities2024 } from '../reference/municipalities.ts';
import * as q from './queries.ts';

/** `section`: the municipal survey's delegable sections, counted per section (server/delegation/overview.ts). */
export const progressBreakdowns = [
  'total',
  'stratum',
  'county',
  'municipality',
  'language',
  'section',
] as const;
export type ProgressBy = (typeof progressBreakdowns)[number];
export type UnitBreakdown = Exclude<ProgressBy, 'section'>;

export interface ProgressRow {
  group: string;
  invited: number;
  opened: number;
  started: number;
  completed: number;
  optedOut: number;
  responseRate: number | null;
}

export async function waveProgress(
  db: Db,
  waveId: string,
  by: UnitBreakdown,
  opts: { municipalityCode?: string | null } = {},
): Promise<ProgressRow[]> {
  const wave = await q.findWave(db, waveId);
  if (!wave) throw new NotFoundError('No such wave.', 'wave_not_found');
  const counties = new Map(municipalities2024().map((m) => [m.code, m.countyName]));
  let states = await q.listSelectedUnitStates(db, waveId);
  // A municipality user sees its own units only.
  if (opts.municipalityCode)
    states = states.filter((s) => (s.municipality_code ?? '').startsWith(opts.municipalityCode!));
  const groupOf: Record<UnitBreakdown, (s: (typeof states)[number]) => string | null | undefined> = {
    total: () => 'total',
    stratum: (s) => s.stratum,
    municipality: (s) => s.municipality_code,
    county: (s) => counties.get((s.municipality_code ?? '').slice(0, 4)),
    // The language answered in, else the one the unit was invited in.
    language: (s) => s.response_locale ?? s.preferred_locale,
  };
  const groups = new Map<string, ProgressRow>();
  for (const s of states) {
    const key = groupOf[by](s) ?? '(none)';
    const g = groups.get(key) ?? {
      group: key,
      invited: 0,
      opened: 0,
      started: 0,
      completed: 0,
      optedOut: 0,
      responseRate: null,
    };
    if (s.invited) g.invited += 1;
    if (s.opened) g.opened += 1;
    if (s.response_id) g.started += 1;
    if (s.response_status === 'completed') g.completed += 1;
    if (s.opted_out_at) g.optedOut += 1;
    groups.set(key, g);
  }
  return [...groups.values()]
    .map((g) => ({ ...g, responseRate: g.invited ? g.completed / g.invited : null }))
    .sort((a, b) => a.group.localeCompare(b.group, 'nb'));
}

export type ProgressReport =
  | { by: UnitBreakdown; rows: ProgressRow[] }
  | { by: 'section'; rows: SectionProgressRow[] };

/** Progress by any breakdown; `section` only for municipal survey waves (409 `wave_not_municipal` otherwise). */
export async function progressReport(
  db: Db,
  waveId: string,
  by: ProgressBy,
  opts: { municipalityCode?: string | null } = {},
): Promise<ProgressReport> {
  if (by === 'section') return { by, rows: await sectionProgress(db, waveId, opts) };
  return { by, rows: await waveProgress(db, waveId, by, opts) };
}
