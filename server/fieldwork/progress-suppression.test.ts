// Progress counts through the small-cell engine: hidden for municipality users below K and where recoverable.
import { describe, expect, it } from 'vitest';
import type { ProgressRow } from './progress.ts';
import { publishProgress } from './progress-suppression.ts';

const row = (group: string, invited: number, completed: number): ProgressRow => ({
  group,
  invited,
  opened: invited,
  started: completed,
  completed,
  optedOut: 0,
  responseRate: completed / invited,
});

describe('publishProgress', () => {
  const rows = [row('ar', 40, 20), row('nb', 60, 30), row('ti', 12, 2)];

  it('hides a small count from a municipality user, and a second one so the total does not give it away', () => {
    const out = publishProgress(rows, 'municipality');
    expect(out.unsuppressedView).toBe(false);
    const ti = out.rows.find((r) => r.group === 'ti')!;
    expect(ti).toMatchObject({ completed: null, started: null, responseRate: null, invited: 12 });
    expect(ti.suppressed).toEqual(['started', 'completed']);
    // Complementary: with the total published, one more group's completed count is hidden.
    expect(out.rows.filter((r) => r.completed === null)).toHaveLength(2);
    expect(out.rows.find((r) => r.group === 'ar')!.completed).toBeNull(); // the smallest other count
    expect(out.rows.find((r) => r.group === 'nb')!.completed).toBe(30);
    expect(out.rows.every((r) => r.optedOut === 0)).toBe(true); // zeros are published
  });

  it('shows analysts every count, marked', () => {
    const out = publishProgress(rows, 'analyst');
    expect(out.unsuppressedView).toBe(true);
    expect(out.rows.find((r) => r.group === 'ti')).toMatchObject({
      completed: 2,
      suppressed: ['started', 'completed'],
    });
  });

  it("uses the wave's own K", () => {
    const out = publishProgress([row('ar', 40, 20), row('nb', 60, 8), row('so', 30, 9)], 'municipality', 10);
    expect(out.rows.find((r) => r.group === 'nb')!.completed).toBeNull();
    expect(
      publishProgress(
        [row('ar', 40, 20), row('nb', 60, 8), row('so', 30, 9)],
        'municipality',
        5,
      ).rows.flatMap((r) => r.suppressed),
    ).toEqual([]);
  });

  it('a negative control: with every count at K or more nothing is hidden', () => {
    const out = publishProgress([row('ar', 40, 20), row('nb', 60, 30)], 'municipality');
    expect(out.rows.flatMap((r) => r.suppressed)).toEqual([]);
  });
});
