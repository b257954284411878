// An .R script that reads the CSV export with base R and applies variable labels, factor levels, missing codes and
// UTC times, so analysts get a labelled data frame without any package.
import { type Dataset, type ExportColumn, labelOf } from './dataset.ts';

/**
 * An R string literal that is pure ASCII: everything past ASCII as \u{…}, so the script parses the same in any
 * locale and R version (a UTF-8 script sourced in a Latin-1 session would garble Arabic labels).
 */
export function rString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp === 0)
      continue; // R strings cannot hold NUL
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x80) out += ch;
    else out += cp > 0xffff ? `\\U{${cp.toString(16)}}` : `\\u{${cp.toString(16)}}`;
  }
  return `${out}"`;
}

const rValue = (v: number | string) => (typeof v === 'number' ? String(v) : rString(v));
const rVector = (vs: (number | string)[]) => `c(${vs.map(rValue).join(', ')})`;
// Comments may stay readable: R skips them whatever their bytes. Line breaks would end them early.
const comment = (s: string) => s.replace(/[\r\n]+/g, ' ');

const header = `# Base R only. Run it where the CSV is (or change svar_csv), e.g. source("this-file.R"); it leaves
# the data frame svar_data.
#
# - Every column gets its variable label as attr(x, "label") (RStudio's viewer shows it).
# - Coded columns become factors with the value labels; other numbers stay numeric, text stays character.
# - Missing codes (97 = does not apply, 98 = don't know, and any other the instrument declares) become NA, so
#   tables, means and models leave them out; the reason goes to a factor column <name>_missing right after the
#   variable (NA where there is an answer). A column rather than an attribute, because base R drops custom
#   attributes when rows are subset; not labelled levels, because "Don't know" is not a point on the scale.
# - Times are POSIXct in UTC.
# - Text the CSV writer guarded against spreadsheet formulas (a ' before a leading = + - @) is restored.
# - Expects the CSV with codes (not with label text), its columns in this order; comma or semicolon separated;
#   UTF-8 with or without BOM. The text is read as UTF-8 in any session; to see Arabic or Tigrinya printed
#   rather than as <U+...>, run R in a UTF-8 locale (the default on Windows since R 4.2).`;

const helpers = `.svar_label <- function(x, label) {
  attr(x, "label") <- label
  x
}
.svar_unguard <- function(x) sub("^'(?=[-=+@\\t\\r])", "", x, perl = TRUE)
# The missing code's reason where x holds one, else NA.
.svar_reason <- function(x, codes, reasons, label) {
  .svar_label(factor(reasons[match(x, codes)], levels = unique(reasons)), label)
}
.svar_drop_missing <- function(x, codes) {
  x[x %in% codes] <- NA
  x
}
.svar_factor <- function(x, name, codes, labels) {
  unknown <- unique(x[!is.na(x) & !(x %in% codes)])
  if (length(unknown)) warning(name, ": values without a label become NA: ", paste(unknown, collapse = ", "))
  factor(x, levels = codes, labels = labels)
}
.svar_time <- function(x, name) {
  t <- as.POSIXct(x, tz = "UTC", format = "%Y-%m-%dT%H:%M:%OSZ")
  if (any(is.na(t) & !is.na(x))) warning(name, ": some times are not ISO 8601 UTC and became NA")
  t
}`;

const colClass = (c: ExportColumn) => (c.type === 'number' ? 'numeric' : 'character');

/** The statements that turn one column from the CSV into its labelled R form. */
function columnStatements(c: ExportColumn, locale: string, missingName: string): string[] {
  const label = labelOf(c.labels, locale, c.name);
  const at = `svar_data[[${rString(c.name)}]]`;
  const out = [`# ${comment(c.name)}: ${comment(label)}`];
  if (c.type === 'string') out.push(`${at} <- .svar_unguard(${at})`);
  if (c.missing.length) {
    const reasons = c.missing.map((v) => c.valueLabels.find((l) => l.value === v)?.missing ?? 'missing');
    const why = `${label} (why missing)`;
    out.push(
      `svar_data[[${rString(missingName)}]] <- .svar_reason(${at}, ${rVector(c.missing)}, ${rVector(reasons)}, ${rString(why)})`,
      `${at} <- .svar_drop_missing(${at}, ${rVector(c.missing)})`,
    );
  }
  const answers = c.valueLabels.filter((v) => !c.missing.includes(v.value as number));
  let value = at;
  if (c.type === 'datetime') value = `.svar_time(${at}, ${rString(c.name)})`;
  else if (answers.length) {
    const codes = rVector(answers.map((v) => v.value));
    const labels = rVector(answers.map((v) => labelOf(v.labels, locale, String(v.value))));
    value = `.svar_factor(${at}, ${rString(c.name)}, ${codes}, ${labels})`;
  }
  out.push(`${at} <- .svar_label(${value}, ${rString(label)})`);
  return out;
}

export function rScript(dataset: Dataset, csvFileName: string): string {
  const names = new Set(dataset.columns.map((c) => c.name));
  const order: string[] = [];
  const body: string[] = [];
  for (const c of dataset.columns) {
    order.push(c.name);
    let missingName = `${c.name}_missing`;
    while (names.has(missingName)) missingName += '_';
    if (c.missing.length) {
      names.add(missingName);
      order.push(missingName);
    }
    body.push(...columnStatements(c, dataset.labelLocale, missingName), '');
  }
  const title = labelOf(dataset.title, dataset.labelLocale, dataset.instrumentId);
  return [
    `# ${comment(title)}: labels for the Svar CSV export ${comment(csvFileName)} (${dataset.columns.length} columns).`,
    header,
    '',
    `svar_csv <- ${rString(csvFileName)}`,
    '',
    helpers,
    '',
    `.svar_names <- ${rVector(dataset.columns.map((c) => c.name))}`,
    `.svar_classes <- ${rVector(dataset.columns.map(colClass))}`,
    '# The header without its byte-order mark; comma or semicolon, whichever splits it into all the columns.',
    '.svar_header <- readLines(svar_csv, n = 1, encoding = "UTF-8", warn = FALSE)',
    '.svar_header <- sub("^\\xef\\xbb\\xbf", "", .svar_header, useBytes = TRUE)',
    '.svar_sep <- if (length(strsplit(.svar_header, ";", fixed = TRUE)[[1]]) == length(.svar_names)) ";" else ","',
    'if (!identical(gsub(\'^"|"$\', "", strsplit(.svar_header, .svar_sep, fixed = TRUE)[[1]]), .svar_names))',
    '  stop(svar_csv, " does not have the columns this script was written for, in that order")',
    '# encoding = "UTF-8" marks the text as UTF-8 without converting it: fileEncoding would convert it to the',
    "# session's encoding and, in a C or Latin-1 session, cut the file at the first Arabic letter.",
    '# Empty cells are missing; the text "NA" is an answer.',
    'svar_data <- read.csv(svar_csv, sep = .svar_sep, header = FALSE, skip = 1, col.names = .svar_names,',
    '  colClasses = .svar_classes, encoding = "UTF-8", na.strings = "", check.names = FALSE,',
    '  stringsAsFactors = FALSE)',
    '',
    ...body,
    `svar_data <- svar_data[${rVector(order)}]`,
    'rm(list = ls(all.names = TRUE, pattern = "^[.]svar_"))',
    '',
  ].join('\n');
}
