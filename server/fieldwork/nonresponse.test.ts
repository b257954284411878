// The non-response adjustment: classes carry themselves, empty classes fall to their county then to all, and the
// respondents' weights sum to N.
import { describe, expect, it } from 'vitest';
import { type AdjustmentCell, adjustNonresponse, NonresponseError } from './nonresponse.ts';

interface Unit {
  class: string;
  county: string | null;
  d: number;
  responded: boolean;
}

/** Groups units into cells as close-queries.ts does in SQL. */
function cellsOf(units: Unit[]): AdjustmentCell[] {
  const cells = new Map<string, AdjustmentCell>();
  for (const u of units) {
    const key = JSON.stringify([u.class, u.county]);
    const c = cells.get(key) ?? {
      class: u.class,
      county: u.county,
      units: 0,
      selectedWeight: 0,
      minDesignWeight: Number.POSITIVE_INFINITY,
      respondents: 0,
      respondentWeight: 0,
    };
    c.units += 1;
    c.selectedWeight += u.d;
    c.minDesignWeight = Math.min(c.minDesignWeight, u.d);
    if (u.responded) {
      c.respondents += 1;
      c.respondentWeight += u.d;
    }
    cells.set(key, c);
  }
  return [...cells.values()];
}

/** Each unit's weight as the UPDATE sets it: design weight × its cell's factor, respondents only. */
function weightsOf(units: Unit[]) {
  const adjustment = adjustNonresponse(cellsOf(units));
  const factor = new Map(adjustment.factors.map((f) => [JSON.stringify([f.class, f.county]), f.factor]));
  const weights = units.map((u) =>
    u.responded ? u.d * factor.get(JSON.stringify([u.class, u.county]))! : undefined,
  );
  return { adjustment, weights };
}

const sum = (xs: (number | undefined)[]) => xs.reduce<number>((a, b) => a + (b ?? 0), 0);
const unit = (cls: string, county: string | null, d: number, responded: boolean): Unit => ({
  class: cls,
  county,
  d,
  responded,
});

describe('adjustNonresponse', () => {
  it('scales respondents by S_k / R_k within their class when every class has respondents', () => {
    const units = [
      unit('agder', '42', 25, true),
      unit('agder', '42', 25, false),
      unit('troms', '55', 10, true),
      unit('agder', '42', 25, true),
      unit('agder', '42', 25, true),
      unit('troms', '55', 10, true),
    ];
    const { adjustment, weights } = weightsOf(units);
    const expected = [100 / 3, undefined, 10, 100 / 3, 100 / 3, 10];
    expect(weights.map((x) => x === undefined)).toEqual(expected.map((x) => x === undefined));
    weights.forEach((x, i) => {
      if (x !== undefined) expect(x).toBeCloseTo(expected[i]!, 12);
    });
    expect(adjustment.collapsed).toEqual([]);
    expect(adjustment).toMatchObject({ population: 120, respondents: 5, classes: 2 });
    expect(adjustment.weightSum).toBeCloseTo(120, 9);
  });

  it('sums design weights, not counts, when a class cuts across strata (a count ratio would miss N)', () => {
    // One class holding a unit of weight 10 that answered and one of weight 2 that did not.
    const units = [unit('all', '03', 10, true), unit('all', '03', 2, false)];
    const { weights } = weightsOf(units);
    // d × selected / responded (counts) would give 10 × 2 / 1 = 20, not the class's 12.
    expect(weights[0]).toBe(12);
  });

  it('lets the county carry a class without respondents, then all, and says so', () => {
    const units = [
      // County 46: municipality 4601 answered, 4602 did not.
      unit('4601', '46', 1, true),
      unit('4601', '46', 1, false),
      unit('4602', '46', 1, false),
      // County 03: answered.
      unit('0301', '03', 1, true),
      unit('0301', '03', 1, true),
      // County 55: nobody answered in the county at all.
      unit('5501', '55', 1, false),
      unit('5501', '55', 1, false),
    ];
    const { adjustment, weights } = weightsOf(units);
    expect(adjustment.collapsed).toEqual([
      { class: '4602', into: '46', units: 1, weight: 1 },
      { class: '5501', into: 'all', units: 2, weight: 2 },
    ]);
    // 4601: class factor 2, county 46 carries 4602 (× 3/2), then all carry 5501 (× 7/5).
    expect(weights[0]).toBeCloseTo(2 * 1.5 * 1.4, 12);
    expect(weights[3]).toBeCloseTo(1.4, 12);
    expect(sum(weights)).toBeCloseTo(7, 12);
    expect(adjustment.weightSum).toBeCloseTo(7, 12);
  });

  it('sends units without a county straight to all', () => {
    const { adjustment, weights } = weightsOf([
      unit('(none)', null, 1, false),
      unit('x', '03', 1, true),
      unit('y', '03', 1, true),
    ]);
    expect(adjustment.collapsed).toEqual([{ class: '(none)', into: 'all', units: 1, weight: 1 }]);
    expect(sum(weights)).toBeCloseTo(3, 12);
  });

  it('a class split over counties leaves each county part to its own county', () => {
    const { adjustment, weights } = weightsOf([
      unit('ti', '03', 2, false),
      unit('ti', '46', 3, false),
      unit('nb', '03', 1, true),
      unit('nb', '46', 1, true),
    ]);
    expect(adjustment.collapsed).toEqual([
      { class: 'ti', into: '03', units: 1, weight: 2 },
      { class: 'ti', into: '46', units: 1, weight: 3 },
    ]);
    expect(weights[2]).toBeCloseTo(3, 12);
    expect(weights[3]).toBeCloseTo(4, 12);
  });

  it('with nobody answering, sets no weight and says nobody carries the classes', () => {
    const { adjustment } = weightsOf([unit('a', '03', 1, false), unit('b', '46', 2, false)]);
    expect(adjustment.factors).toEqual([]);
    expect(adjustment.weightSum).toBe(0);
    expect(adjustment.collapsed.map((c) => c.into)).toEqual([null, null]);
  });

  it('keeps the weights summing to N over strata of unequal design weights with non-response', () => {
    const strata = [
      { h: 'agder', county: '42', N: 400, n: 40 },
      { h: 'innlandet', county: '34', N: 900, n: 60 },
      { h: 'vestland', county: '46', N: 1300, n: 90 },
      { h: 'finnmark', county: '56', N: 30, n: 5 },
    ];
    // Who answers does not matter to the sums: every third unit does not, nobody in Finnmark does.
    const units = strata.flatMap((s) =>
      Array.from({ length: s.n }, (_, i) => unit(s.h, s.county, s.N / s.n, s.h !== 'finnmark' && i % 3 > 0)),
    );
    const { adjustment, weights } = weightsOf(units);
    expect(adjustment.collapsed).toEqual([{ class: 'finnmark', into: 'all', units: 5, weight: 30 }]);
    expect(Math.abs(sum(weights) - 2630)).toBeLessThan(1e-9);
    expect(adjustment.population).toBeCloseTo(2630, 9);
    expect(weights.filter((w, i) => (w === undefined) === units[i]!.responded)).toEqual([]);
    // Within a stratum with respondents, the respondents carry N_h before the all-step scales everyone alike.
    const agder = sum(weights.filter((_, i) => units[i]!.class === 'agder'));
    expect(agder).toBeCloseTo((400 * 2630) / 2600, 9);
  });

  it('refuses design weights that are not above 0', () => {
    expect(() => weightsOf([unit('a', '03', 0, true)])).toThrow(NonresponseError);
  });
});
