// Progress counts leave through the one small-cell engine (ADR 6) like every other aggregate: a municipality user
// never sees that, say, one participant answering in Tigrinya has completed; analysts see every count, marked.
import { defaultK, publish, type Viewer } from '../reports/suppression.ts';
import type { ProgressRow } from './progress.ts';

const metrics = ['invited', 'opened', 'started', 'completed', 'optedOut'] as const;
type Metric = (typeof metrics)[number];

export interface PublishedProgressRow {
  group: string;
  invited: number | null;
  opened: number | null;
  started: number | null;
  completed: number | null;
  optedOut: number | null;
  responseRate: number | null;
  /** The counts hidden in this row (empty when none). */
  suppressed: Metric[];
}

/**
 * Each count is a cell of its metric's table, the groups its rows; the total over the groups is declared (the
 * `total` breakdown publishes it), so a hidden group cannot be recovered as total minus the others. The groups of
 * `language-used` overlap (a unit counts under each language it used): the declared total is then their sum, and
 * a reader subtracting from the true total (`total` breakdown) is left with the unpublished overlap besides.
 */
export function publishProgress(
  rows: ProgressRow[],
  viewer: Viewer,
  k = defaultK,
): { rows: PublishedProgressRow[]; unsuppressedView: boolean } {
  const total = '\u0000total';
  const cells = metrics.flatMap((metric) => [
    ...rows.map((r) => ({ table: metric, row: r.group, col: 'count', n: r[metric] })),
    { table: metric, row: total, col: 'count', n: rows.reduce((sum, r) => sum + r[metric], 0) },
  ]);
  const published = publish(cells, { k, tables: metrics.map((id) => ({ id, rowTotal: total })) }, viewer);
  const cell = new Map(published.map((p) => [`${p.table}|${p.row}`, p]));
  let unsuppressedView = false;
  const out = rows.map((r) => {
    const row: PublishedProgressRow = {
      group: r.group,
      invited: null,
      opened: null,
      started: null,
      completed: null,
      optedOut: null,
      responseRate: null,
      suppressed: [],
    };
    for (const metric of metrics) {
      const p = cell.get(`${metric}|${r.group}`)!;
      unsuppressedView = p.unsuppressedView;
      row[metric] = p.n;
      if (p.suppressed) row.suppressed.push(metric);
    }
    // A rate is shown only where both its counts are.
    row.responseRate = row.invited && row.completed !== null ? row.completed / row.invited : null;
    return row;
  });
  return { rows: out, unsuppressedView };
}
