// Stratified sampling of a wave's frame: how many units each stratum gets, which units, and their weights.
// Pure and seeded, so anyone can redraw and audit a sample from the frame, the allocation and the seed alone.

export type AllocationMethod = 'proportional' | 'equal' | 'neyman' | 'fixed';

export interface StratumFrame {
  stratum: string;
  size: number;
  /** Neyman: the stratum's standard deviation */
  spread?: number;
  /** fixed allocation: the wanted n_h */
  fixed?: number;
}

export class SamplingError extends Error {
  readonly code = 'sampling_invalid';
  constructor(message: string) {
    super(message);
    this.name = 'SamplingError';
  }
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
// Code-unit order, not localeCompare: the same sample on every machine whatever its locale.
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const names = (strata: StratumFrame[]) => strata.map((s) => s.stratum).join(', ');

/** n_h per stratum: sums exactly to n, never exceeds a stratum's size, gives every stratum at least min(minPerStratum, size). */
export function allocate(
  strata: StratumFrame[],
  n: number,
  method: AllocationMethod,
  opts: { minPerStratum?: number } = {},
): Map<string, number> {
  checkFrame(strata, n);
  const minimum = opts.minPerStratum ?? 0;
  if (!Number.isInteger(minimum) || minimum < 0) {
    throw new SamplingError(`minPerStratum must be a whole number ≥ 0, got ${minimum}`);
  }
  const lows = strata.map((s) => Math.min(minimum, s.size));
  if (sum(lows) > n) {
    throw new SamplingError(
      `minPerStratum ${minimum} needs ${sum(lows)} units over the strata, more than n = ${n}`,
    );
  }
  if (method === 'fixed') return fixedAllocation(strata, n, lows);
  const weights =
    method === 'proportional'
      ? strata.map((s) => s.size)
      : method === 'equal'
        ? strata.map(() => 1)
        : neymanWeights(strata);
  const highs = strata.map((s) => s.size);
  return roundShares(strata, shareOut(weights, lows, highs, n), lows, n);
}

function checkFrame(strata: StratumFrame[], n: number) {
  if (!Number.isInteger(n) || n < 1) throw new SamplingError(`n must be a whole number ≥ 1, got ${n}`);
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const { stratum } of strata) (seen.has(stratum) ? twice : seen).add(stratum);
  if (twice.size > 0) {
    throw new SamplingError(`stratum names must be unique; repeated: ${[...twice].join(', ')}`);
  }
  const badSize = strata.filter((s) => !Number.isInteger(s.size) || s.size < 0);
  if (badSize.length > 0) {
    throw new SamplingError(`stratum sizes must be whole numbers ≥ 0; wrong for: ${names(badSize)}`);
  }
  const population = sum(strata.map((s) => s.size));
  if (n > population) throw new SamplingError(`n = ${n} is larger than the population of ${population}`);
}

function neymanWeights(strata: StratumFrame[]): number[] {
  const bad = strata.filter((s) => s.spread === undefined || !Number.isFinite(s.spread) || s.spread < 0);
  if (bad.length > 0) {
    throw new SamplingError(
      `Neyman allocation needs a spread ≥ 0 for every stratum; missing or wrong for: ${names(bad)}`,
    );
  }
  const weights = strata.map((s) => s.size * s.spread!);
  if (weights.every((w) => w === 0)) {
    throw new SamplingError('Neyman allocation needs a non-empty stratum with a spread above 0; all are 0');
  }
  return weights;
}

function fixedAllocation(strata: StratumFrame[], n: number, lows: number[]): Map<string, number> {
  const bad = strata.filter(
    (s) => s.fixed === undefined || !Number.isInteger(s.fixed) || s.fixed < 0 || s.fixed > s.size,
  );
  if (bad.length > 0) {
    throw new SamplingError(
      `fixed allocation needs a whole number from 0 to the stratum's size; wrong for: ${names(bad)}`,
    );
  }
  // Raising a fixed n_h to the minimum would silently change what was asked for, so refuse instead.
  const short = strata.filter((s, h) => s.fixed! < lows[h]!);
  if (short.length > 0)
    throw new SamplingError(`fixed allocation is below minPerStratum for: ${names(short)}`);
  const total = sum(strata.map((s) => s.fixed!));
  if (total !== n) throw new SamplingError(`fixed allocation sums to ${total}, not n = ${n}`);
  return new Map(strata.map((s) => [s.stratum, s.fixed!]));
}

