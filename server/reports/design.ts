// The sampling design as the estimator, the reports and the export all name it: each response's weighting
// stratum and its population size N_h (the finite-population correction). One rule, so an analyst's R on the
// export gives exactly Svar's figures.
import type { Executor } from '../audit/queries.ts';
import { countSelectedUnits } from '../exports/queries.ts';
import type { AllocationRow } from '../fieldwork/sampling.ts';
import { ConflictError } from '../http/errors.ts';

export interface DesignWave {
  mode: 'census' | 'sample';
  sampling: unknown;
}

/**
 * The stratum of the variance estimator: the sampled stratum; in a census, the municipality (each one enumerated
 * whole). The non-response weights closeWave stores may be adjusted within wider classes (a county, all units: see
 * fieldwork/close-wave.ts); point estimates use those weights as stored.
 */
export function weightingStratum(mode: string, stratum: string | null, municipality: string | null): string {
  return stratum ?? (mode === 'census' ? (municipality ?? 'all') : 'all');
}

/** N_h: from the sample's allocation table; in a census, the units selected in each stratum (all of them). */
export function stratumPopulations(
  wave: DesignWave,
  units: Iterable<{ stratum: string | null; municipality_code: string | null; n?: number }>,
): Map<string, number> {
  if (wave.mode === 'sample') {
    const table = ((wave.sampling ?? {}) as { table?: AllocationRow[] }).table;
    if (!table) throw new ConflictError('sample_not_drawn', 'The wave has no sample yet.');
    return new Map(table.filter((r) => r.populationSize > 0).map((r) => [r.stratum, r.populationSize]));
  }
  const sizes = new Map<string, number>();
  for (const u of units) {
    const h = weightingStratum(wave.mode, u.stratum, u.municipality_code);
    sizes.set(h, (sizes.get(h) ?? 0) + (u.n ?? 1));
  }
  return sizes;
}

/** N_h of a wave's weighting strata; a census counts its selected units per stratum in one grouped query. */
export async function waveStratumPopulations(
  db: Executor,
  wave: DesignWave & { id: string },
): Promise<Map<string, number>> {
  const units =
    wave.mode === 'census'
      ? (await countSelectedUnits(db, wave.id)).map((u) => ({ ...u, n: Number(u.n) }))
      : [];
  return stratumPopulations(wave, units);
}
