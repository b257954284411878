// The export formats: what each is called, its file extension and media type, and which writer spells it.
import { writeCodebookCsv, writeCodebookHtml, writeCodebookJson } from './codebook-export.ts';
import { type CsvOptions, writeCsv } from './csv.ts';
import type { Dataset, Sink } from './dataset.ts';
import { writeDdi } from './ddi.ts';
import { doFile } from './do-file.ts';
import { writeDta } from './dta.ts';
import type { ExportFormat } from './format-names.ts';
import type { VariableHistory } from './load.ts';
import { writeParquet } from './parquet.ts';
import { rScript } from './r-script.ts';
import { measureColumns, writeSav } from './sav.ts';
import { spsSyntax } from './sps.ts';
import { writeXlsx } from './xlsx.ts';

export { type ExportFormat, exportFormats } from './format-names.ts';

export interface WriteContext {
  dataset: Dataset;
  history: VariableHistory;
  csv: CsvOptions;
  /** The name of the CSV export the syntax files (.R, .sps, .do) read. */
  csvFileName: string;
}

interface FormatSpec {
  extension: string;
  mediaType: string;
  write(ctx: WriteContext, sink: Sink): Promise<void>;
}

const text = (s: string) => async (_ctx: WriteContext, sink: Sink) => sink.write(s);

export const formats: Record<ExportFormat, FormatSpec> = {
  csv: {
    extension: 'csv',
    mediaType: 'text/csv; charset=utf-8',
    write: (c, s) => writeCsv(c.dataset, s, c.csv),
  },
  xlsx: {
    extension: 'xlsx',
    mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    write: (c, s) => writeXlsx(c.dataset, s, { valueLabels: c.csv.valueLabels ?? false }),
  },
  sav: { extension: 'sav', mediaType: 'application/x-spss-sav', write: (c, s) => writeSav(c.dataset, s) },
  dta: { extension: 'dta', mediaType: 'application/x-stata-dta', write: (c, s) => writeDta(c.dataset, s) },
  parquet: {
    extension: 'parquet',
    mediaType: 'application/vnd.apache.parquet',
    write: (c, s) => writeParquet(c.dataset, s),
  },
  r: {
    extension: 'R',
    mediaType: 'text/plain; charset=utf-8',
    write: (c, s) => text(rScript(c.dataset, c.csvFileName))(c, s),
  },
  sps: {
    extension: 'sps',
    mediaType: 'text/plain; charset=utf-8',
    // Measured like the .sav, so text variables are as wide as their longest answer, not 32 767 bytes.
    write: async (c, s) =>
      s.write(spsSyntax(c.dataset, c.csvFileName, (await measureColumns(c.dataset)).stats)),
  },
  do: {
    extension: 'do',
    mediaType: 'text/plain; charset=utf-8',
    write: (c, s) => text(doFile(c.dataset, c.csvFileName))(c, s),
  },
  codebook: {
    extension: 'html',
    mediaType: 'text/html; charset=utf-8',
    write: (c, s) => writeCodebookHtml(c.dataset, s, c.history),
  },
  'codebook-csv': {
    extension: 'codebook.csv',
    mediaType: 'text/csv; charset=utf-8',
    write: (c, s) => writeCodebookCsv(c.dataset, s, c.history),
  },
  'codebook-json': {
    extension: 'codebook.json',
    mediaType: 'application/json',
    write: (c, s) => writeCodebookJson(c.dataset, s, c.history),
  },
  ddi: {
    extension: 'ddi.xml',
    mediaType: 'application/xml',
    write: (c, s) => writeDdi(c.dataset, s, { history: c.history }),
  },
};

/** A file name from the instrument and the waves, the same for every format, so syntax files find the CSV. */
export function exportBaseName(dataset: Dataset): string {
  const waves = dataset.waves.map((w) => w.name).join('+');
  const slug = `${dataset.instrumentId}_${waves}`
    // Norwegian letters that do not decompose: spelled as Norwegians write them in file names.
    .replace(/[æÆ]/g, 'ae')
    .replace(/[øØ]/g, 'o')
    .replace(/[åÅ]/g, 'aa')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_+-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, 120) || 'svar-export';
}
