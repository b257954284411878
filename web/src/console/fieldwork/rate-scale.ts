// The map's colour for a response rate: five equal bands of a single-hue scale (light = low, dark = high), read
// off the legend; a group the small-cell rule hides is hatched and said so, never coloured by a number.

/** Band edges as shares; a rate falls in the band whose lower edge it reaches. */
export const rateBands = [0, 0.2, 0.4, 0.6, 0.8] as const;
export const bandColours = ['#e3eef9', '#b4d1ee', '#6fa6da', '#2f73b9', '#143f75'] as const;
export const noDataColour = '#f2f2f2';
export const hiddenPattern = 'fieldwork-hidden';

export type Shade = { kind: 'rate'; band: number; rate: number } | { kind: 'hidden' } | { kind: 'none' };

export function bandOf(rate: number): number {
  let band = 0;
  rateBands.forEach((edge, i) => {
    if (rate >= edge) band = i;
  });
  return band;
}

export function fillOf(shade: Shade): string {
  if (shade.kind === 'rate') return bandColours[shade.band]!;
  if (shade.kind === 'hidden') return `url(#${hiddenPattern})`;
  return noDataColour;
}

/**
 * A row's rate only where neither of its counts is hidden: admins and analysts receive suppressed counts marked
 * (server/fieldwork/progress-suppression.ts), and the console shows them as hidden to them as well, so no screen
 * or screenshot of the console carries a small cell.
 */
export function rateHidden(row: { suppressed: string[] }): boolean {
  return row.suppressed.includes('invited') || row.suppressed.includes('completed');
}

export function shadeOfRow(row: { responseRate: number | null; suppressed: string[] }): Shade {
  if (rateHidden(row)) return { kind: 'hidden' };
  if (row.responseRate === null) return { kind: 'none' };
  return { kind: 'rate', band: bandOf(row.responseRate), rate: row.responseRate };
}
