// New units' ids: version 7, unique, and in the order they were made, which the bulk insert relies on to append
// at the primary key's right edge.
import { describe, expect, it } from 'vitest';
import { newUnitId } from './frame-ids.ts';

describe('newUnitId', () => {
  it('makes unique version 7 ids, each greater than the last, thousands within one millisecond', () => {
    const ids = Array.from({ length: 50_000 }, () => newUnitId());
    for (const id of ids.slice(0, 100))
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-/);
    expect(new Set(ids).size).toBe(ids.length);
    // Lowercase hex of equal length: string order is byte order, which is PostgreSQL's order of uuids.
    const unordered = ids.findIndex((id, i) => i > 0 && id <= ids[i - 1]!);
    expect(unordered).toBe(-1);
    const millisecond = (id: string) => id.slice(0, 13);
    expect(new Set(ids.map(millisecond)).size).toBeLessThan(ids.length / 10);
  });
});