/**
 * Real-valued n_h = clamp(λ·w_h, low_h, high_h) summing to n: "apply the minimum, cap at size, redistribute"
 * solved in one go. If every stratum with weight > 0 is full (Neyman strata with spread 0), the rest of n goes to
 * the others in proportion to their remaining room.
 */
function shareOut(weights: number[], lows: number[], highs: number[], n: number): number[] {
  const shares = solveLambda(weights, lows, highs, n);
  if (shares) return shares;
  const room = weights.map((w, h) => (w > 0 ? 0 : highs[h]! - lows[h]!));
  const full = weights.map((w, h) => (w > 0 ? highs[h]! : lows[h]!));
  return solveLambda(room, full, highs, n) ?? highs;
}

// The clamped sum is piecewise linear in λ, bending where a stratum reaches a bound: find the segment where it
// crosses n and interpolate, which is exact where bisection would only be close.
function solveLambda(weights: number[], lows: number[], highs: number[], n: number): number[] | undefined {
  const at = (lambda: number) => weights.map((w, h) => Math.min(highs[h]!, Math.max(lows[h]!, lambda * w)));
  let below = 0;
  let reachedBelow = sum(lows);
  if (reachedBelow >= n) return [...lows];
  const bends = weights.flatMap((w, h) => (w > 0 ? [lows[h]! / w, highs[h]! / w] : []));
  for (const bend of [...new Set(bends)].sort((a, b) => a - b)) {
    const reached = sum(at(bend));
    if (reached >= n) return at(below + ((n - reachedBelow) * (bend - below)) / (reached - reachedBelow));
    below = bend;
    reachedBelow = reached;
  }
  return undefined;
}

/** Largest remainder (Hamilton) rounding; equal remainders, up to float noise, go by stratum name. */
function roundShares(
  strata: StratumFrame[],
  shares: number[],
  lows: number[],
  n: number,
): Map<string, number> {
  const counts = shares.map((x, h) => Math.max(lows[h]!, Math.floor(x)));
  const order = strata
    .map((s, h) => ({ h, name: s.stratum, remainder: shares[h]! - counts[h]! }))
    .sort((a, b) =>
      Math.abs(a.remainder - b.remainder) > 1e-9 ? b.remainder - a.remainder : byCodeUnits(a.name, b.name),
    );
  let left = n - sum(counts);
  for (const { h } of order) {
    if (left <= 0) break;
    if (counts[h]! < strata[h]!.size) {
      counts[h]! += 1;
      left -= 1;
    }
  }
  if (left !== 0) throw new Error(`allocation rounding left ${left} units over; this is a bug`);
  return new Map(strata.map((s, h) => [s.stratum, counts[h]!]));
}

/**
 * A seeded PRNG returning floats in [0, 1), reproducible on any machine and in any language:
 * 1. hash the seed's UTF-8 bytes with cyrb128 (bryc, https://github.com/bryc/code/blob/master/jshash/PRNGs.md):
 *    h1..h4 = 1779033703, 3144134277, 1013904242, 2773480762; per byte k: h1 = h2 ^ imul(h1 ^ k, 597399067),
 *    h2 = h3 ^ imul(h2 ^ k, 2869860233), h3 = h4 ^ imul(h3 ^ k, 951274213), h4 = h1 ^ imul(h4 ^ k, 2716044179);
 *    then the final mix below;
 * 2. seed sfc32 (Chris Doty-Humphrey's Small Fast Counting generator from PractRand) with a, b, c, d = h1..h4,
 *    and discard its first 12 outputs so that similar seeds diverge;
 * 3. return each 32-bit output t as t / 2^32.
 * Never Math.random: a wave's sample must be redrawable from its seed.
 */
