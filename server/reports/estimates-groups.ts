// One estimate's figures per group: shares, a mean or options' shares, missing codes and no answer apart.
import type { Code, VariableSpec } from './estimates-columns.ts';
import { type Estimate, estimateMean, estimateProportion, type StratifiedDesign } from './estimation.ts';

export interface Figure {
  estimate: number | null;
  se: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** Unweighted respondents behind the figure: in the category (a share), or the base (a mean). */
  n: number | null;
  /** Unweighted respondents in the base: answered, missing codes excluded (for missing rows: all respondents). */
  base: number | null;
  suppressed?: boolean;
}

export interface EstimateRow extends Figure {
  /** null: all respondents (in the municipality, for a municipality user). */
  group: string | null;
  groupLabel: string | null;
  /** The answer category (or multi-select option); null for a mean. */
  category: Code | null;
  label: string;
}

/** A missing code (or no answer at all): its count and its share of all respondents of the group. */
export interface MissingRow extends Figure {
  group: string | null;
  groupLabel: string | null;
  code: Code | null;
  missing: string;
  label: string;
}

export interface Group {
  key: string | null;
  label: string | null;
  rows: number[];
}

function figure(e: Estimate, n: number, base: number): Figure {
  if (e.n === 0 || !Number.isFinite(e.estimate))
    return { estimate: null, se: null, ciLow: null, ciHigh: null, n, base };
  return { estimate: e.estimate, se: e.se, ciLow: e.ciLow, ciHigh: e.ciHigh, n, base };
}

const countWhere = (rows: number[], y: readonly (Code | null)[], v: Code) =>
  rows.filter((i) => y[i] === v).length;

const notAnswered: Record<string, string> = { nb: 'Ikke besvart', nn: 'Ikkje svart', en: 'Not answered' };

interface Absent {
  code: Code | null;
  missing: string;
  label: string;
  /** Per row: 1 where the respondent gave this missing code (or no answer), else 0. */
  indicator: number[];
}

/**
 * What leaves the base: the missing codes, and no answer at all. Returns the variable's values with those set to
 * null (one array per column), and each of them as an indicator over all respondents.
 */
function splitMissing(spec: VariableSpec, values: (Code | null)[][], locale: string) {
  const raw = values[0]!;
  const none: Absent = {
    code: null,
    missing: 'not_answered',
    label: notAnswered[locale] ?? notAnswered.nb!,
    indicator: raw.map((v) => (v === null ? 1 : 0)),
  };
  if (spec.kind === 'multiple') {
    // Whoever chose a missing option ("don't know") leaves the base of every option. Several chosen (they should
    // exclude each other) count once, under the first, so the missing rows and the base add up to the respondents.
    const options = spec.columns.length;
    const chose = (k: number, i: number) => values[options + k]![i] === 1;
    const absent = spec.missing.map((m, k) => ({
      code: m.value,
      missing: m.missing,
      label: m.label,
      indicator: raw.map((_, i) =>
        chose(k, i) && !spec.missing.some((_m, e) => e < k && chose(e, i)) ? 1 : 0,
      ),
    }));
    const out = (i: number) => absent.some((a) => a.indicator[i] === 1);
    const inBase = values.slice(0, options).map((y) => y.map((v, i) => (out(i) ? null : v)));
    return { inBase, absent: [...absent, none] };
  }
  const codes = new Set(spec.missing.map((m) => m.value));
  const absent = spec.missing.map((m) => ({
    code: m.value,
    missing: m.missing,
    label: m.label,
    indicator: raw.map((v) => (v === m.value ? 1 : 0)),
  }));
  return { inBase: [raw.map((v) => (v === null || codes.has(v) ? null : v))], absent: [...absent, none] };
}

/** Values outside the codebook (an older version's code) are counted as categories of their own, not dropped. */
function categoriesOf(spec: VariableSpec, inBase: (Code | null)[]) {
  if (spec.kind !== 'proportions') return [];
  const known = new Set(spec.categories.map((c) => c.value));
  const extra = [...new Set(inBase.filter((v): v is Code => v !== null && !known.has(v)))].sort();
  return [...spec.categories, ...extra.map((v) => ({ value: v, label: String(v) }))];
}

export function estimateGroups(
  design: StratifiedDesign,
  spec: VariableSpec,
  values: (Code | null)[][],
  groups: Group[],
  locale: string,
) {
  const rows: EstimateRow[] = [];
  const missing: MissingRow[] = [];
  const { inBase, absent } = splitMissing(spec, values, locale);
  const categories = categoriesOf(spec, inBase[0]!);
  const numbers = spec.kind === 'mean' ? numeric(inBase[0]!) : [];
  for (const g of groups) {
    const at = { group: g.key, groupLabel: g.label };
    if (spec.kind === 'proportions')
      for (const c of categories) {
        const e = estimateProportion(design, inBase[0]!, c.value, g.rows);
        const n = countWhere(g.rows, inBase[0]!, c.value);
        rows.push({ ...at, category: c.value, label: c.label, ...figure(e, n, e.n) });
      }
    else if (spec.kind === 'multiple')
      for (const [j, { category }] of spec.columns.entries()) {
        const e = estimateProportion(design, inBase[j]!, 1, g.rows);
        const n = countWhere(g.rows, inBase[j]!, 1);
        rows.push({ ...at, category: category.value, label: category.label, ...figure(e, n, e.n) });
      }
    else {
      const e = estimateMean(design, numbers, g.rows);
      rows.push({ ...at, category: null, label: spec.label, ...figure(e, e.n, e.n) });
    }
    for (const m of absent) {
      const e = estimateMean(design, m.indicator, g.rows);
      const n = g.rows.filter((i) => m.indicator[i] === 1).length;
      missing.push({
        ...at,
        code: m.code,
        missing: m.missing,
        label: m.label,
        ...figure(e, n, g.rows.length),
      });
    }
  }
  return { rows, missing };
}

const numeric = (ys: (Code | null)[]) => ys.map((v) => (typeof v === 'number' ? v : null));
