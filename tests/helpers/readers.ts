// The independent programs our statistics exports are read back with (R + haven, GNU PSPP): probed once, run here.
import { spawn, spawnSync } from 'node:child_process';

export interface Reader {
  name: string;
  available: boolean;
}

function probe(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore', timeout: 60_000 }).status === 0;
}

/** Rscript with the haven package (reads .dta, .sav, .por). */
export const rHaven: Reader = { name: 'R with haven', available: probe('Rscript', ['-e', 'library(haven)']) };
/** GNU PSPP, with pspp-convert beside it. */
export const pspp: Reader = { name: 'GNU PSPP', available: probe('pspp', ['--version']) };

export const hasR = rHaven.available;
export const hasPspp = pspp.available;

/**
 * Whether a suite can use the reader: when it is missing the suite is skipped loudly, and with CI=true it fails
 * instead, as tests/helpers/browser.ts does for Chromium. Call it at the top of a test file.
 */
export function readerPresent(reader: Reader, suite: string): boolean {
  if (reader.available) return true;
  const message = `[svar tests] ${reader.name} not found: ${suite} SKIPPED. Install with: npm run setup:system`;
  if (process.env.CI === 'true') throw new Error(`${message} (CI=true: a skipped suite is a failure)`);
  process.stdout.write(`${message}\n`);
  return false;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a reader with arguments (and stdin), collecting its output as UTF-8. Never rejects on a non-zero exit. */
export function run(cmd: string, args: string[], input?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      stdio: 'pipe',
      env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // A reader that never reads its input (pspp given a syntax file) may exit before it is written: the broken
    // pipe is no failure of ours, and its exit code and output say how the reading went.
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

/** One column as haven reads it; texts decoded, numbers as R prints them with 17 digits, tagged NAs as ".a". */
export interface HavenColumn {
  /** R's class vector, joined with ",": "numeric", "character", "haven_labelled,vctrs_vctr,double", "POSIXct,POSIXt". */
  cls: string;
  label: string | null;
  /** attr "format.stata" or "format.spss". */
  format: string;
  /** Value labels in haven's order: [value, label]. */
  labels: [string, string][];
  /** Per row: text for strings, "NA" or ".a" … for missing, milliseconds since 1970 for date-times. */
  values: string[];
}

// Printed as hex-encoded UTF-8 ("-" for the empty string, so no field collapses): jsonlite may not be installed.
const havenScript = `
hx <- function(s) if (is.null(s) || is.na(s)) "NA" else if (!nzchar(s)) "-" else paste(as.character(charToRaw(enc2utf8(s))), collapse = "")
num <- function(v) ifelse(is.na(v), ifelse(is.na(haven::na_tag(v)), "NA", paste0(".", haven::na_tag(v))), sprintf("%.17g", as.numeric(v)))
a <- commandArgs(TRUE)
d <- if (grepl("[.]dta$", a[1])) haven::read_dta(a[1]) else haven::read_sav(a[1])
cat("DATA", hx(attr(d, "label")), "\\n")
for (nm in names(d)) {
  x <- d[[nm]]
  fmt <- if (is.null(attr(x, "format.stata"))) attr(x, "format.spss") else attr(x, "format.stata")
  cat("COL", hx(nm), paste(class(x), collapse = ","), hx(attr(x, "label")), hx(fmt), "\\n")
  l <- attr(x, "labels")
  if (!is.null(l)) cat("LABELS", paste(num(unname(l)), vapply(names(l), hx, ""), sep = "=", collapse = " "), "\\n")
  v <- if (is.character(x)) vapply(x, hx, "", USE.NAMES = FALSE) else if (inherits(x, "POSIXct")) num(round(as.numeric(x) * 1000)) else num(x)
  cat("VALUES", v, "\\n")
}`;

const unhex = (s: string) => (s === '-' ? '' : Buffer.from(s, 'hex').toString('utf8'));

/** Reads a .dta or .sav file with R haven: the file label and every column, in file order. */
export async function readWithHaven(
  path: string,
): Promise<{ label: string | null; columns: Map<string, HavenColumn> }> {
  const r = await run('Rscript', ['-e', havenScript, path]);
  if (r.code !== 0) throw new Error(`haven could not read ${path}: ${r.stderr}`);
  const columns = new Map<string, HavenColumn>();
  let label: string | null = null;
  let current: HavenColumn | undefined;
  for (const line of r.stdout.split('\n')) {
    const [kind, ...f] = line.trim().split(' ');
    const text = (s: string | undefined) => (s === undefined || s === 'NA' ? null : unhex(s));
    if (kind === 'DATA') label = text(f[0]);
    if (kind === 'COL') {
      current = { cls: f[1]!, label: text(f[2]), format: text(f[3]) ?? '', labels: [], values: [] };
      columns.set(unhex(f[0]!), current);
    }
    if (kind === 'LABELS') current!.labels = f.map((p) => p.split('=')).map(([v, t]) => [v!, unhex(t!)]);
    if (kind === 'VALUES') current!.values = current!.cls === 'character' ? f.map(unhex) : f;
  }
  return { label, columns };
}