export function createRng(seed: string): () => number {
  let [a, b, c, d] = cyrb128(new TextEncoder().encode(seed));
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (((c << 21) | (c >>> 11)) + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

function cyrb128(bytes: Uint8Array): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (const k of bytes) {
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/**
 * A whole number in [0, k), exactly uniform: floor(u·k) or x % k favours some values whenever k does not divide
 * 2^32, so outputs from the biased top end are rejected and redrawn.
 */
function drawIndex(rng: () => number, k: number): number {
  const limit = 4294967296 - (4294967296 % k);
  for (;;) {
    const x = rng() * 4294967296;
    if (x < limit) return x % k;
  }
}

export interface SampledUnit<U> {
  unit: U;
  stratum: string;
  inclusionProbability: number;
  designWeight: number;
}

export interface AllocationRow {
  stratum: string;
  populationSize: number;
  sampleSize: number;
  /** N_h / n_h; 0 where n_h = 0, since no selected unit carries it. */
  designWeight: number;
}

/**
 * Stratified simple random sampling without replacement (one stratum "all" when strataOf is omitted).
 * Deterministic for the same units (in any input order), allocation and seed: units are sorted by id within each
 * stratum, then a partial Fisher–Yates picks n_h of them with the PRNG seeded by JSON.stringify([seed, stratum]),
 * so each stratum's draw is independent of the others. Selected units come stratum by stratum in draw order.
 */
export function drawSample<U extends { id: string }>(
  units: U[],
  allocation: Map<string, number>,
  seed: string,
  strataOf: (u: U) => string = () => 'all',
): { selected: SampledUnit<U>[]; table: AllocationRow[] } {
  const frame = groupFrame(units, allocation, strataOf);
  const selected: SampledUnit<U>[] = [];
  const table: AllocationRow[] = [];
  for (const stratum of [...allocation.keys()].sort(byCodeUnits)) {
    const pool = frame.get(stratum) ?? [];
    const take = allocation.get(stratum)!;
    const populationSize = pool.length;
    if (!Number.isInteger(take) || take < 0 || take > populationSize) {
      throw new SamplingError(`stratum ${stratum}: cannot draw ${take} of ${populationSize} units`);
    }
    const designWeight = take === 0 ? 0 : populationSize / take;
    table.push({ stratum, populationSize, sampleSize: take, designWeight });
    const rng = createRng(JSON.stringify([seed, stratum]));
    for (let i = 0; i < take; i++) {
      const j = i + drawIndex(rng, populationSize - i);
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
      selected.push({ unit: pool[i]!, stratum, inclusionProbability: take / populationSize, designWeight });
    }
  }
  return { selected, table };
}

function groupFrame<U extends { id: string }>(
  units: U[],
  allocation: Map<string, number>,
  strataOf: (u: U) => string,
): Map<string, U[]> {
  const ids = new Set<string>();
  const frame = new Map<string, U[]>();
  for (const unit of units) {
    if (ids.has(unit.id)) throw new SamplingError(`unit id ${unit.id} appears more than once in the frame`);
    ids.add(unit.id);
    const stratum = strataOf(unit);
    if (!allocation.has(stratum))
      throw new SamplingError(`unit ${unit.id} is in stratum ${stratum}, not allocated`);
    const pool = frame.get(stratum);
    if (pool) pool.push(unit);
    else frame.set(stratum, [unit]);
  }
  for (const pool of frame.values()) pool.sort((a, b) => byCodeUnits(a.id, b.id));
  return frame;
}

/**
 * Non-response adjustment within strata: for respondents, designWeight × selected_h / responded_h; undefined for
 * non-respondents. Strata where nobody responded are reported: their weight cannot be carried by anyone.
 */
export function nonresponseWeights<T extends { stratum: string; designWeight: number; responded: boolean }>(
  rows: T[],
): { weights: (number | undefined)[]; emptyStrata: string[] } {
  const counts = new Map<string, { selected: number; responded: number }>();
  for (const row of rows) {
    if (!Number.isFinite(row.designWeight) || row.designWeight <= 0) {
      throw new SamplingError(
        `design weights must be above 0; stratum ${row.stratum} has ${row.designWeight}`,
      );
    }
    const c = counts.get(row.stratum) ?? { selected: 0, responded: 0 };
    c.selected += 1;
    if (row.responded) c.responded += 1;
    counts.set(row.stratum, c);
  }
  const weights = rows.map((row) => {
    const c = counts.get(row.stratum)!;
    return row.responded ? (row.designWeight * c.selected) / c.responded : undefined;
  });
  const emptyStrata = [...counts].filter(([, c]) => c.responded === 0).map(([s]) => s);
  return { weights, emptyStrata: emptyStrata.sort(byCodeUnits) };
}
