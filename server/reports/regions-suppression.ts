// Report figures through the one suppression engine (suppression.ts): each question is one table whose columns
// are the report's domains (district ⊂ municipality ⊂ county ⊂ country, or the groups of a breakdown ⊂ country),
// declared as nestings, with the row of those who answered as the table's total.
/*
 * Cells handed to publish(), per question (table = the question's key; columns = domain keys):
 *   single choice   one row per code (missing codes included), and "(answered)", their sum;
 *   multi-select    a table per option, "chosen", "not_chosen" (never shown) and "(answered)", their sum;
 *   respondents     table "respondents", row "completed".
 * Every domain with a parent is declared a part of it, in every table: a reader who has the county's sheet and
 * the published municipalities' cannot subtract their way to a hidden one (ADR 6: county-without-municipality).
 * All domains of the wave go into one call per table, so every sheet of a wave shares one pattern and sheets
 * cannot be differenced against each other. Not declared (ADR 6, "Only declared structure"): the link between
 * a question and the follow-up asked only of some of its answers, and the link between the respondents and a
 * question's "(answered)"; the per-question tables are checked one by one. A domain where fewer than K responded
 * or answered shows nothing for the question, zeros included.
 */

import { type ClosedQuestion, type DomainFigures, questionFigures, type WaveData } from './regions-data.ts';
import {
  type AggregateCell,
  type Nesting,
  type PublishedCell,
  publish,
  type SuppressionReason,
  type TableSpec,
  type Viewer,
} from './suppression.ts';

export interface Domain {
  key: string;
  rows: number[];
  /** The domain it is part of (its county, the country), declared as a nesting. */
  parent?: string;
}

export interface ShownFigure {
  n: number | null;
  estimate: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  suppressed: boolean;
  reason?: SuppressionReason;
}

export interface PublishedQuestion {
  question: ClosedQuestion;
  /** domain key → answered (null when hidden) and a figure per category key. */
  byDomain: Map<string, { answered: number | null; categories: Map<string, ShownFigure> }>;
}

const answered = '(answered)';
const keyOf = (c: { table: string; row: string; col: string }) => `${c.table}\u0000${c.row}\u0000${c.col}`;

function declare(tables: string[], domains: Domain[]) {
  const specs: TableSpec[] = tables.map((id) => ({ id, rowTotal: answered }));
  const nestings: Nesting[] = tables.flatMap((table) =>
    domains
      .filter((d) => d.parent)
      .map((d) => ({ part: { table, col: d.key }, whole: { table, col: d.parent! } })),
  );
  return { specs, nestings };
}

/** One question's figures in every domain, as `viewer` may see them. */
export function publishQuestion(
  data: WaveData,
  q: ClosedQuestion,
  domains: Domain[],
  viewer: Viewer,
): PublishedQuestion {
  const figures: DomainFigures[] = questionFigures(
    data,
    q,
    domains.map((d) => d.rows),
  );
  const cells: AggregateCell[] = [];
  const tableOf = (category: string) => (q.kind === 'single' ? q.key : `${q.key}:${category}`);
  const shownRow = q.kind === 'single' ? (category: string) => category : () => 'chosen';
  domains.forEach((d, i) => {
    const f = figures[i]!;
    for (const c of f.categories) {
      const table = tableOf(c.key);
      cells.push({ table, row: shownRow(c.key), col: d.key, n: c.n, value: c.estimate ?? undefined });
      if (q.kind === 'multiple') {
        cells.push({ table, row: 'not_chosen', col: d.key, n: f.base - c.n });
        cells.push({ table, row: answered, col: d.key, n: f.base });
      }
    }
    if (q.kind === 'single') cells.push({ table: q.key, row: answered, col: d.key, n: f.base });
  });
  const tables = [...new Set(cells.map((c) => c.table))];
  const { specs, nestings } = declare(tables, domains);
  const published = new Map(
    publish(cells, { k: data.k, tables: specs, nestings }, viewer).map((p) => [keyOf(p), p]),
  );
  // Where fewer than K responded or answered, the published zeros are shown hidden too: the engine publishes a
  // zero (it describes no one), but beside hidden cells on so small a unit's page "0 %, 0 %, hidden" reads as what
  // its few said (group disclosure, ADR 6 Limits). Done after the engine, not as `alreadySuppressed`: a hidden
  // zero would force its county's and the country's zeros, and then their other figures, to be hidden as well.
  const small = (n: number) => n > 0 && n < data.k;
  const few = new Set(
    domains.filter((d, i) => small(d.rows.length) || small(figures[i]!.base)).map((d) => d.key),
  );
  const shown = (p: PublishedCell): PublishedCell => {
    if (!few.has(p.col) || p.suppressed) return p;
    return p.unsuppressedView
      ? { ...p, suppressed: true, reason: 'small' }
      : { ...p, n: null, value: null, suppressed: true };
  };
  const byDomain: PublishedQuestion['byDomain'] = new Map();
  domains.forEach((d, i) => {
    const f = figures[i]!;
    const categories = new Map<string, ShownFigure>();
    let base: PublishedCell | undefined;
    for (const c of f.categories) {
      const table = tableOf(c.key);
      const p = shown(published.get(keyOf({ table, row: shownRow(c.key), col: d.key }))!);
      const hidden = p.n === null;
      categories.set(c.key, {
        n: p.n,
        estimate: hidden ? null : c.estimate,
        ciLow: hidden ? null : c.ciLow,
        ciHigh: hidden ? null : c.ciHigh,
        suppressed: p.suppressed,
        ...(p.reason ? { reason: p.reason } : {}),
      });
      base ??= shown(published.get(keyOf({ table, row: answered, col: d.key }))!);
    }
    byDomain.set(d.key, { answered: base?.n ?? null, categories });
  });
  return { question: q, byDomain };
}

export interface RespondentFigure {
  invited: number;
  respondents: number | null;
  /** AAPOR RR1, completed / invited; hidden with the respondents. */
  responseRate: number | null;
  suppressed: boolean;
}

/**
 * Respondents and response rate per domain. The invited count (the programme's participants, or the sample) is
 * published as it is; the respondents, and the rate that multiplies back to them, pass the engine.
 */
export function publishRespondents(
  data: WaveData,
  domains: Domain[],
  invitedIn: (d: Domain) => number,
  viewer: Viewer,
): Map<string, RespondentFigure> {
  const cells = domains.map((d) => ({
    table: 'respondents',
    row: 'completed',
    col: d.key,
    n: d.rows.length,
  }));
  const { nestings } = declare(['respondents'], domains);
  const published = publish(cells, { k: data.k, nestings }, viewer);
  return new Map(
    domains.map((d, i) => {
      const p = published[i]!;
      const invited = invitedIn(d);
      return [
        d.key,
        {
          invited,
          respondents: p.n,
          responseRate: p.n === null || invited === 0 ? null : p.n / invited,
          suppressed: p.suppressed,
        },
      ];
    }),
  );
}
