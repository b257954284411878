// CSV: UTF-8, a header of column names, codes as values (or label text on request). Norwegian Excel wants a BOM
// and semicolons; any text a spreadsheet would run as a formula is neutralised.
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

export async function writeCsv(dataset: Dataset, sink: Sink, opts: CsvOptions = {}): Promise<void> {
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
  const header = dataset.columns.map((c) => field(c.name, needsQuotes)).join(delimiter);
  await sink.write(`${opts.bom ? '\uFEFF' : ''}${header}\r\n`);
  for await (const batch of dataset.batches()) {
    let out = '';
    for (const row of batch) {
      let line = '';
      for (let i = 0; i < row.length; i += 1) {
        const value = row[i]!;
        const label = value !== null && labelMaps[i]?.get(String(value));
        const text = label ? neutraliseFormula(label) : csvCell(value);
        line += i === 0 ? field(text, needsQuotes) : delimiter + field(text, needsQuotes);
      }
      out += `${line}\r\n`;
    }
    await sink.write(out);
  }
}
