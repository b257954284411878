// Non-response adjustment of a wave's weights at close: pure, so a statistician can audit it and redo it by hand.
//
// Within each adjustment class k (the survey manager's choice: stratum, county, municipality or a frame column) a
// respondent's weight is d_i × S_k / R_k: S_k sums the design weights of the class's selected units, R_k those of
// its respondents (complete responses), so the class's respondents carry the whole class. Sums of design weights,
// not counts: once classes cut across strata, design weights differ within a class, and d_i × selected_k /
// responded_k would no longer add up to the class's population.
//
// A class without respondents cannot carry itself. Its units' design weight goes to a neighbour, in this order:
// 1. the respondents of the unit's county (first two digits of the municipality code), whose adjusted weights are
//    scaled by (A_c + E_c) / A_c: A_c their sum after the class step, E_c the design weight of the county's units
//    in classes without respondents;
// 2. all respondents of the wave, the same way, for units whose county has no respondent or is unknown.
// Scaling the neighbour rather than pooling it with the empty class keeps the adjustment of every class that has
// respondents (pooling into "all" would erase them all), and the respondents' weights sum to N = Σ design weights
// of the selected units, unless nobody in the wave responded.
//
// The factors depend only on (class, county), so the caller applies them to every unit in one statement.

/** The selected units of one class within one county, as the database groups them. */
export interface AdjustmentCell {
  class: string;
  /** Two-digit county code; null when the units have no municipality. */
  county: string | null;
  units: number;
  /** Σ design weights of the selected units. */
  selectedWeight: number;
  /** The smallest design weight in the cell: every one must be above 0. */
  minDesignWeight: number;
  respondents: number;
  /** Σ design weights of the respondents. */
  respondentWeight: number;
}

/** A respondent of the cell gets design weight × factor. */
export interface CellFactor {
  class: string;
  county: string | null;
  factor: number;
}

/** Units of a class without respondents, and who carries their weight: a county code, `all`, or nobody (null). */
export interface ClassCollapse {
  class: string;
  into: string | null;
  units: number;
  weight: number;
}

export interface NonresponseAdjustment {
  factors: CellFactor[];
  collapsed: ClassCollapse[];
  /** N: Σ design weights of the selected units. */
  population: number;
  /** Σ of the respondents' adjusted weights: N, or 0 when nobody responded. */
  weightSum: number;
  respondents: number;
  classes: number;
}

export class NonresponseError extends Error {
  readonly code = 'design_weights_invalid';
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const add = (m: Map<string, number>, k: string, x: number) => m.set(k, (m.get(k) ?? 0) + x);

export function adjustNonresponse(cells: AdjustmentCell[]): NonresponseAdjustment {
  const selected = new Map<string, number>();
  const responded = new Map<string, number>();
  for (const c of cells) {
    if (!Number.isFinite(c.minDesignWeight) || c.minDesignWeight <= 0)
      throw new NonresponseError(`design weights must be above 0; class ${c.class} has ${c.minDesignWeight}`);
    add(selected, c.class, c.selectedWeight);
    add(responded, c.class, c.respondentWeight);
  }
  const classFactor = (k: string) => (responded.get(k)! > 0 ? selected.get(k)! / responded.get(k)! : null);
  // Step 1: per county, the respondents' weight after the class step (A_c) and the weight left to carry (E_c).
  const carried = new Map<string, number>();
  const left = new Map<string, number>();
  for (const c of cells) {
    const f = classFactor(c.class);
    if (f !== null) add(carried, c.county ?? '', c.respondentWeight * f);
    else add(left, c.county ?? '', c.selectedWeight);
  }
  const carries = (county: string | null) => county !== null && (carried.get(county) ?? 0) > 0;
  const countyFactor = (county: string | null) =>
    carries(county) ? (carried.get(county!)! + (left.get(county!) ?? 0)) / carried.get(county!)! : 1;
  // Step 2: what no county carries goes to every respondent.
  let total = 0;
  let rest = 0;
  for (const [county, a] of carried) total += a * countyFactor(county || null);
  for (const [county, e] of left) if (!carries(county || null)) rest += e;
  const allFactor = total > 0 ? (total + rest) / total : null;

  const factors: CellFactor[] = [];
  const collapsed = new Map<string, ClassCollapse>();
  let weightSum = 0;
  let respondents = 0;
  for (const c of cells) {
    const f = classFactor(c.class);
    if (f !== null && c.respondents > 0 && allFactor !== null) {
      const factor = f * countyFactor(c.county) * allFactor;
      factors.push({ class: c.class, county: c.county, factor });
      weightSum += c.respondentWeight * factor;
      respondents += c.respondents;
    }
    if (f !== null) continue;
    const into = carries(c.county) ? c.county : allFactor !== null ? 'all' : null;
    const key = JSON.stringify([c.class, into]);
    const entry = collapsed.get(key) ?? { class: c.class, into, units: 0, weight: 0 };
    entry.units += c.units;
    entry.weight += c.selectedWeight;
    collapsed.set(key, entry);
  }
  return {
    factors,
    collapsed: [...collapsed.values()].sort(
      (a, b) => byCodeUnits(a.class, b.class) || byCodeUnits(a.into ?? '', b.into ?? ''),
    ),
    population: [...selected.values()].reduce((a, b) => a + b, 0),
    weightSum,
    respondents,
    classes: selected.size,
  };
}
