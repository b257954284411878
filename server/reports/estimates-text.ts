// The estimates as a plain-text table for the command line: shares in per cent, means to the SE's precision.
import type { Figure, WaveEstimates } from './estimates.ts';

const dash = '–';

/** Digits after the point that show the SE to two significant digits (a mean of 662.29 with SE 9.4 → 1). */
function decimalsFor(se: number, percent: boolean): number {
  const least = percent ? 1 : 0;
  if (!se || !Number.isFinite(se)) return percent ? 1 : 2;
  return Math.min(6, Math.max(least, 1 - Math.floor(Math.log10(se))));
}

function shown(f: Figure, percent: boolean): [string, string, string] {
  if (f.suppressed) return ['(suppressed)', '', ''];
  if (f.estimate === null || f.se === null) return [dash, '', ''];
  const scale = percent ? 100 : 1;
  const d = decimalsFor(f.se * scale, percent);
  const fmt = (x: number) => (x * scale).toFixed(d);
  const unit = percent ? ' %' : '';
  return [`${fmt(f.estimate)}${unit}`, fmt(f.se), `${fmt(f.ciLow!)} ${dash} ${fmt(f.ciHigh!)}`];
}

const count = (n: number | null) => (n === null ? dash : String(n));

function table(header: string[], rows: string[][], right: Set<number>): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

export function estimatesTable(e: WaveEstimates): string {
  const percent = e.kind !== 'mean';
  const allLabel = 'All';
  const groupOf = (r: { group: string | null; groupLabel: string | null }) =>
    r.group === null
      ? allLabel
      : r.groupLabel && r.groupLabel !== r.group
        ? `${r.group} ${r.groupLabel}`
        : r.group;
  const design = e.design.strata === 'none' ? 'unstratified' : `strata: ${e.design.strata}`;
  const lines = [
    `${e.variable}  ${e.label}`,
    `${e.wave.name} (${e.wave.status}); ${e.respondents} respondents; weights ${e.weights}; ${design}, fpc N_h; ` +
      '95 % CI = estimate ± 1.96 SE',
    '',
    // A mean has one figure per group: its label is the title line, so no category column.
    ...table(
      ['group', 'category', percent ? 'share' : 'mean', 'SE', '95 % CI', 'n', 'base'].filter(
        (_, i) => percent || i !== 1,
      ),
      e.rows.map((r) =>
        [groupOf(r), `${r.category} ${r.label}`, ...shown(r, percent), count(r.n), count(r.base)].filter(
          (_, i) => percent || i !== 1,
        ),
      ),
      new Set(percent ? [2, 3, 4, 5, 6] : [1, 2, 3, 4, 5]),
    ),
  ];
  if (e.missing.some((m) => m.n))
    lines.push(
      '',
      'Left out of the base (share of all respondents):',
      ...table(
        ['group', 'code', 'share', 'SE', '95 % CI', 'n', 'respondents'],
        e.missing
          .filter((m) => m.n !== 0)
          .map((m) => [
            groupOf(m),
            m.code === null ? m.label : `${m.code} ${m.label}`,
            ...shown(m, true),
            count(m.n),
            count(m.base),
          ]),
        new Set([2, 3, 4, 5, 6]),
      ),
    );
  for (const note of e.notes) lines.push('', `Note: ${note}`);
  if (e.design.emptyStrata.length)
    lines.push(
      '',
      `Note: no answer in stratum ${e.design.emptyStrata.join(', ')}; its units count only through the non-response ` +
        "weights of respondents elsewhere (the wave's close report says where), and it adds nothing to the standard error.",
    );
  return lines.join('\n');
}
