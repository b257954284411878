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
  const has = (v: string | null) => v?.includes('\u0000') ?? false;
  const entries = Object.entries(row.attributes);
  const found = has(row.externalId) || nullable.some((f) => has(row[f]));
  if (!found && !entries.some(([k, v]) => has(k) || has(v))) return false;
  const strip = (v: string) => v.replaceAll('\u0000', '');
  row.externalId = strip(row.externalId);
  for (const f of nullable) row[f] = row[f] === null ? null : strip(row[f]);
  row.attributes = Object.fromEntries(entries.map(([k, v]) => [strip(k), strip(v)]));
  return true;
}
