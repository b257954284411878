// Live response rates of a wave, overall or broken down by stratum, county, municipality, the language a unit was
// invited in, or the languages used in responses. Response rate is AAPOR RR1: complete responses / eligible units
// invited. Every selected unit is taken as eligible (the frame lists programme participants and municipalities),
// so RR1 = completed / invited. Counted in the database: one grouped query per breakdown.
import type { Db } from '../db/connect.ts';
import { type SectionProgressRow, sectionProgress } from '../delegation/overview.ts';
import { municipalities2024 } from '../reference/municipalities.ts';
import { countProgress } from './progress-queries.ts';
import { requireWave } from './wave-lock.ts';

/**
 * `language`: the language each unit was invited in, so a unit invited in Arabic that answers in bokmål stays in
 * Arabic's denominator; `language-used`: the languages responses were given in (a unit counts under each it used).
 * `section`: the municipal survey's delegable sections, counted per section (server/delegation/overview.ts).
 */
export const progressBreakdowns = [
  'total',
  'stratum',
  'county',
  'municipality',
  'language',
  'language-used',
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

let countyNames: Map<string, string> | undefined;

/** A county's name from its two-digit code (Oslo's districts, 0301xx, fall in Oslo like 0301). */
function countyName(code: string | null): string | undefined {
  countyNames ??= new Map(municipalities2024().map((m) => [m.countyCode, m.countyName]));
  return code === null ? undefined : countyNames.get(code);
}

export async function waveProgress(
  db: Db,
  waveId: string,
  by: UnitBreakdown,
  opts: { municipalityCode?: string | null } = {},
): Promise<ProgressRow[]> {
  const wave = await requireWave(db, waveId);
  // A municipality user sees its own units only.
  const counts = await countProgress(db, wave, by, opts.municipalityCode ?? null);
  const groups = new Map<string, ProgressRow>();
  for (const c of counts) {
    const key = (by === 'county' ? countyName(c.grp) : c.grp) ?? '(none)';
    // Codes the reference list does not know fall together under (none), as units without a code do.
    const g = groups.get(key) ?? {
      group: key,
      invited: 0,
      opened: 0,
      started: 0,
      completed: 0,
      optedOut: 0,
      responseRate: null,
    };
    g.invited += c.invited;
    g.opened += c.opened;
    g.started += c.started;
    g.completed += c.completed;
    g.optedOut += c.opted_out;
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
