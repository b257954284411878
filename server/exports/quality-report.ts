// Data quality of a wave: counts of the per-response flags, item nonresponse, "don't know" and break-off per
// question and language, and the questions whose rate in one language stands out: candidates for translation review.
//
// The translation-review test. For each question, measure and language L: the measure is item nonresponse
// (unanswered / asked) or "don't know" (answers at the instrument's dont_know code / answered, only for questions
// that offer that code). L's rate is compared with all other languages pooled, when both have a denominator of at
// least 20, by the pooled two-proportion z-test with continuity correction (z² is Yates' χ² of the 2 × 2 table):
//   p̂ = (x_L + x_O) / (n_L + n_O),  z = (|p_L − p_O| − ½ (1/n_L + 1/n_O)) / √(p̂ (1 − p̂) (1/n_L + 1/n_O)),
//   P = 2 (1 − Φ(z)),
// with Φ from erfc (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7). The P-values of all tests of the wave
// (every question, language and both measures) are adjusted by Holm–Bonferroni, which keeps the chance of any false
// flag in the wave at 5 % whatever the dependence between tests. A language is flagged when the adjusted P < 0.05 and
// |p_L − p_O| ≥ 10 percentage points, so that a large wave does not flag differences too small to matter.
// Why the correction: Holm asks for P near 0.001, far in the tail, where the plain z-test overstates significance
// for small n and rare outcomes. Simulated waves with no real difference (6 languages × 8 questions, 2 000 each)
// were falsely flagged 12 % of the time by the plain test at n = 20 and a 5 % rate, 5.5 % at n = 60 and 20 %; with
// the correction at most 4.4 % in every setting tried (quality-report.test.ts repeats this).
// Limits, to read a flag by:
// - A flag says the language differs, not why. Who answers in a language differs too (age, schooling, years in
//   Norway), so a sound translation can be flagged and a flag is a reason to look, not a finding.
// - Responses are taken as a simple random sample: no weights, no design effect (clustering would make P too small).
// - One language against the rest: with few languages, one outlier drags the pool, and another language may then
//   show a difference in the other direction (with two languages both tests are one comparison). Read the largest
//   |z| of a question first.
// - Holm and the correction are conservative: a real but modest difference in a small language may go unflagged,
//   so no flag is not evidence of a good translation.
// - The language is the one last used; "asked" is approximated (see askedQuestions in quality.ts), and the page a
//   response broke off on counts as asked, so break-off raises item nonresponse there (its count is reported beside).
//   While a wave is open an unfinished response may still go on: break-offs are provisional until it closes.
import type { Db } from '../db/connect.ts';
import { NotFoundError } from '../http/errors.ts';
import type { Codebook } from '../surveys/codebook.ts';
import {
  askedQuestions,
  breakoffPage,
  isAnswered,
  isSpeeding,
  type QualityRow,
  straightlinedGrids,
  type WaveQualityStats,
  waveQualityStats,
} from './quality.ts';
import * as q from './queries.ts';

type Json = Record<string, unknown>;

/** Numerical Recipes' erfc coefficients (Chebyshev fit), highest power last. */
const erfcFit = [
  -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587,
  -0.82215223, 0.17087277,
];

