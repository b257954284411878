// Stratified design-based estimates (totals, means, shares, domains, linearized SEs) as R survey gives them.
/*
 * Design: stratified simple random sampling without replacement, one stage, the unit is the PSU — in R,
 * `svydesign(id = ~1, strata = ~h, weights = ~w, fpc = ~N_h)`. Row i of stratum h has weight w_i; n_h rows are in
 * the design in stratum h; N_h is the stratum's population size (omitted: no finite-population correction).
 *
 * Estimators (Horvitz–Thompson with the given weights; Cochran 1977, Sampling Techniques, 3rd ed., §5.2–5.3;
 * Lumley 2010, Complex Surveys, ch. 2):
 *   total   Ŷ = Σ_i w_i y_i                                    influence z_i = w_i y_i
 *   ratio   R̂ = Σ w_i y_i / Σ w_i x_i                          z_i = w_i (y_i − R̂ x_i) / Σ w_i x_i
 *   mean    the ratio with x ≡ 1 (Σ w_i is estimated, not known: Cochran §6.2, Lumley §2.4.1)
 *   proportion of category c: the mean of the indicator [y_i = c]
 * Domain d (Cochran §2.13, §5A.14; Särndal, Swensson & Wretman 1992, §10.3): the same formulas with
 * y_i, x_i multiplied by the domain indicator, in the WHOLE design: rows outside the domain stay in their stratum
 * with z_i = 0, so n_h and the stratum means of z are those of the whole sample. A separate design for the
 * domain's rows alone would use the domain's n_h and give a different (wrong) variance for domains that cut
 * across strata. This is what survey's svyby()/subset() do (rows kept with weight 0). Rows whose value is
 * missing (null) are outside the domain, as svymean(…, na.rm = TRUE) treats them.
 *
 * Variance (Taylor linearization; survey's svyrecvar/onestrat, Lumley 2010 §2.2, ?svyrecvar):
 *   V = Σ_h (1 − f_h) · n_h/(n_h − 1) · Σ_{i∈h} (z_i − z̄_h)²,   f_h = n_h / N_h (0 without fpc),
 *   SE = √V, and the 95 % interval is estimate ± 1.959964·SE (confint() of a svystat, df = Inf: Wald).
 * A stratum with f_h = 1 (everyone in it is in the design: a census stratum) contributes exactly 0.
 *
 * A stratum with a single row ("lonely PSU") has no within-stratum variance estimate. R's options
 * ("survey.lonely.psu"), reproduced here: "fail" (R's default) refuses; "certainty" and "remove" let it
 * contribute 0 (identical in survey 4.1.1); "adjust" centres it at the estimate instead of its stratum mean:
 * (1 − f_h) · z_i². Domains never make a stratum lonely (survey.adjust.domain.lonely = FALSE, the default).
 * Checked against survey 4.1.1 in estimation.test.ts (tests/fixtures/survey-reference/EXPECTED.md).
 */

export type LonelyPsu = 'fail' | 'certainty' | 'remove' | 'adjust';

/** qnorm(0.975): the 95 % Wald interval of svymean's confint(df = Inf). */
export const z975 = 1.959963984540054;

export interface DesignInput {
  /** Per row (respondent): its stratum and weight, in the same order as every value array passed later. */
  strata: readonly string[];
  weights: readonly number[];
  /** N_h by stratum; omitted: no finite-population correction (sampling with replacement). */
  populationSizes?: ReadonlyMap<string, number>;
  /** Default "fail", as R's. */
  lonelyPsu?: LonelyPsu;
}

interface Stratum {
  name: string;
  n: number;
  /** (1 − f_h) · n_h/(n_h − 1), or (1 − f_h) for a lonely stratum; 0 for a census stratum. */
  scale: number;
  lonely: boolean;
}

export interface StratifiedDesign {
  size: number;
  weights: readonly number[];
  /** Row → index into strata. */
  stratumOf: Int32Array;
  strata: readonly Stratum[];
  lonelyPsu: LonelyPsu;
  /** Strata with one row and f_h < 1: their variance is handled by lonelyPsu. */
  lonelyStrata: string[];
}

export interface Estimate {
  estimate: number;
  se: number;
  ciLow: number;
  ciHigh: number;
  /** Unweighted rows that entered the estimate (in the domain, value not missing). */
  n: number;
  /** Σ w over those rows (the estimated domain size). */
  weightedN: number;
}

export class DesignError extends Error {
  readonly code = 'design_invalid';
}

export function stratifiedDesign(input: DesignInput): StratifiedDesign {
  const { strata: names, weights } = input;
  if (names.length !== weights.length) throw new DesignError('strata and weights differ in length');
  const index = new Map<string, number>();
  const counts: number[] = [];
  const stratumOf = new Int32Array(names.length);
  for (const [i, name] of names.entries()) {
    const w = weights[i]!;
    if (!Number.isFinite(w) || w <= 0)
      throw new DesignError(`row ${i + 1}: weight must be above 0, got ${w}`);
    let h = index.get(name);
    if (h === undefined) {
      h = counts.length;
      index.set(name, h);
      counts.push(0);
    }
    counts[h]! += 1;
    stratumOf[i] = h;
  }
  const lonelyPsu = input.lonelyPsu ?? 'fail';
  const strata = [...index.keys()].map((name, h) => {
    const n = counts[h]!;
    const f = input.populationSizes ? sampledFraction(name, n, input.populationSizes) : 0;
    // R: a stratum sampled completely is "self-representing" before any lonely-PSU rule applies.
    const census = 1 - f < 1e-7;
    const lonely = n === 1 && !census;
    return { name, n, scale: census ? 0 : lonely ? 1 - f : ((1 - f) * n) / (n - 1), lonely };
  });
  const lonelyStrata = strata.filter((s) => s.lonely).map((s) => s.name);
  if (lonelyPsu === 'fail' && lonelyStrata.length)
    throw new DesignError(`stratum ${lonelyStrata.join(', ')} has only one unit (lonely PSU)`);
  return { size: names.length, weights, stratumOf, strata, lonelyPsu, lonelyStrata };
}

