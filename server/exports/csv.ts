// CSV: UTF-8, a header of column names, codes as values (or label text on request). Norwegian Excel wants a BOM
// and semicolons; any text a spreadsheet would run as a formula is neutralised.

import { type ParallelOptions, parallelDefaults, writeCsvInParallel } from './csv-parallel.ts';
import { type Cell, type Dataset, labelOf, type Sink } from './dataset.ts';
import { neutraliseFormula } from './spreadsheet-safe.ts';

export interface CsvOptions {
  bom?: boolean;
  delimiter?: ',' | ';';
  /** Label text (in the dataset's label language) instead of the code, where a value label exists. */
  valueLabels?: boolean;
}

/**
 * RFC 4180 quoting, written out rather than through a CSV library: this loop runs for every cell of a national
 * export, and a general-purpose stringifier costs several times more per cell (see `npm run bench:export`).
 * A field is quoted when it holds the delimiter, a quote or a line break, or starts or ends with a space.
 */
function field(text: string, needsQuotes: RegExp): string {
  if (text === '') return '';
  if (!needsQuotes.test(text) && text.trim() === text) return text;
  return `"${text.replaceAll('"', '""')}"`;
}

/** Turns rows into CSV text: the same for a single writer and for workers that format slices side by side. */
export function csvFormatter(dataset: Pick<Dataset, 'columns' | 'labelLocale'>, opts: CsvOptions = {}) {
  const delimiter = opts.delimiter ?? ',';
  const needsQuotes = delimiter === ';' ? /[;"\r\n]/ : /[,"\r\n]/;
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
  // One speller per column, chosen once: numbers and times never need quoting or neutralising, only text does.
  const text = (s: string) => field(neutraliseFormula(s), needsQuotes);
  // ISO 8601 UTC for times, shortest round-trip text for numbers, empty for missing.
  const plain = (value: Cell): string => {
    if (value === null) return '';
    if (typeof value === 'number') return String(value);
    if (typeof value === 'string') return text(value);
    return value.toISOString();
  };
  const spellers = labelMaps.map((labels): ((value: Cell) => string) =>
    labels
      ? (value) => {
          const label = value === null ? undefined : labels.get(String(value));
          return label ? text(label) : plain(value);
        }
      : plain,
  );
  return {
    header: () =>
      `${opts.bom ? '\uFEFF' : ''}${dataset.columns.map((c) => field(c.name, needsQuotes)).join(delimiter)}\r\n`,
    rows(batch: Cell[][]): string {
      let out = '';
      for (const row of batch) {
        out += spellers[0]!(row[0]!);
        for (let i = 1; i < row.length; i += 1) out += delimiter + spellers[i]!(row[i]!);
        out += '\r\n';
      }
      return out;
    },
  };
}

/**
 * Writes the dataset as CSV. A large export from PostgreSQL is formatted by worker threads, slice by slice, and
 * written in order (csv-parallel.ts); otherwise batch by batch here.
 */
export async function writeCsv(
  dataset: Dataset,
  sink: Sink,
  opts: CsvOptions = {},
  parallel: ParallelOptions = parallelDefaults(dataset),
): Promise<void> {
  const format = csvFormatter(dataset, opts);
  if (dataset.origin && parallel.workers > 1 && dataset.rowCount >= parallel.fromRows)
    return writeCsvInParallel(dataset, sink, format.header(), opts, parallel);
  await sink.write(format.header());
  for await (const batch of dataset.batches()) await sink.write(format.rows(batch));
}
