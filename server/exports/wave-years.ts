// The wave's years in an export's labels. An item reads "in {previousYear}" (server/surveys/wave-variables.ts);
// a label is one text per language, so it can name the year only when every wave exported asks about the same one.
// Waves of different years stacked in one file get a marker ("[året før]") and the codebook says, per wave, which
// year it means (`yearNotes`).
import {
  fillLabelYears,
  markedWaveVariables,
  type WaveVariables,
  waveVariableMarkers,
  waveVariables,
} from '../surveys/wave-variables.ts';
import type { ExportColumn } from './columns.ts';
import type { DatasetWave } from './dataset.ts';

/** The years an export's labels carry: the waves' own when they share one reference year, else none (markers). */
export function exportYears(referenceYears: number[]): WaveVariables | null {
  const years = new Set(referenceYears);
  return years.size === 1 ? waveVariables([...years][0]!) : null;
}

/** Columns with their variable and value labels filled (or marked); the `read` of each column is kept. */
export function fillColumnYears(columns: ExportColumn[], variables: WaveVariables | null): ExportColumn[] {
  return columns.map((c) => {
    const labels = fillLabelYears(c.labels, variables);
    let changed = labels !== c.labels;
    const valueLabels = c.valueLabels.map((v) => {
      const filled = fillLabelYears(v.labels, variables);
      if (filled === v.labels) return v;
      changed = true;
      return { ...v, labels: filled };
    });
    return changed ? { ...c, labels, valueLabels } : c;
  });
}

/**
 * For a column whose labels carry markers: each wave that asked it, with the years the markers mean there, e.g.
 * "Runde 2026: [previous year] = 2025". In English, as the rest of the codebook's apparatus is.
 */
export function yearNotes(
  column: Pick<ExportColumn, 'labels' | 'valueLabels'>,
  waves: DatasetWave[],
  askedIn: string[] | undefined,
): string[] {
  const marked = markedWaveVariables([column.labels, ...column.valueLabels.map((v) => v.labels)]);
  if (!marked.length) return [];
  const words = waveVariableMarkers('en');
  return waves
    .filter((w) => w.referenceYear !== undefined && (!askedIn || askedIn.includes(w.name)))
    .map((w) => {
      const years = waveVariables(w.referenceYear!);
      return `${w.name}: ${marked.map((name) => `${words[name]} = ${years[name]}`).join(', ')}`;
    });
}

/** "instrument version 2, reference year 2026": what a codebook's header says of each wave. */
export function waveFacts(w: DatasetWave): string {
  const year = w.referenceYear === undefined ? '' : `, reference year ${w.referenceYear}`;
  return `instrument version ${w.instrumentVersion}${year}`;
}
