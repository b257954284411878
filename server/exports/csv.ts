// CSV: UTF-8, a header of column names, codes as values (or label text on request). Norwegian Excel wants a BOM
// and semicolons; any text a spreadsheet would run as a formula is neutralised.
import { stringify } from 'csv-stringify/sync';
import { type Cell, type Dataset, labelOf, type Sink } from './dataset.ts';
import { neutraliseFormula } from './spreadsheet-safe.ts';

export interface CsvOptions {
  bom?: boolean;
  delimiter?: ',' | ';';
  /** Label text (in the dataset's label language) instead of the code, where a value label exists. */
  valueLabels?: boolean;
}

/** A cell as CSV text: ISO 8601 UTC for times, shortest round-trip text for numbers, empty for missing. */
export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return String(value);
  return neutraliseFormula(value);
}

export async function writeCsv(dataset: Dataset, sink: Sink, opts: CsvOptions = {}): Promise<void> {
  const delimiter = opts.delimiter ?? ',';
  const labelMaps = dataset.columns.map((c) =>
    opts.valueLabels && c.valueLabels.length
      ? new Map(
          c.valueLabels.map((v) => [
            String(v.value),
            labelOf(v.labels, dataset.labelLocale, String(v.value)),
          ]),
        )
      : null,
  );
  const header = dataset.columns.map((c) => c.name);
  await sink.write(`${opts.bom ? '\uFEFF' : ''}${stringify([header], { delimiter })}`);
  for await (const batch of dataset.batches()) {
    const rows = batch.map((row) =>
      row.map((value, i) => {
        const label = value !== null && labelMaps[i]?.get(String(value));
        return label ? neutraliseFormula(label) : csvCell(value);
      }),
    );
    await sink.write(stringify(rows, { delimiter, quoted_match: /^\s|\s$/ }));
  }
}
