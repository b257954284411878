// Stratified sampling of a wave's frame: how many units each stratum gets, which units, and their weights.
// Pure and seeded, so anyone can redraw and audit a sample from the frame, the allocation and the seed alone.
//
// How units are chosen (the database does it, sample-queries.ts `writeSelection`, so a frame of any size stays
// out of memory): within each stratum the units are ranked by the key md5(seed ‖ ':' ‖ external_id) — the MD5 of
// the UTF-8 bytes, as 32 lowercase hex digits compared byte by byte — then by external_id (unique in a wave, so
// the order has no ties), and the first n_h are selected. Each unit's key is a fixed pseudo-random number given
// the seed, so every set of n_h units of a stratum is equally likely (simple random sampling without replacement)
// and a stratum's draw does not depend on the other strata. The same frame, settings and seed give the same
// sample on any machine and on either database; anyone can check it with any MD5 (`selectByKey` below is the
// same rule in JavaScript, and the tests hold the database's draw to it).
import { createHash } from 'node:crypto';

/** The selection rule as stored with a drawn sample, so a later reader knows how to redraw it. */
export const selectionRule =
  "per stratum, the n_h units with the smallest md5(utf8(seed || ':' || external_id)) in hex, then external_id";

/** A unit's selection key: the MD5 of the UTF-8 bytes of `seed:externalId`, as lowercase hex. */
export function selectionKey(seed: string, externalId: string): string {
  return createHash('md5').update(`${seed}:${externalId}`, 'utf8').digest('hex');
}

/** The rule on one stratum's external ids: the n with the smallest key, then id; in that order. */
export function selectByKey(externalIds: string[], n: number, seed: string): string[] {
  return externalIds
    .map((id) => ({ id, key: selectionKey(seed, id) }))
    .sort((a, b) => byCodeUnits(a.key, b.key) || byCodeUnits(a.id, b.id))
    .slice(0, n)
    .map((u) => u.id);
}

export type AllocationMethod = 'proportional' | 'equal' | 'neyman' | 'fixed';

