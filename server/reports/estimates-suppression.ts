// Estimates as a municipality user may see them: every figure through the one suppression engine.
import type { StaffRole } from '../db/schema.ts';
import type { EstimateRow, MissingRow, WaveEstimates } from './estimates.ts';
import {
  type AggregateCell,
  defaultK,
  type Nesting,
  publish,
  type TableSpec,
  type Viewer,
} from './suppression.ts';

/*
 * The tables handed to the engine, all with rows = the groups and the total row "(all)" (the groups add up to it,
 * less those without a breakdown value, which the engine treats as a hidden rest):
 *   <var>          a coded question: one column per category, and "(base)", their sum
 *   <var>:missing  "(base)", each missing code, "(not_answered)", and "(respondents)", their sum
 *   <var>:<opt>    a multi-select option: "chosen", "not_chosen" (never shown) and "(base)", their sum
 * The base is one figure shown in several tables. The engine adds up the parts of a nesting, so the copies are
 * chained in a ring (each contained in the next, the last in the first): hiding one hides them all.
 */
const all = '(all)';
const base = '(base)';
const respondents = '(respondents)';
const notAnswered = '(not_answered)';

const rowOf = (r: { group: string | null }) => r.group ?? all;
const keyOf = (c: { table: string; row: string; col: string }) => JSON.stringify([c.table, c.row, c.col]);

/** Declares the cells and sums of one result, and says which cell each shown figure stands on. */
function tablesOf(e: WaveEstimates) {
  const cells = new Map<string, AggregateCell>();
  const tables: TableSpec[] = [];
  const nestings: Nesting[] = [];
  const put = (table: string, row: string, col: string, n: number) => {
    const cell = { table, row, col, n };
    cells.set(keyOf(cell), cell);
    return cell;
  };
  const missingTable = `${e.variable}:missing`;
  const table = (id: string) =>
    tables.push({ id, rowTotal: all, colTotal: id === missingTable ? respondents : base });
  const figureCell = new Map<EstimateRow | MissingRow, AggregateCell>();
  const baseCell = new Map<EstimateRow | MissingRow, AggregateCell>();
  table(missingTable);
  const optionTables = new Set<string>();
  for (const r of e.rows) {
    const row = rowOf(r);
    const answered = r.base ?? 0;
    put(missingTable, row, base, answered);
    if (e.kind === 'mean') {
      // A mean's only count is its base.
      figureCell.set(r, cells.get(keyOf({ table: missingTable, row, col: base }))!);
      baseCell.set(r, figureCell.get(r)!);
      continue;
    }
    const id = e.kind === 'multiple' ? `${e.variable}:${r.category}` : e.variable;
    if (!optionTables.has(id)) {
      optionTables.add(id);
      table(id);
    }
    const col = e.kind === 'multiple' ? 'chosen' : String(r.category);
    figureCell.set(r, put(id, row, col, r.n ?? 0));
    if (e.kind === 'multiple') put(id, row, 'not_chosen', answered - (r.n ?? 0));
    baseCell.set(r, put(id, row, base, answered));
  }
  for (const m of e.missing) {
    const row = rowOf(m);
    figureCell.set(m, put(missingTable, row, m.code === null ? notAnswered : String(m.code), m.n ?? 0));
    baseCell.set(m, put(missingTable, row, respondents, m.base ?? 0));
  }
  const ring = tables.map((t) => t.id);
  if (ring.length > 1)
    for (const [i, id] of ring.entries())
      nestings.push({
        part: { table: id, col: base },
        whole: { table: ring[(i + 1) % ring.length]!, col: base },
      });
  return { cells: [...cells.values()], tables, nestings, figureCell, baseCell };
}

/**
 * The result as `viewer` may see it. Staff who see unsuppressed figures get them as they are, marked
 * `suppressionApplied: false`; a municipality user gets every figure on a suppressed cell blanked.
 */
export function suppressEstimates(
  e: WaveEstimates,
  viewer: StaffRole | 'operator',
  k: number = defaultK,
): WaveEstimates {
  if (viewer !== 'municipality') return { ...e, suppressionApplied: false };
  const { cells, tables, nestings, figureCell, baseCell } = tablesOf(e);
  const published = publish(cells, { k, tables, nestings }, viewer satisfies Viewer);
  const suppressed = new Set(published.filter((p) => p.suppressed).map(keyOf));
  // A share or mean with its SE also tells its base (share × base = n; SE² ≈ p(1 − p)/n), so a figure is shown
  // only where both its own cell and its base cell are published; a count only where its own cell is.
  const shown = <R extends EstimateRow | MissingRow>(r: R): R => {
    const own = suppressed.has(keyOf(figureCell.get(r)!));
    const b = baseCell.get(r);
    const baseHidden = b !== undefined && suppressed.has(keyOf(b));
    const out: R = { ...r, suppressed: own || baseHidden };
    if (own) out.n = null;
    if (baseHidden) out.base = null;
    return out.suppressed ? { ...out, estimate: null, se: null, ciLow: null, ciHigh: null } : out;
  };
  return { ...e, rows: e.rows.map(shown), missing: e.missing.map(shown), suppressionApplied: true };
}
