// Small-cell suppression: the one engine every aggregate passes through before a municipality user sees it.
//
// The rule (rationale and limits in docs/adr/0006-small-cell-suppression.md):
// 1. Primary. A cell based on 0 < n < K unweighted respondents is suppressed ('small'). n = 0 is published: it
//    describes no one (though a column with a single non-zero category does: see Limits in the ADR).
// 2. Relations. Published figures are linked by declared sums: a table's total row or column is the sum of the
//    other cells in its line (TableSpec), and a part's column is contained in a whole's column in every row
//    (Nesting: municipality ⊂ county, district ⊂ Oslo). For a relation whole = parts + rest, where rest is what
//    the whole holds beyond the listed parts, a reader who knows the whole and the published parts can compute the
//    hidden remainder (the suppressed parts plus rest). A further cell is suppressed ('complementary' for totals,
//    'difference' for nestings) while, in any relation,
//    a. the whole is published and exactly one suppressed cell and no rest remain hidden: it would be recovered;
//    b. the whole is published and the hidden remainder is 0 < r < K: a small figure would be recovered
//       (county-without-municipality, or two small cells pooled);
//    c. the whole is suppressed but every part is published and rest = 0: the whole would be recovered.
//    The complement is the relation's smallest published part with n > 0 (else the whole; else a zero part), ties
//    broken by table, row and column in code-unit order. Rules repeat over all relations until nothing changes;
//    a suppressed cell, including one the caller holds back ('requested'), is never published again.
// K defaults to 5 and comes from the wave. The result does not depend on the order of cells or declarations.
// Limits: only declared sums are known to the engine, and each is checked on its own (see the ADR).

import { groupBy } from '../group-by.ts';
export const defaultK = 5;

export interface AggregateCell {
  table: string;
  row: string;
  col: string;
  /** unweighted respondents behind the figure; the K rule applies to this even when value is weighted */
  n: number;
  value?: number;
}

/** The additive structure a table publishes: totals let a reader subtract. */
export interface TableSpec {
  id: string;
  /** the row whose cells are the sums of the other rows in their column */
  rowTotal?: string;
  /** the column whose cells are the sums of the other columns in their row */
  colTotal?: string;
}

/** A column contained in another in every row. Declare one figure shown in two tables as a nesting, too. */
export interface Nesting {
  part: { table: string; col: string };
  whole: { table: string; col: string };
}

export interface CellKey {
  table: string;
  row: string;
  col: string;
}

export type SuppressionReason = 'small' | 'complementary' | 'difference' | 'requested';

export interface SuppressionResult {
  cell: AggregateCell;
  suppressed: boolean;
  reason?: SuppressionReason;
}

export interface SuppressionOptions {
  k: number;
  tables?: TableSpec[];
  nestings?: Nesting[];
  /** cells that stay suppressed whatever their n: an earlier pass, a table already out, a reviewer's hold */
  alreadySuppressed?: CellKey[];
}

export class SuppressionError extends Error {
  readonly code = 'suppression_invalid';
  constructor(message: string) {
    super(message);
    this.name = 'SuppressionError';
  }
}

interface Relation {
  whole: number;
  parts: number[];
  rest: number;
  reason: 'complementary' | 'difference';
}

// Code-unit order, not localeCompare: the same pattern on every machine whatever its locale.
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const keyOf = (c: CellKey) => JSON.stringify([c.table, c.row, c.col]);
const byCell = (a: CellKey, b: CellKey) =>
  byCodeUnits(a.table, b.table) || byCodeUnits(a.row, b.row) || byCodeUnits(a.col, b.col);

export function suppressCells(cells: AggregateCell[], opts: SuppressionOptions): SuppressionResult[] {
  const { k } = opts;
  if (!Number.isInteger(k) || k < 2) throw new SuppressionError(`k must be a whole number ≥ 2, got ${k}`);
  const sorted = cells
    .map((cell, input) => ({ cell, input, key: keyOf(cell) }))
    .sort((a, b) => byCell(a.cell, b.cell));
  const index = new Map<string, number>();
  sorted.forEach(({ cell, key }, i) => {
    if (!Number.isInteger(cell.n) || cell.n < 0)
      throw new SuppressionError(`n must be a count ≥ 0 in ${key}`);
    if (index.has(key)) throw new SuppressionError(`cell ${key} appears twice`);
    index.set(key, i);
  });
  const ns = sorted.map((s) => s.cell.n);
  const reasons: (SuppressionReason | undefined)[] = ns.map((n) => (n > 0 && n < k ? 'small' : undefined));
  for (const c of opts.alreadySuppressed ?? []) {
    const i = index.get(keyOf(c));
    if (i !== undefined) reasons[i] ??= 'requested';
  }

  const relations = buildRelations(
    sorted.map((s) => s.cell),
    index,
    opts,
  );
  for (let changed = true; changed; ) {
    changed = false;
    for (const relation of relations) {
      const pick = complementFor(relation, ns, reasons, k);
      if (pick !== undefined) {
        reasons[pick] = relation.reason;
        changed = true;
      }
    }
  }

  const results: SuppressionResult[] = new Array(cells.length);
  sorted.forEach(({ cell, input }, i) => {
    const reason = reasons[i];
    results[input] = reason ? { cell, suppressed: true, reason } : { cell, suppressed: false };
  });
  return results;
}