/** Φ's tail: 2 (1 − Φ(|z|)) = erfc(|z| / √2). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly = erfcFit.reduceRight((acc, c) => c + t * acc, 0);
  const r = t * Math.exp(-z * z + poly);
  return x >= 0 ? r : 2 - r;
}

/** Two-sided P of a standard normal z. */
export function twoSidedP(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

/**
 * Pooled two-proportion z-test of x1/n1 against x2/n2, by default continuity-corrected (see the top of the file).
 * z carries the sign of the difference; identical rates (or 0 % / 100 % everywhere) give z = 0 and P = 1.
 */
export function twoProportionZTest(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  continuity = true,
): { z: number; p: number } {
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const difference = x1 / n1 - x2 / n2;
  const correction = continuity ? 0.5 * (1 / n1 + 1 / n2) : 0;
  const z = se > 0 ? (Math.sign(difference) * Math.max(0, Math.abs(difference) - correction)) / se : 0;
  return z === 0 ? { z: 0, p: 1 } : { z, p: twoSidedP(z) };
}

/** Holm–Bonferroni adjusted P-values, in the order given: step-down, monotone, capped at 1. */
export function holmAdjust(ps: number[]): number[] {
  const order = ps.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const out = new Array<number>(ps.length);
  let running = 0;
  for (const [rank, { p, i }] of order.entries()) {
    running = Math.max(running, Math.min(1, (ps.length - rank) * p));
    out[i] = running;
  }
  return out;
}

export type QualityMeasure = 'item_nonresponse' | 'dont_know';

/** One question × language × measure: x of n (unanswered of asked, or "don't know" of answered). */
export interface RateCell {
  code: string;
  page: string;
  locale: string;
  measure: QualityMeasure;
  x: number;
  n: number;
}

export interface ReviewTest extends RateCell {
  rate: number;
  othersX: number;
  othersN: number;
  othersRate: number;
  difference: number;
  z: number;
  p: number;
  pAdjusted: number;
  direction: 'higher' | 'lower' | 'same';
  flagged: boolean;
}

export const reviewSettings = { minN: 20, alpha: 0.05, minDifference: 0.1, continuity: true };

/** Every language against the others pooled, Holm-adjusted across all the tests given (see the top of the file). */
export function translationReview(cells: RateCell[], settings = reviewSettings): ReviewTest[] {
  const totals = new Map<string, { x: number; n: number }>();
  const keyOf = (c: RateCell) => `${c.measure}:${c.code}`;
  for (const c of cells) {
    const t = totals.get(keyOf(c)) ?? { x: 0, n: 0 };
    totals.set(keyOf(c), { x: t.x + c.x, n: t.n + c.n });
  }
  const tests: ReviewTest[] = [];
  for (const c of cells) {
    const total = totals.get(keyOf(c))!;
    const othersX = total.x - c.x;
    const othersN = total.n - c.n;
    if (c.n < settings.minN || othersN < settings.minN) continue;
    const { z, p } = twoProportionZTest(c.x, c.n, othersX, othersN, settings.continuity);
    const rate = c.x / c.n;
    const othersRate = othersX / othersN;
    const difference = rate - othersRate;
    const direction = difference > 0 ? 'higher' : difference < 0 ? 'lower' : 'same';
    // Spelled out rather than spread: spreading objects this wide is ten times slower in V8, and the
    // simulation test runs this thousands of times.
    const { code, page, locale, measure, x, n } = c;
    tests.push({
      code,
      page,
      locale,
      measure,
      x,
      n,
      rate,
      othersX,
      othersN,
      othersRate,
      difference,
      z,
      p,
      direction,
      pAdjusted: 1,
      flagged: false,
    });
  }
  const adjusted = holmAdjust(tests.map((t) => t.p));
  for (const [i, t] of tests.entries()) {
    t.pAdjusted = adjusted[i]!;
    // The epsilon keeps an exact 10-point difference (0.3 − 0.2 = 0.0999…98 in floating point) in.
    t.flagged = t.pAdjusted < settings.alpha && Math.abs(t.difference) >= settings.minDifference - 1e-9;
  }
  return tests;
}

export interface QuestionLanguageRow {
  code: string;
  page: string;
  locale: string;
  asked: number;
  answered: number;
  /** Unanswered / asked; null when nobody in the language was asked. */
  itemNonresponse: number | null;
  /** Answers at the dont_know code; null for a question that does not offer one. */
  dontKnow: number | null;
  /** dontKnow / answered. */
  dontKnowShare: number | null;
  /** Unfinished responses that stopped on the question's page. */
  breakoffs: number;
}

export interface FlagCount {
  flagged: number;
  /** Responses the flag could be judged for (completed with a median; with a grid; asked anything). */
  judged: number;
}

export interface QualityReport {
  wave: { id: string; name: string; instrumentId: string; version: number };
  responses: { total: number; completed: number; inProgress: number };
  medianSecondsByLocale: Record<string, number>;
  completedByLocale: Record<string, number>;
  flags: {
    speeding: FlagCount;
    straightlining: FlagCount;
    highItemNonresponse: FlagCount & { threshold: number };
    breakoff: { count: number; byPage: { page: string; count: number }[] };
  };
  questions: QuestionLanguageRow[];
  translationReview: typeof reviewSettings & { method: string; tests: ReviewTest[]; flagged: ReviewTest[] };
}

/** Question code → the values the stored codebook marks `missing: 'dont_know'` (choices, or a grid's columns). */
export function dontKnowCodes(codebook: unknown): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const v of (codebook as Codebook | null)?.variables ?? []) {
    const codes = [...v.values, ...(v.columns ?? [])].filter((x) => x.missing === 'dont_know');
    if (codes.length) out.set(v.code, new Set(codes.map((x) => String(x.value))));
  }
  return out;
}

/** A single code, any of several (multi-select), or any row of a grid at a "don't know" code. */
function isDontKnow(value: unknown, codes: Set<string>): boolean {
  if (Array.isArray(value)) return value.some((v) => isDontKnow(v, codes));
  if (value && typeof value === 'object') return Object.values(value).some((v) => isDontKnow(v, codes));
  return value !== undefined && value !== null && codes.has(String(value));
}

const highItemNonresponse = 0.5;
const method =
  'Each language against the other languages pooled: two-proportion z-test with continuity correction, Holm–Bonferroni across all tests of the wave';

type Tally = Omit<QualityReport, 'wave' | 'medianSecondsByLocale' | 'completedByLocale'>;

