// The names of the export formats, apart from their writers so the console can offer the same list.
export const exportFormats = [
  'csv',
  'xlsx',
  'sav',
  'dta',
  'parquet',
  'r',
  'sps',
  'do',
  'codebook',
  'codebook-csv',
  'codebook-json',
  'ddi',
] as const;
export type ExportFormat = (typeof exportFormats)[number];
