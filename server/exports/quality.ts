// Per-response data-quality flags as export columns: speeding, straight-lining, item nonresponse, break-off page.
// They are columns beside the answers, never filters: no response is dropped or hidden because of a flag.
import { ConditionRunner } from 'survey-core';
import type { Db } from '../db/connect.ts';
import { type Labels, labelsOf } from '../surveys/codebook.ts';
import type { Cell, ExportColumn } from './columns.ts';
import { listMedianDurations } from './quality-queries.ts';
import type { ResponseRow } from './queries.ts';

type Json = Record<string, unknown>;

/** What the flags read of a response (a `ResponseRow` has it all). */
export type QualityRow = Pick<
  ResponseRow,
  'status' | 'locale' | 'started_at' | 'completed_at' | 'current_page' | 'answers'
>;

/** A question as the flags see it: its page, whether it is shown for given answers, and a grid's rows. */
export interface PlannedQuestion {
  code: string;
  type: string;
  page: string;
  pageIndex: number;
  /** The page's, the enclosing panels' and the question's own `visibleIf`, all of which must hold. */
  conditions: string[];
  shown: (answers: Json) => boolean;
  /** Row values of a `matrix` (single-choice grid). */
  rows?: string[];
}

export interface QuestionPlan {
  pages: { name: string; labels: Labels }[];
  questions: PlannedQuestion[];
}

export interface WaveQualityStats {
  /** Median seconds from start to completion of completed responses, per language last used. */
  medianSecondsByLocale: Record<string, number>;
  /** How many completed responses each median rests on. */
  completedByLocale: Record<string, number>;
  /** The wave's own questions, so rows of a multi-wave export are measured against the version they answered. */
  plan: QuestionPlan;
}

const noValue = new Set(['html', 'image', 'expression', 'panel', 'flowpanel']);
const runners = new Map<string, ConditionRunner>();

/** Parsed once per expression: a wave of thousands of rows evaluates the same few conditions. */
function holds(expression: string, answers: Json): boolean {
  let runner = runners.get(expression);
  if (!runner) {
    runner = new ConditionRunner(expression);
    runners.set(expression, runner);
  }
  return runner.runValues(answers) === true;
}

/** The questions of a compiled definition in order, with the conditions that show them. */
export function planOf(definition: Json, sourceLocale = 'nb'): QuestionPlan {
  const plan: QuestionPlan = { pages: [], questions: [] };
  const walk = (elements: unknown, page: string, pageIndex: number, conditions: string[]) => {
    if (!Array.isArray(elements)) return;
    for (const el of elements as Json[]) {
      if (el.visible === false) continue;
      const here = typeof el.visibleIf === 'string' ? [...conditions, el.visibleIf] : conditions;
      if (el.type === 'panel' || el.type === 'flowpanel') walk(el.elements, page, pageIndex, here);
      if (noValue.has(String(el.type)) || typeof el.name !== 'string') continue;
      plan.questions.push({
        code: String(el.valueName ?? el.name),
        type: String(el.type),
        page,
        pageIndex,
        conditions: here,
        shown: here.length ? (answers) => here.every((c) => holds(c, answers)) : () => true,
        ...(el.type === 'matrix' && Array.isArray(el.rows)
          ? { rows: (el.rows as unknown[]).map((r) => String((r as Json)?.value ?? r)) }
          : {}),
      });
    }
  };
  for (const [i, page] of ((definition.pages ?? []) as Json[]).entries()) {
    const name = String(page.name ?? `page${i + 1}`);
    plan.pages.push({ name, labels: labelsOf(page.title ?? name, sourceLocale) });
    if (page.visible !== false)
      walk(page.elements, name, i, typeof page.visibleIf === 'string' ? [page.visibleIf] : []);
  }
  return plan;
}

/** An answer counts when it holds something: not absent, null, empty text, an empty list or an empty object. */
export function isAnswered(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.some(isAnswered);
  if (typeof value === 'object') return Object.values(value as Json).some(isAnswered);
  return true;
}

/** The page an unfinished response stopped on: its saved page, else the last page holding an answer. */
export function breakoffPage(plan: QuestionPlan, row: QualityRow): string | null {
  if (row.status !== 'in_progress') return null;
  if (row.current_page && plan.pages.some((p) => p.name === row.current_page)) return row.current_page;
  const answered = plan.questions.filter((q) => isAnswered(row.answers[q.code]));
  return answered.at(-1)?.page ?? plan.pages[0]?.name ?? null;
}

/**
 * The questions a respondent was asked. Approximation: the pages up to and including the last page reached (the
 * last page for a completed response; else the later of its saved page and its last answered page), and on them the
 * questions whose conditions hold for the saved answers. Conditions are evaluated with survey-core's ConditionRunner
 * on the answers alone, so an expression that reads calculated values, variables or `{$survey…}` properties, or
 * a page skipped by navigation logic, may be judged differently than the respondent's page did.
 */
