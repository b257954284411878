// Estimates through the suppression engine: analysts untouched; municipalities never see a small count.
import { describe, expect, it } from 'vitest';
import type { EstimateRow, MissingRow, WaveEstimates } from './estimates.ts';
import { suppressEstimates } from './estimates-suppression.ts';

const figure = (n: number, base: number) => ({
  estimate: n / base,
  se: 0.01,
  ciLow: n / base - 0.02,
  ciHigh: n / base + 0.02,
  n,
  base,
});

function result(counts: Record<string, [number, number, number]>): WaveEstimates {
  const rows: EstimateRow[] = [];
  const missing: MissingRow[] = [];
  for (const [group, [a, b, dontKnow]] of Object.entries(counts)) {
    const g = group === 'all' ? null : group;
    rows.push({ group: g, groupLabel: g, category: 1, label: 'A', ...figure(a, a + b) });
    rows.push({ group: g, groupLabel: g, category: 2, label: 'B', ...figure(b, a + b) });
    const all = a + b + dontKnow;
    missing.push({
      group: g,
      groupLabel: g,
      code: 98,
      missing: 'dont_know',
      label: 'DK',
      ...figure(dontKnow, all),
    });
    missing.push({
      group: g,
      groupLabel: g,
      code: null,
      missing: 'not_answered',
      label: '-',
      ...figure(0, all),
    });
  }
  return {
    wave: { id: 'w', name: 'W', mode: 'sample', status: 'closed', smallCellK: 5 },
    variable: 'q',
    label: 'Q',
    kind: 'proportions',
    by: 'county',
    weights: 'nr_weight',
    design: { strata: 'county', fpc: 'N_h', lonelyPsu: 'remove', lonelyStrata: [], emptyStrata: [] },
    respondents: 0,
    rows,
    missing,
    notes: [],
    suppressionApplied: false,
  };
}

describe('suppressEstimates', () => {
  const e = result({ all: [40, 33, 7], '03': [30, 30, 5], '46': [10, 3, 2] });

  it('leaves figures as they are for analysts, marked as unsuppressed', () => {
    const out = suppressEstimates(e, 'analyst');
    expect(out.suppressionApplied).toBe(false);
    expect(out.rows).toEqual(e.rows);
  });

  it('hides small counts, their shares and what would give them away, for a municipality user', () => {
    const out = suppressEstimates(e, 'municipality');
    expect(out.suppressionApplied).toBe(true);
    const shown = [...out.rows, ...out.missing];
    expect(shown.every((f) => f.n === null || f.n === 0 || f.n >= 5)).toBe(true);
    // A share is shown only with its count and its base.
    for (const f of shown) if (f.estimate !== null) expect(f.n !== null && f.base !== null).toBe(true);
    const small = out.rows.find((r) => r.group === '46' && r.category === 2)!;
    expect(small).toMatchObject({ suppressed: true, n: null, estimate: null, se: null });
    // Its row partner would give it away through the base (13 − 10): hidden too, or the base is.
    const partner = out.rows.find((r) => r.group === '46' && r.category === 1)!;
    expect(partner.estimate === null || partner.base === null).toBe(true);
    // The county column sums to "all": a second county cell is hidden so 3 = 33 − 30 cannot be recovered.
    const b = out.rows.filter((r) => r.category === 2);
    expect(b.filter((r) => r.n === null).length).toBeGreaterThanOrEqual(2);
  });

  it('a multi-select: each option is its own table, all sharing one base', () => {
    const options = [
      [1, 20],
      [2, 3],
      [3, 12],
    ] as const;
    const multi: WaveEstimates = {
      ...e,
      kind: 'multiple',
      by: null,
      rows: options.map(([category, n]) => ({
        group: null,
        groupLabel: null,
        category,
        label: '',
        ...figure(n, 25),
      })),
      missing: [
        { group: null, groupLabel: null, code: 98, missing: 'dont_know', label: '', ...figure(6, 40) },
        { group: null, groupLabel: null, code: null, missing: 'not_answered', label: '', ...figure(9, 40) },
      ],
    };
    const out = suppressEstimates(multi, 'municipality');
    expect(out.rows.map((r) => r.n)).toEqual([20, null, 12]);
    expect(out.rows[0]!.estimate).toBeCloseTo(0.8, 12);
  });
});
