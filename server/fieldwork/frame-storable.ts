// What PostgreSQL cannot store, checked on each frame row before it is staged: a hostile or broken file is refused
// with its lines instead of failing at the database with a 500 (found by the fuzz suite, tests/fuzz/).
import type { Field, FrameProblem, FrameRow } from './frame-columns.ts';

/** The id is a unique key: an index entry holds at most about 2.7 kB, and no register's id comes near this. */
export const MAX_ID_LENGTH = 200;
const nullable = ['municipalityCode', 'preferredLocale', 'name', 'email', 'phone'] as const;

export function checkStorable(row: FrameRow, written: Map<Field, string>, problems: FrameProblem[]): void {
  if (row.externalId.length > MAX_ID_LENGTH) {
    const column = written.get('externalId') ?? written.get('municipalityCode');
    problems.push({ line: row.line, column, reason: `the id is longer than ${MAX_ID_LENGTH} characters` });
  }
  if (dropNul(row)) {
    problems.push({
      line: row.line,
      reason: 'a cell or a column name holds a NUL character, which cannot be stored',
    });
  }
}

/**
 * PostgreSQL text cannot hold a NUL character. A row with one is reported (so the file is refused) and staged
 * without it, since every row is staged before the import decides: the database never sees the NUL.
 */
function dropNul(row: FrameRow): boolean {
  if (!hasNul(row)) return false;
  row.externalId = stripNul(row.externalId);
  for (const f of nullable) row[f] = row[f] === null ? null : stripNul(row[f]);
  row.attributes = Object.fromEntries(
    Object.entries(row.attributes).map(([k, v]) => [stripNul(k), stripNul(v)]),
  );
  return true;
}

/** The common case, no NUL anywhere, told without building anything: it runs on every row of a frame. */
function hasNul(row: FrameRow): boolean {
  if (row.externalId.includes('\u0000')) return true;
  for (const f of nullable) if (row[f]?.includes('\u0000')) return true;
  for (const k in row.attributes)
    if (k.includes('\u0000') || row.attributes[k]!.includes('\u0000')) return true;
  return false;
}

function stripNul(v: string): string {
  return v.replaceAll('\u0000', '');
}
