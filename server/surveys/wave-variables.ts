// The variables a wave gives every text of its survey, so items name explicit years instead of "last year":
// `{previousYear}`, `{referenceYear}`, `{nextYear}` in any title or description (SurveyJS text processing), and in
// expressions. Declared once here: `check` accepts exactly these besides question codes, and opening a link
// returns their values (server/responses/open.ts), which the respondent page sets on the SurveyJS model.

export const waveVariableNames = ['referenceYear', 'previousYear', 'nextYear'] as const;
export type WaveVariables = Record<(typeof waveVariableNames)[number], number>;

/**
 * A wave's reference year is the calendar year it opens in (its scheduled opening, else the moment it was opened),
 * in Norway's time zone: a wave that opens on 2 January 2027 asks about 2026 as `{previousYear}`. Every respondent
 * of the wave sees the same years, whether they answer before or after New Year.
 */
export function referenceYearOf(wave: { opensAt: Date | null; openedAt: Date | null }, now: Date): number {
  return Number(osloYear.format(wave.opensAt ?? wave.openedAt ?? now));
}

// Made once: every link opened asks it.
const osloYear = new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: 'Europe/Oslo' });

export function waveVariables(referenceYear: number): WaveVariables {
  return { referenceYear, previousYear: referenceYear - 1, nextYear: referenceYear + 1 };
}

/** A text with the wave's years filled in, for readers that do not run SurveyJS (fact sheets, exports' labels). */
export function fillWaveVariables(text: string, variables: WaveVariables): string {
  return text.replace(/\{(referenceYear|previousYear|nextYear)\}/g, (_, name: keyof WaveVariables) =>
    String(variables[name]),
  );
}
