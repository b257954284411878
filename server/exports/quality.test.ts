// The per-response quality flags on hand-made definitions and rows: no database.
import { describe, expect, it } from 'vitest';
import {
  askedQuestions,
  breakoffPage,
  isAnswered,
  isSpeeding,
  itemNonresponse,
  planOf,
  type QualityRow,
  qualityColumns,
  straightlinedGrids,
  type WaveQualityStats,
} from './quality.ts';

const grid = (name: string, rows: string[]) => ({
  type: 'matrix',
  name,
  rows: rows.map((value) => ({ value, text: value })),
  columns: [1, 2, 3, 98].map((value) => ({ value, text: String(value) })),
});

const definition = {
  pages: [
    {
      name: 'p1',
      title: { default: 'Om programmet', ar: 'عن البرنامج' },
      elements: [
        { type: 'radiogroup', name: 'q_sat', choices: [1, 2, 98] },
        { type: 'comment', name: 'q_why', visibleIf: '{q_sat} = 1' },
        { type: 'html', name: 'intro' },
        { type: 'expression', name: 'calc' },
      ],
    },
    {
      name: 'p2',
      title: 'Mer om deg',
      elements: [
        {
          type: 'panel',
          name: 'box',
          visibleIf: '{q_sat} notempty',
          elements: [{ type: 'text', name: 'q_months', inputType: 'number' }],
        },
        { type: 'text', name: 'q_hidden', visible: false },
        grid('g1', ['a', 'b', 'c', 'd']),
        grid('g2', ['a', 'b', 'c']),
      ],
    },
    { name: 'p3', visibleIf: '{q_sat} = 98', elements: [{ type: 'text', name: 'q_dk_followup' }] },
  ],
};
const plan = planOf(definition);

function row(over: Partial<QualityRow>): QualityRow {
  return {
    status: 'completed',
    locale: 'nb',
    started_at: new Date('2026-11-25T12:00:00Z'),
    completed_at: new Date('2026-11-25T12:10:00Z'),
    current_page: null,
    answers: {},
    ...over,
  };
}
const endedAfter = (seconds: number) => new Date(Date.parse('2026-11-25T12:00:00Z') + seconds * 1000);

describe('planOf', () => {
  it('lists the questions with value in order, each with every condition that shows it', () => {
    expect(plan.pages.map((p) => p.name)).toEqual(['p1', 'p2', 'p3']);
    expect(plan.questions.map((q) => q.code)).toEqual([
      'q_sat',
      'q_why',
      'q_months',
      'g1',
      'g2',
      'q_dk_followup',
    ]);
    const byCode = Object.fromEntries(plan.questions.map((q) => [q.code, q]));
    expect(byCode.q_why!.conditions).toEqual(['{q_sat} = 1']);
    expect(byCode.q_months!.conditions).toEqual(['{q_sat} notempty']);
    expect(byCode.q_months!.page).toBe('p2');
    expect(byCode.q_dk_followup!.conditions).toEqual(['{q_sat} = 98']);
    expect(byCode.g1!.rows).toEqual(['a', 'b', 'c', 'd']);
    expect(byCode.q_why!.shown({ q_sat: 1 })).toBe(true);
    expect(byCode.q_why!.shown({ q_sat: 2 })).toBe(false);
  });
});

describe('isAnswered', () => {
  it('counts values, not empty shells', () => {
    for (const v of [0, false, 'x', [1], { a: 1 }, 98]) expect(isAnswered(v)).toBe(true);
    for (const v of [undefined, null, '', [], {}, { a: null }, ['']]) expect(isAnswered(v)).toBe(false);
  });
});

describe('asked questions and item nonresponse', () => {
  it('a completed response was asked every page, less the questions its answers hide', () => {
    const r = row({ answers: { q_sat: 2, q_months: 4, g1: { a: 1 } } });
    expect(askedQuestions(plan, r).map((q) => q.code)).toEqual(['q_sat', 'q_months', 'g1', 'g2']);
    expect(itemNonresponse(plan, r)).toBe(1 / 4);
  });

  it('an unfinished response was asked up to the later of its saved page and its last answer', () => {
    const onP1 = row({
      status: 'in_progress',
      completed_at: null,
      current_page: 'p1',
      answers: { q_sat: 1 },
    });
    expect(askedQuestions(plan, onP1).map((q) => q.code)).toEqual(['q_sat', 'q_why']);
    expect(itemNonresponse(plan, onP1)).toBe(1 / 2);
    const wentBack = row({ status: 'in_progress', current_page: 'p1', answers: { q_sat: 2, q_months: 1 } });
    expect(askedQuestions(plan, wentBack).map((q) => q.code)).toEqual(['q_sat', 'q_months', 'g1', 'g2']);
    const nothing = row({ status: 'in_progress', answers: {} });
    expect(askedQuestions(plan, nothing).map((q) => q.code)).toEqual(['q_sat']);
    expect(itemNonresponse(plan, nothing)).toBe(1);
  });

  it('a "don\'t know" opens the page meant for it', () => {
    const r = row({ answers: { q_sat: 98 } });
    expect(askedQuestions(plan, r).map((q) => q.code)).toContain('q_dk_followup');
  });

  it('is null when nothing was asked', () => {
    expect(itemNonresponse(planOf({ pages: [{ name: 'p', elements: [] }] }), row({}))).toBeNull();
  });
});