export interface StratumFrame {
  stratum: string;
  size: number;
  /** Neyman: the stratum's standard deviation */
  spread?: number;
  /** fixed allocation: the wanted n_h */
  fixed?: number;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
// Code-unit order, not localeCompare: the same sample on every machine whatever its locale.
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const names = (strata: StratumFrame[]) => strata.map((s) => s.stratum).join(', ');

export class SamplingError extends Error {
  constructor(
    message: string,
    readonly code: string = 'sampling_invalid',
  ) {
    super(message);
    this.name = 'SamplingError';
  }
}

/**
 * A non-empty stratum would get no unit: its units could never be represented and the design weights would sum
 * to less than N. Refused unless the survey manager allows empty strata explicitly.
 */
export class EmptyStrataError extends SamplingError {
  constructor(
    message: string,
    readonly strata: { stratum: string; size: number }[],
  ) {
    super(message, 'sample_empty_strata');
    this.name = 'EmptyStrataError';
  }
}

/** What leaving these strata empty means, in the words a survey manager reads. */
export function emptyStrataConsequence(strata: { stratum: string; size: number }[], population: number) {
  const left = sum(strata.map((s) => s.size));
  const listed = strata.map((s) => `${s.stratum} (${s.size} unit${s.size === 1 ? '' : 's'})`).join(', ');
  return (
    `${strata.length} non-empty strat${strata.length === 1 ? 'um gets' : 'a get'} no unit: ${listed}. ` +
    `Their ${left} unit${left === 1 ? '' : 's'} can never be represented, and the design weights sum to ` +
    `${population - left} instead of N = ${population}.`
  );
}

const allowHint = 'Allow it only on purpose (--allow-empty-strata, or allowEmptyStrata: true in the API).';

/**
 * n_h per stratum: sums exactly to n, never exceeds a stratum's size, gives every stratum at least
 * min(minimum, size), where the minimum is minPerStratum but at least 1 unless empty strata are allowed: a
 * non-empty stratum left without a unit is refused (EmptyStrataError) unless `allowEmptyStrata`.
 */
export function allocate(
  strata: StratumFrame[],
  n: number,
  method: AllocationMethod,
  opts: { minPerStratum?: number; allowEmptyStrata?: boolean } = {},
): Map<string, number> {
  checkFrame(strata, n);
  const asked = opts.minPerStratum ?? 0;
  if (!Number.isInteger(asked) || asked < 0) {
    throw new SamplingError(`minPerStratum must be a whole number ≥ 0, got ${asked}`);
  }
  const allowEmpty = opts.allowEmptyStrata ?? false;
  const nonEmpty = strata.filter((s) => s.size > 0);
  if (!allowEmpty && nonEmpty.length > n) {
    throw new EmptyStrataError(
      `A sample of ${n} cannot give each of the ${nonEmpty.length} non-empty strata a unit: raise the size to at ` +
        `least ${nonEmpty.length} or stratify more coarsely. Strata left without a unit can never be ` +
        `represented, and the design weights then sum to less than N. ${allowHint}`,
      nonEmpty.map((s) => ({ stratum: s.stratum, size: s.size })),
    );
  }
  const minimum = allowEmpty ? asked : Math.max(asked, 1);
  const lows = strata.map((s) => Math.min(minimum, s.size));
  if (sum(lows) > n) {
    throw new SamplingError(
      `minPerStratum ${minimum} needs ${sum(lows)} units over the strata, more than n = ${n}`,
    );
  }
  if (method === 'fixed') return fixedAllocation(strata, n, lows, allowEmpty);
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

function fixedAllocation(
  strata: StratumFrame[],
  n: number,
  lows: number[],
  allowEmpty: boolean,
): Map<string, number> {
  const bad = strata.filter(
    (s) => s.fixed === undefined || !Number.isInteger(s.fixed) || s.fixed < 0 || s.fixed > s.size,
  );
  if (bad.length > 0) {
    throw new SamplingError(
      `fixed allocation needs a whole number from 0 to the stratum's size; wrong for: ${names(bad)}`,
    );
  }
  const empty = strata.filter((s) => s.fixed === 0 && s.size > 0);
  if (!allowEmpty && empty.length > 0) {
    const population = sum(strata.map((s) => s.size));
    throw new EmptyStrataError(
      `Fixed allocation: ${emptyStrataConsequence(empty, population)} ${allowHint}`,
      empty.map((s) => ({ stratum: s.stratum, size: s.size })),
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
 * For seeded simulations (the demo's synthetic wave, tests); a sample's units are chosen by the rule above.
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

export interface AllocationRow {
  stratum: string;
  populationSize: number;
  sampleSize: number;
  /** N_h / n_h; 0 where n_h = 0, since no selected unit carries it. */
  designWeight: number;
}

/** The allocation table of a draw, stratum by stratum in code-unit order; the strata left empty, if allowed. */
export function allocationTable(strata: StratumFrame[], allocation: Map<string, number>) {
  const table: AllocationRow[] = [...strata]
    .sort((a, b) => byCodeUnits(a.stratum, b.stratum))
    .map(({ stratum, size }) => {
      const take = allocation.get(stratum) ?? 0;
      return { stratum, populationSize: size, sampleSize: take, designWeight: take === 0 ? 0 : size / take };
    });
  const empty = table
    .filter((r) => r.sampleSize === 0 && r.populationSize > 0)
    .map((r) => ({ stratum: r.stratum, size: r.populationSize }));
  return { table, empty };
}

export interface SampledUnit<U> {
  unit: U;
  stratum: string;
  inclusionProbability: number;
  designWeight: number;
}

/**
 * The stratified draw in JavaScript, by the rule above (one stratum "all" when strataOf is omitted): the
 * specification the database's set-based draw is tested against, and a sampler for simulations. Selected units
 * come stratum by stratum (code-unit order), each in key order.
 */
export function drawSample<U extends { id: string }>(
  units: U[],
  allocation: Map<string, number>,
  seed: string,
  strataOf: (u: U) => string = () => 'all',
): { selected: SampledUnit<U>[]; table: AllocationRow[] } {
  const frame = new Map<string, Map<string, U>>();
  const seen = new Set<string>();
  for (const unit of units) {
    if (seen.has(unit.id)) throw new SamplingError(`unit id ${unit.id} appears more than once in the frame`);
    seen.add(unit.id);
    const stratum = strataOf(unit);
    if (!allocation.has(stratum))
      throw new SamplingError(`unit ${unit.id} is in stratum ${stratum}, not allocated`);
    frame.set(stratum, (frame.get(stratum) ?? new Map<string, U>()).set(unit.id, unit));
  }
  const strata = [...allocation.keys()].map((stratum) => ({ stratum, size: frame.get(stratum)?.size ?? 0 }));
  for (const { stratum, size } of strata) {
    const take = allocation.get(stratum)!;
    if (!Number.isInteger(take) || take < 0 || take > size)
      throw new SamplingError(`stratum ${stratum}: cannot draw ${take} of ${size} units`);
  }
  const { table } = allocationTable(strata, allocation);
  const selected = table.flatMap(({ stratum, populationSize, sampleSize, designWeight }) => {
    const pool = frame.get(stratum) ?? new Map<string, U>();
    return selectByKey([...pool.keys()], sampleSize, seed).map((id) => ({
      unit: pool.get(id)!,
      stratum,
      inclusionProbability: sampleSize / populationSize,
      designWeight,
    }));
  });
  return { selected, table };
}

/** A spread as a frame or a spread file gives it: a number, or text with a decimal point or comma ("1,5"). */
export function parseDecimal(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const text = value.trim();
  if (!/^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/.test(text)) return undefined;
  return Number(text.replace(',', '.'));
}