export function askedQuestions(plan: QuestionPlan, row: QualityRow): PlannedQuestion[] {
  const reached = reachedPage(plan, row);
  return plan.questions.filter((q) => q.pageIndex <= reached && q.shown(row.answers));
}

/** The index of the last page a response reached (see askedQuestions). */
function reachedPage(plan: QuestionPlan, row: QualityRow): number {
  if (row.status === 'completed') return plan.pages.length - 1;
  let reached = Math.max(
    0,
    plan.pages.findIndex((p) => p.name === row.current_page),
  );
  for (const q of plan.questions)
    if (q.pageIndex > reached && isAnswered(row.answers[q.code])) reached = q.pageIndex;
  return reached;
}

/** Share 0..1 of asked questions left without an answer; null when nothing was asked. */
export function itemNonresponse(plan: QuestionPlan, row: QualityRow): number | null {
  // Counted in one pass without lists: this runs for every row of a national export.
  const reached = reachedPage(plan, row);
  let asked = 0;
  let unanswered = 0;
  for (const q of plan.questions) {
    if (q.pageIndex > reached || !q.shown(row.answers)) continue;
    asked += 1;
    if (!isAnswered(row.answers[q.code])) unanswered += 1;
  }
  return asked === 0 ? null : unanswered / asked;
}

/** The fewest answered rows for a grid to be judged: two equal rows are too common to mean anything. */
export const straightliningMinRows = 3;

/** How many single-choice grids have ≥ 3 answered rows all with the same value; null when no grid qualifies. */
export function straightlinedGrids(plan: QuestionPlan, answers: Json): number | null {
  let judged = 0;
  let flagged = 0;
  for (const q of plan.questions) {
    const value = answers[q.code];
    if (q.type !== 'matrix' || !value || typeof value !== 'object' || Array.isArray(value)) continue;
    const cells = (q.rows ?? Object.keys(value))
      .map((r) => (value as Json)[r])
      .filter(isAnswered)
      .map(String);
    if (cells.length < straightliningMinRows) continue;
    judged += 1;
    if (cells.every((c) => c === cells[0])) flagged += 1;
  }
  return judged ? flagged : null;
}

/** 1 when a completed response took under a third of its language's median, 0 when not, null otherwise. */
export function isSpeeding(row: QualityRow, stats: Pick<WaveQualityStats, 'medianSecondsByLocale'>) {
  const median = stats.medianSecondsByLocale[row.locale];
  if (row.status !== 'completed' || !row.started_at || !row.completed_at || !median) return null;
  const seconds = (row.completed_at.getTime() - row.started_at.getTime()) / 1000;
  return seconds < median / 3 ? 1 : 0;
}

export async function waveQualityStats(db: Db, waveId: string, definition: Json): Promise<WaveQualityStats> {
  const stats: WaveQualityStats = {
    medianSecondsByLocale: {},
    completedByLocale: {},
    plan: planOf(definition),
  };
  for (const r of await listMedianDurations(db, waveId)) {
    stats.medianSecondsByLocale[r.locale] = Number(r.median_seconds);
    stats.completedByLocale[r.locale] = Number(r.n);
  }
  return stats;
}

export type QualityColumn = ExportColumn & {
  fromQuality: (row: QualityRow, stats: WaveQualityStats) => Cell;
};

function column(
  name: string,
  labels: Labels,
  type: ExportColumn['type'],
  fromQuality: QualityColumn['fromQuality'],
  valueLabels: ExportColumn['valueLabels'] = [],
): QualityColumn {
  return { name, labels, type, role: 'quality', valueLabels, missing: [], fromQuality };
}

/** The quality columns of an export; the break-off page's value labels are the definition's page titles. */
export function qualityColumns(definition: Json, sourceLocale = 'nb'): QualityColumn[] {
  const pages = planOf(definition, sourceLocale).pages;
  return [
    column(
      'qf_speeding',
      {
        nb: 'Svart for raskt (under en tredjedel av medianen for språket)',
        en: 'Speeding (under a third of the median for the language)',
      },
      'number',
      (row, stats) => isSpeeding(row, stats),
      [
        { value: 0, labels: { nb: 'Nei', en: 'No' } },
        { value: 1, labels: { nb: 'Ja', en: 'Yes' } },
      ],
    ),
    column(
      'qf_straightlining',
      {
        nb: 'Antall rutenett med samme svar i alle rader (minst 3)',
        en: 'Grids with the same answer in every row (at least 3)',
      },
      'number',
      (row, stats) => straightlinedGrids(stats.plan, row.answers),
    ),
    column(
      'qf_item_nonresponse',
      { nb: 'Andel ubesvarte av spørsmålene som ble stilt', en: 'Share of asked questions left unanswered' },
      'number',
      (row, stats) => itemNonresponse(stats.plan, row),
    ),
    column(
      'qf_breakoff_page',
      { nb: 'Siden et uferdig svar stoppet på', en: 'Page where an unfinished response stopped' },
      'string',
      (row, stats) => breakoffPage(stats.plan, row),
      pages.map((p) => ({ value: p.name, labels: p.labels })),
    ),
  ];
}
