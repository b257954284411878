// Text cells a spreadsheet would run as a formula, made inert (OWASP "CSV injection"), for the CSV and XLSX writers.

/**
 * Excel, LibreOffice and Google Sheets start a formula (or DDE call) at a leading `=`, `+`, `-` or `@`, and a leading
 * tab or carriage return can hide one from a reviewer. A leading apostrophe makes the cell text; it is applied to every
 * string, so a text answer "-5" gets one too: only real numbers (which never come here) are written as numbers.
 * See https://owasp.org/www-community/attacks/CSV_Injection.
 */
const triggers = new Set(['=', '+', '-', '@', '\t', '\r']);

export function neutraliseFormula(s: string): string {
  return s.length > 0 && triggers.has(s[0]!) ? `'${s}` : s;
}