function sampledFraction(name: string, n: number, sizes: ReadonlyMap<string, number>): number {
  const N = sizes.get(name);
  if (N === undefined || !Number.isFinite(N) || N <= 0)
    throw new DesignError(`stratum ${name}: no population size N_h for the fpc`);
  if (n > N) throw new DesignError(`stratum ${name}: ${n} units in the design, more than N_h = ${N}`);
  return n / N;
}

/**
 * V = Σ_h scale_h · Σ_{i∈h} (z_i − z̄_h)², where z is given for `rows` and is 0 for every other row of the design.
 * The zeros are added in closed form, (n_h − m_h)·z̄_h², so a small domain costs its own rows, not the design's.
 */
export function designVariance(
  design: StratifiedDesign,
  rows: readonly number[],
  z: readonly number[],
): number {
  const H = design.strata.length;
  const sum = new Float64Array(H);
  const count = new Int32Array(H);
  for (const [k, i] of rows.entries()) {
    const h = design.stratumOf[i]!;
    sum[h]! += z[k]!;
    count[h]! += 1;
  }
  const squares = new Float64Array(H);
  const adjust = design.lonelyPsu === 'adjust';
  for (const [k, i] of rows.entries()) {
    const h = design.stratumOf[i]!;
    const s = design.strata[h]!;
    // "adjust": the lonely row is left uncentred, i.e. centred at the estimate (its z is a residual already).
    const centre = s.lonely && adjust ? 0 : sum[h]! / s.n;
    squares[h]! += (z[k]! - centre) ** 2;
  }
  let v = 0;
  for (let h = 0; h < H; h++) {
    const s = design.strata[h]!;
    if (s.scale === 0 || (s.lonely && !adjust)) continue;
    const mean = sum[h]! / s.n;
    v += s.scale * (squares[h]! + (s.lonely ? 0 : (s.n - count[h]!) * mean * mean));
  }
  return v;
}

function finish(design: StratifiedDesign, estimate: number, rows: number[], z: number[], weightedN: number) {
  const se = Math.sqrt(designVariance(design, rows, z));
  return {
    estimate,
    se,
    ciLow: estimate - z975 * se,
    ciHigh: estimate + z975 * se,
    n: rows.length,
    weightedN,
  };
}

/** Per row of the design: a number, or null where it is missing (left out, as na.rm = TRUE). */
export type Values = readonly (number | null)[];

/** A value by row index; null (or NaN) where missing. Lets a domain cost its own rows, not the design's. */
type ValueOf = (i: number) => number | null | undefined;

const present = (v: number | null | undefined): v is number =>
  v !== null && v !== undefined && !Number.isNaN(v);

/** The rows of `domain` (default: all) where y (and x) have a number. */
function usable(design: StratifiedDesign, domain: readonly number[] | undefined, y: ValueOf, x?: ValueOf) {
  const all = domain ?? Array.from({ length: design.size }, (_, i) => i);
  return all.filter((i) => present(y(i)) && (!x || present(x(i))));
}

/** svytotal: the estimated total of y over the domain (rows given by index; default: the whole design). */
export function estimateTotal(design: StratifiedDesign, y: Values, domain?: readonly number[]): Estimate {
  const rows = usable(design, domain, (i) => y[i]);
  const z = rows.map((i) => design.weights[i]! * y[i]!);
  const weightedN = rows.reduce((a, i) => a + design.weights[i]!, 0);
  return finish(
    design,
    z.reduce((a, b) => a + b, 0),
    rows,
    z,
    weightedN,
  );
}

/** svyratio: Σ w y / Σ w x over the domain, with the linearized variance. NaN when Σ w x is 0 (an empty domain). */
export function estimateRatio(
  design: StratifiedDesign,
  y: Values,
  x: Values,
  domain?: readonly number[],
): Estimate {
  return ratio(
    design,
    (i) => y[i],
    (i) => x[i],
    domain,
  );
}

/** svymean: the ratio of Σ w y to the estimated domain size Σ w (x ≡ 1). */
export function estimateMean(design: StratifiedDesign, y: Values, domain?: readonly number[]): Estimate {
  return ratio(design, (i) => y[i], null, domain);
}

/** The share of rows whose value is `category` among those with any value (svymean of the indicator). */
export function estimateProportion(
  design: StratifiedDesign,
  values: readonly (number | string | null)[],
  category: number | string,
  domain?: readonly number[],
): Estimate {
  const indicator = (i: number) => {
    const v = values[i];
    return v === null || v === undefined ? null : v === category ? 1 : 0;
  };
  return ratio(design, indicator, null, domain);
}

function ratio(
  design: StratifiedDesign,
  y: ValueOf,
  x: ValueOf | null,
  domain?: readonly number[],
): Estimate {
  const rows = usable(design, domain, y, x ?? undefined);
  const w = design.weights;
  const ys = rows.map((i) => y(i)!);
  const xs = rows.map((i) => (x ? x(i)! : 1));
  let num = 0;
  let den = 0;
  let weightedN = 0;
  for (const [k, i] of rows.entries()) {
    num += w[i]! * ys[k]!;
    den += w[i]! * xs[k]!;
    weightedN += w[i]!;
  }
  const r = num / den;
  const z = rows.map((i, k) => (w[i]! * (ys[k]! - r * xs[k]!)) / den);
  return finish(design, r, rows, z, weightedN);
}