/** Counts flags and per question × language rates one response at a time, so a wave streams in constant memory. */
export function qualityTally(stats: WaveQualityStats, dk: Map<string, Set<string>>) {
  const { plan } = stats;
  const flags: QualityReport['flags'] = {
    speeding: { flagged: 0, judged: 0 },
    straightlining: { flagged: 0, judged: 0 },
    highItemNonresponse: { flagged: 0, judged: 0, threshold: highItemNonresponse },
    breakoff: { count: 0, byPage: [] },
  };
  const responses = { total: 0, completed: 0, inProgress: 0 };
  const cells = new Map<string, QuestionLanguageRow>();
  const byPage = new Map<string, number>();
  const cellOf = (code: string, page: string, locale: string) => {
    const key = `${code}\u0000${locale}`;
    const empty = { asked: 0, answered: 0, itemNonresponse: null, dontKnowShare: null, breakoffs: 0 };
    if (!cells.has(key)) cells.set(key, { code, page, locale, ...empty, dontKnow: dk.has(code) ? 0 : null });
    return cells.get(key)!;
  };
  const count = (f: FlagCount, value: number | null, flagged: (v: number) => boolean) => {
    if (value === null) return;
    f.judged += 1;
    if (flagged(value)) f.flagged += 1;
  };

  function add(row: QualityRow): void {
    responses.total += 1;
    if (row.status === 'completed') responses.completed += 1;
    else responses.inProgress += 1;
    count(flags.speeding, isSpeeding(row, stats), (v) => v === 1);
    count(flags.straightlining, straightlinedGrids(plan, row.answers), (v) => v > 0);
    const asked = askedQuestions(plan, row);
    const unanswered = asked.filter((question) => !isAnswered(row.answers[question.code])).length;
    const share = asked.length ? unanswered / asked.length : null;
    count(flags.highItemNonresponse, share, (v) => v > highItemNonresponse);
    for (const question of asked) {
      const c = cellOf(question.code, question.page, row.locale);
      const value = row.answers[question.code];
      c.asked += 1;
      if (!isAnswered(value)) continue;
      c.answered += 1;
      const codes = dk.get(question.code);
      if (codes && isDontKnow(value, codes)) c.dontKnow! += 1;
    }
    const stopped = breakoffPage(plan, row);
    if (stopped === null) return;
    flags.breakoff.count += 1;
    byPage.set(stopped, (byPage.get(stopped) ?? 0) + 1);
    for (const question of plan.questions)
      if (question.page === stopped) cellOf(question.code, question.page, row.locale).breakoffs += 1;
  }

  function finish(): Tally {
    flags.breakoff.byPage = plan.pages
      .filter((p) => byPage.has(p.name))
      .map((p) => ({ page: p.name, count: byPage.get(p.name)! }));
    const order = new Map(plan.questions.map((question, i) => [question.code, i]));
    const questions = [...cells.values()]
      .map((c) => ({
        ...c,
        itemNonresponse: c.asked ? (c.asked - c.answered) / c.asked : null,
        dontKnowShare: c.dontKnow !== null && c.answered ? c.dontKnow / c.answered : null,
      }))
      .sort((a, b) => order.get(a.code)! - order.get(b.code)! || a.locale.localeCompare(b.locale));
    const rates = questions.flatMap((c): RateCell[] => {
      const at = { code: c.code, page: c.page, locale: c.locale };
      const nonresponse: RateCell = {
        ...at,
        measure: 'item_nonresponse',
        x: c.asked - c.answered,
        n: c.asked,
      };
      if (c.dontKnow === null) return [nonresponse];
      return [nonresponse, { ...at, measure: 'dont_know', x: c.dontKnow, n: c.answered }];
    });
    const tests = translationReview(rates);
    const flagged = tests.filter((t) => t.flagged).sort((a, b) => a.pAdjusted - b.pAdjusted);
    return { responses, flags, questions, translationReview: { ...reviewSettings, method, tests, flagged } };
  }

  return { add, finish };
}

export async function waveQuality(db: Db, waveId: string): Promise<QualityReport> {
  const [wave] = await q.findWavesWithVersion(db, [waveId]);
  if (!wave) throw new NotFoundError('No such wave.', 'wave_not_found');
  const stats = await waveQualityStats(db, waveId, wave.definition as Json);
  const tally = qualityTally(stats, dontKnowCodes(wave.codebook));
  const batchSize = 2000;
  for (let after: string | null = null; ; ) {
    const rows = await q.listResponseBatch(db, waveId, after, batchSize, null);
    for (const row of rows) tally.add(row);
    if (rows.length < batchSize) break;
    after = rows.at(-1)!.id;
  }
  return {
    wave: { id: wave.id, name: wave.name, instrumentId: wave.instrument_id, version: wave.version },
    medianSecondsByLocale: stats.medianSecondsByLocale,
    completedByLocale: stats.completedByLocale,
    ...tally.finish(),
  };
}