// A translator never reaches a report route (allow() refuses it); it is here because it is a staff role, and the
// allow-list below gives it suppressed figures.
export type Viewer = 'admin' | 'analyst' | 'operator' | 'municipality' | 'translator';

export interface PublishedCell {
  table: string;
  row: string;
  col: string;
  n: number | null;
  value: number | null;
  suppressed: boolean;
  /** given only to viewers of unsuppressed figures: 'small' vs 'complementary' tells which side of K a count is */
  reason?: SuppressionReason;
  /** true: this viewer sees figures that must not leave the directorate; the UI marks them so */
  unsuppressedView: boolean;
}

// Allow-list, so a role added later, or a string from outside the type system, is protected by default.
const seesUnsuppressed = new Set<string>(['admin', 'analyst', 'operator']);

/** Suppress, then shape the cells for one viewer: the only way a route should turn aggregates into a response. */
export function publish(cells: AggregateCell[], opts: SuppressionOptions, viewer: Viewer): PublishedCell[] {
  const unsuppressedView = seesUnsuppressed.has(viewer);
  return suppressCells(cells, opts).map(({ cell, suppressed, reason }) => {
    const { table, row, col } = cell;
    if (suppressed && !unsuppressedView) {
      return { table, row, col, n: null, value: null, suppressed, unsuppressedView };
    }
    const shown = { table, row, col, n: cell.n, value: cell.value ?? null, suppressed, unsuppressedView };
    return reason ? { ...shown, reason } : shown;
  });
}

/** The cell to suppress next because of this relation, or undefined when it reveals nothing. */
function complementFor(
  { whole, parts, rest }: Relation,
  ns: number[],
  reasons: (SuppressionReason | undefined)[],
  k: number,
): number | undefined {
  const hidden = parts.filter((i) => reasons[i]);
  const published = parts.filter((i) => !reasons[i]);
  if (reasons[whole]) {
    return hidden.length === 0 && rest === 0 ? choose(published, ns, undefined) : undefined;
  }
  const remainder = rest + hidden.reduce((sum, i) => sum + ns[i]!, 0);
  const recovered = hidden.length === 1 && rest === 0;
  const small = remainder > 0 && remainder < k;
  return recovered || small ? choose(published, ns, whole) : undefined;
}

// The smallest published count costs least; a published count > 0 is ≥ K, so one complement lifts the remainder
// to K. A zero is a poor complement (a reader may know it is structurally zero), so it is the last resort.
function choose(candidates: number[], ns: number[], whole: number | undefined): number | undefined {
  const nonzero = candidates.filter((i) => ns[i]! > 0).sort((a, b) => ns[a]! - ns[b]! || a - b);
  return nonzero[0] ?? whole ?? candidates[0];
}

function buildRelations(cells: AggregateCell[], index: Map<string, number>, opts: SuppressionOptions) {
  const tableIds = new Set(cells.map((c) => c.table));
  const known = (table: string) => {
    // Fail closed: a misspelt table id would silently drop its protection.
    if (!tableIds.has(table)) throw new SuppressionError(`no cells for table ${table}`);
  };
  const relations: Relation[] = [];
  const add = (whole: number, parts: number[], reason: Relation['reason']) => {
    const rest = cells[whole]!.n - parts.reduce((sum, i) => sum + cells[i]!.n, 0);
    if (rest < 0) {
      const at = keyOf(cells[whole]!);
      throw new SuppressionError(`the parts of ${at} add up to more than it: declare no sum there`);
    }
    relations.push({ whole, parts, rest, reason });
  };

  for (const spec of opts.tables ?? []) {
    known(spec.id);
    const own = [...cells.keys()].filter((i) => cells[i]!.table === spec.id);
    // A total row sums each column; a total column sums each row.
    if (spec.rowTotal !== undefined)
      addLines(
        own,
        (i) => cells[i]!.col,
        (i) => cells[i]!.row === spec.rowTotal,
      );
    if (spec.colTotal !== undefined)
      addLines(
        own,
        (i) => cells[i]!.row,
        (i) => cells[i]!.col === spec.colTotal,
      );
  }
  function addLines(own: number[], lineOf: (i: number) => string, isTotal: (i: number) => boolean) {
    for (const members of groupBy(own, lineOf).values()) {
      const whole = members.find(isTotal);
      if (whole !== undefined)
        add(
          whole,
          members.filter((i) => i !== whole),
          'complementary',
        );
    }
  }

  const byWhole = groupBy(opts.nestings ?? [], (n) => JSON.stringify([n.whole.table, n.whole.col]));
  for (const group of byWhole.values()) {
    const { table, col } = group[0]!.whole;
    known(table);
    const partCols = [...groupBy(group, (n) => JSON.stringify([n.part.table, n.part.col])).values()].map(
      (same) => same[0]!.part,
    );
    for (const p of partCols) known(p.table);
    for (const [whole, cell] of cells.entries()) {
      if (cell.table !== table || cell.col !== col) continue;
      const parts = partCols.flatMap((p) => {
        const i = index.get(keyOf({ table: p.table, row: cell.row, col: p.col }));
        return i === undefined || i === whole ? [] : [i];
      });
      add(whole, parts, 'difference');
    }
  }
  // Declaration order must not change the pattern: visit relations in cell order.
  return relations.sort((a, b) => a.whole - b.whole || byCodeUnits(a.reason, b.reason));
}
