// What `svar wave close` prints: the adjustment classes, where classes without respondents went, and the weight
// sum against N, so a survey manager sees at once whether every unit of the population is carried by someone.
import type { NonresponseReport } from '../fieldwork/close-wave.ts';
import { municipalities2024 } from '../reference/municipalities.ts';

function county(code: string): string {
  const name = municipalities2024().find((m) => m.countyCode === code)?.countyName;
  return `county ${code}${name ? ` ${name}` : ''}`;
}

const round = (x: number) => (Math.round(x * 1000) / 1000).toString();

export function closeReportText(w: { id: string; nonresponse_adjustment: NonresponseReport }): string {
  const r = w.nonresponse_adjustment;
  const label = (cls: string) => (r.adjustBy === 'county' && /^\d\d$/.test(cls) ? county(cls) : cls);
  const lines = [
    `Closed ${w.id}.`,
    `Non-response adjusted within ${r.adjustBy}${r.defaulted ? ' (the default)' : ''}: ${r.classes} class(es), ${r.respondents} respondent(s).`,
    `Weights sum to ${round(r.weightSum)}; N = ${round(r.population)}${Math.abs(r.weightSum - r.population) > 1e-6 * Math.max(1, r.population) ? ' (SHORT: see below)' : ''}.`,
  ];
  if (r.collapsed.length) {
    lines.push('Classes without respondents (units, design weight → carried by):');
    for (const c of r.collapsed)
      lines.push(
        `  ${label(c.class)}: ${c.units}, ${round(c.weight)} → ${c.into === null ? 'nobody (no respondent in the wave)' : c.into === 'all' ? 'all respondents' : `respondents of ${county(c.into)}`}`,
      );
  }
  return lines.join('\n');
}
