// What every export format writes: the columns (system, answers, weights, quality flags) and the rows, streamed
// in batches from the database. Writers spell it; none of them queries anything.
import type { Cell, ExportColumn } from './columns.ts';

export type { Cell, ExportColumn };

export interface DatasetWave {
  id: string;
  name: string;
  instrumentVersion: number;
  /** The year the wave is about (server/surveys/wave-variables.ts); absent in writers' unit tests. */
  referenceYear?: number;
}

export interface Dataset {
  instrumentId: string;
  /** The instrument's title per language (for file labels and study descriptions). */
  title: Record<string, string>;
  unitType: 'participant' | 'municipality';
  waves: DatasetWave[];
  /** Language of variable and value labels in formats that carry one language (sav, dta, parquet, sps, do, R). */
  labelLocale: string;
  columns: ExportColumn[];
  /**
   * The rows, in batches, each row one cell per column. Every call reads the database again from the start, so a
   * writer that must measure first (string widths in .sav and .dta) may make two passes, in constant memory.
   */
  batches(): AsyncIterable<Cell[][]>;
  /** The number of rows (for headers that state it up front and for progress). */
  rowCount: number;
  /** The rows cut into slices of about `sliceRows` rows, in the order `batches` gives them. */
  slices?(sliceRows: number): Promise<DatasetSlice[]>;
  /** The rows of one slice, as `batches` gives them. */
  batchesIn?(slice: DatasetSlice): AsyncIterable<Cell[][]>;
  /** Where the rows come from, so a worker thread can load the same dataset on a connection of its own. */
  origin?: DatasetOrigin;
  /** Hears how many rows a writer that bypasses `batches` (the parallel CSV writer) has written so far. */
  onRows?: (done: number) => void;
}

export interface DatasetOrigin {
  postgresUrl: string;
  waveIds: string[];
  labelLocale: string;
  municipalityCode: string | null;
  quality: boolean;
  /** How many worker threads may format it (`SVAR_EXPORT_WORKERS`). */
  workers: number;
}

/** A run of one wave's rows: ids after `after` (from the start when null) up to `upTo` (to the end when null). */
export interface DatasetSlice {
  waveId: string;
  after: string | null;
  upTo: string | null;
}

/** Where a writer's bytes go: a file, or an HTTP response as it streams. Resolves when the chunk may be followed. */
export interface Sink {
  write(chunk: string | Uint8Array): Promise<void>;
}

/** A column's label in the dataset's label language, falling back to bokmål, then to the name. */
export function labelOf(labels: Record<string, string>, locale: string, fallback: string): string {
  return labels[locale] ?? labels.nb ?? labels.default ?? fallback;
}

/** Collects what a writer produces, for tests and small exports. */
export function memorySink(): Sink & { bytes(): Buffer; text(): string } {
  const chunks: Buffer[] = [];
  return {
    async write(chunk) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk));
    },
    bytes: () => Buffer.concat(chunks),
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}

/** A dataset from columns and rows in memory, for writers' unit tests. */
export function datasetOf(
  columns: ExportColumn[],
  rows: Cell[][],
  extra: Partial<Omit<Dataset, 'columns' | 'batches' | 'rowCount'>> = {},
): Dataset {
  return {
    instrumentId: 'test',
    title: { nb: 'Test' },
    unitType: 'participant',
    waves: [{ id: 'w1', name: 'Test wave', instrumentVersion: 1 }],
    labelLocale: 'nb',
    ...extra,
    columns,
    rowCount: rows.length,
    async *batches() {
      for (let i = 0; i < rows.length; i += 1000) yield rows.slice(i, i + 1000);
    },
  };
}
