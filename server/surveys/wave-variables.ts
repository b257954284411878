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

const placeholder = /\{(referenceYear|previousYear|nextYear)\}/g;

/** A text with the wave's years filled in, for readers that do not run SurveyJS (fact sheets, exports' labels). */
export function fillWaveVariables(text: string, variables: WaveVariables): string {
  return text.replace(placeholder, (_, name: keyof WaveVariables) => String(variables[name]));
}

/**
 * Where no one wave's years apply (a version's codebook, an export stacking waves of different years), a label
 * says which year in words rather than showing braces. Bokmål and nynorsk are written by us; every other language
 * gets the English words until a translator supplies its own (a marker is for analysts, not respondents).
 */
const markers: Record<string, WaveVariableMarkers> = {
  en: { previousYear: '[previous year]', referenceYear: '[reference year]', nextYear: '[next year]' },
  nb: { previousYear: '[året før]', referenceYear: '[referanseåret]', nextYear: '[året etter]' },
  nn: { previousYear: '[året før]', referenceYear: '[referanseåret]', nextYear: '[året etter]' },
};
export type WaveVariableMarkers = Record<keyof WaveVariables, string>;

export function waveVariableMarkers(locale: string): WaveVariableMarkers {
  return markers[locale] ?? markers.en!;
}

/** A text with each wave variable named in words, in the text's language. */
export function markWaveVariables(text: string, locale: string): string {
  const words = waveVariableMarkers(locale);
  return text.replace(placeholder, (_, name: keyof WaveVariables) => words[name]);
}

/**
 * Every language of a label (locale → text) with the years filled in, or, given `null`, with each language's
 * marker. Returns the same object when nothing changed, so callers may compare.
 */
export function fillLabelYears(
  labels: Record<string, string>,
  variables: WaveVariables | null,
): Record<string, string> {
  let out: Record<string, string> | null = null;
  for (const [locale, text] of Object.entries(labels)) {
    if (!text.includes('{')) continue;
    const filled = variables ? fillWaveVariables(text, variables) : markWaveVariables(text, locale);
    if (filled === text) continue;
    out ??= { ...labels };
    out[locale] = filled;
  }
  return out ?? labels;
}

/** The wave variables a label names with a marker (in any language), in declaration order. */
export function markedWaveVariables(labels: Record<string, string>[]): (keyof WaveVariables)[] {
  const texts = labels.flatMap((l) => Object.entries(l));
  return waveVariableNames.filter((name) =>
    texts.some(([locale, text]) => text.includes(waveVariableMarkers(locale)[name])),
  );
}