describe('breakoffPage', () => {
  it('is the saved page of an unfinished response, and null for a completed one', () => {
    expect(breakoffPage(plan, row({ status: 'in_progress', current_page: 'p2' }))).toBe('p2');
    expect(breakoffPage(plan, row({ current_page: 'p2' }))).toBeNull();
  });
  it('without a known saved page, falls back to the last answered page, then the first', () => {
    expect(
      breakoffPage(plan, row({ status: 'in_progress', current_page: 'gone', answers: { q_months: 3 } })),
    ).toBe('p2');
    expect(breakoffPage(plan, row({ status: 'in_progress' }))).toBe('p1');
  });
});

describe('straightlinedGrids', () => {
  it('counts grids with at least three answered rows all alike', () => {
    expect(straightlinedGrids(plan, { g1: { a: 2, b: 2, c: 2, d: 2 } })).toBe(1);
    expect(straightlinedGrids(plan, { g1: { a: 2, b: 2, c: 2 }, g2: { a: 1, b: 1, c: 1 } })).toBe(2);
    expect(straightlinedGrids(plan, { g1: { a: 2, b: 2, c: 3 }, g2: { a: 1, b: 1, c: 1 } })).toBe(1);
    expect(straightlinedGrids(plan, { g1: { a: 2, b: 3, c: 2, d: 2 } })).toBe(0);
  });
  it('is null when no grid has three answered rows to judge', () => {
    expect(straightlinedGrids(plan, { g1: { a: 2, b: 2 } })).toBeNull();
    expect(straightlinedGrids(plan, { q_sat: 1 })).toBeNull();
  });
});

describe('isSpeeding', () => {
  const stats = { medianSecondsByLocale: { nb: 600, ar: 900 } };
  it("compares with a third of the median of the response's own language", () => {
    expect(isSpeeding(row({ completed_at: endedAfter(150) }), stats)).toBe(1);
    expect(isSpeeding(row({ completed_at: endedAfter(250) }), stats)).toBe(0);
    expect(isSpeeding(row({ locale: 'ar', completed_at: endedAfter(250) }), stats)).toBe(1);
    expect(isSpeeding(row({ locale: 'ar', completed_at: endedAfter(300) }), stats)).toBe(0);
  });
  it('is null for unfinished responses and languages without a median', () => {
    expect(isSpeeding(row({ status: 'in_progress', completed_at: null }), stats)).toBeNull();
    expect(isSpeeding(row({ locale: 'so', completed_at: endedAfter(10) }), stats)).toBeNull();
  });
});

describe('qualityColumns', () => {
  const stats: WaveQualityStats = { medianSecondsByLocale: { nb: 600 }, completedByLocale: { nb: 9 }, plan };
  const columns = qualityColumns(definition);

  it('are quality columns labelled in nb and en, the break-off page labelled by page titles', () => {
    expect(columns.map((c) => c.name)).toEqual([
      'qf_speeding',
      'qf_straightlining',
      'qf_item_nonresponse',
      'qf_breakoff_page',
    ]);
    for (const c of columns) {
      expect(c.role).toBe('quality');
      expect(Object.keys(c.labels).sort()).toEqual(['en', 'nb']);
    }
    expect(columns[3]!.valueLabels[0]).toEqual({
      value: 'p1',
      labels: { nb: 'Om programmet', ar: 'عن البرنامج' },
    });
  });

  it("read a response against the wave's stats", () => {
    const fast = row({
      completed_at: endedAfter(100),
      answers: { q_sat: 2, q_months: 3, g1: { a: 1, b: 1, c: 1 } },
    });
    expect(columns.map((c) => c.fromQuality(fast, stats))).toEqual([1, 1, 1 / 4, null]);
    const stopped = row({
      status: 'in_progress',
      completed_at: null,
      current_page: 'p1',
      answers: { q_sat: 1 },
    });
    expect(columns.map((c) => c.fromQuality(stopped, stats))).toEqual([null, null, 1 / 2, 'p1']);
  });
});
