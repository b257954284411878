// A Stata .do file that reads the CSV export into Stata 14+ with the names, labels and missing values of the .dta export.
import type { Dataset } from './dataset.ts';
import { dataLabel, dataNote, type StataVariable, stataVariables } from './dta.ts';

/** Text Stata keeps as typed: `$` and a backquote would start a macro, so they are escaped; lines are joined. */
function literal(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[`$]/g, (c) => `\\${c}`);
}

/** A string in compound double quotes `"…"', which may hold plain quotes; only `"'` would end it early. */
export function stataString(text: string): string {
  return `\`"${literal(text).replaceAll(`"'`, `"’`)}"'`;
}

const comment = (text: string) => `* ${literal(text)}`;

function header(dataset: Dataset, vars: StataVariable[], csvFileName: string): string[] {
  const lines = [
    comment(
      `${dataLabel(dataset)}: reads ${csvFileName} (Svar's CSV export with codes: UTF-8, commas, a header row)`,
    ),
    '* into Stata 14 or newer with the variable names, labels, value labels and missing values of the .dta export.',
    "* Text answers that begin with = + - or @ carry a leading ' in the CSV (spreadsheet safety); the .dta has them as given.",
  ];
  const coded = vars.filter((v) => v.missing.length);
  if (coded.length) {
    lines.push(
      '* Missing codes of the instrument become extended missing values, the same in every variable:',
    );
    for (const v of coded)
      lines.push(comment(`  ${v.name}: ${v.missing.map((m) => `${m.code} = .${m.tag}`).join(', ')}`));
  }
  const renamed = vars.filter((v) => v.name !== v.column.name);
  if (renamed.length) {
    lines.push(
      '* Names Stata does not allow (over 32 characters, or other characters) are shortened as in the .dta:',
    );
    for (const v of renamed) lines.push(comment(`  ${v.name} = ${v.column.name}`));
  }
  return lines;
}

/** import delimited, with every column's storage forced by position so numbers-as-text stay text and vice versa. */
function importStatement(vars: StataVariable[], csvFileName: string): string[] {
  const positions = (want: (v: StataVariable) => boolean) =>
    vars.flatMap((v, i) => (want(v) ? [i + 1] : [])).join(' ');
  const strings = positions((v) => v.column.type !== 'number');
  const numbers = positions((v) => v.column.type === 'number');
  const file = csvFileName.replaceAll('"', '');
  return [
    'version 14',
    'clear',
    `import delimited using "${file}", varnames(1) case(preserve) encoding("utf-8") delimiters(",") bindquote(strict)${strings ? ` stringcols(${strings})` : ''}${numbers ? ` numericcols(${numbers})` : ''} clear`,
    `assert c(k) == ${vars.length}`,
  ];
}

/** Renames by position, through temporary names: Stata alters long or odd headers in ways we must not guess. */
function renames(vars: StataVariable[]): string[] {
  return [
    '',
    `local names ${vars.map((v) => v.name).join(' ')}`,
    'local i 0',
    'foreach v of varlist _all {',
    '    local ++i',
    "    rename `v' __svar`i'",
    '}',
    "forvalues i = 1/`c(k)' {",
    "    rename __svar`i' `: word `i' of `names''",
    '}',
  ];
}

/** The CSV has ISO 8601 UTC text (2024-01-01T12:00:00.000Z); %tc is milliseconds since 1960, as in the .dta. */
function datetimes(vars: StataVariable[]): string[] {
  return vars
    .filter((v) => v.column.type === 'datetime')
    .flatMap((v) => [
      '',
      `generate double __svar_t = clock(subinstr(subinstr(${v.name}, "T", " ", 1), "Z", "", 1), "YMDhms")`,
      `order __svar_t, after(${v.name})`,
      `drop ${v.name}`,
      `rename __svar_t ${v.name}`,
      `format ${v.name} %tc`,
    ]);
}

function labels(dataset: Dataset, vars: StataVariable[]): string[] {
  const lines = ['', `label data ${stataString(dataLabel(dataset))}`];
  for (const v of vars) lines.push(`label variable ${v.name} ${stataString(v.label)}`);
  for (const v of vars.filter((v) => v.missing.length))
    lines.push(`mvdecode ${v.name}, mv(${v.missing.map((m) => `${m.code}=.${m.tag}`).join(' \\ ')})`);
  for (const v of vars.filter((v) => v.valueLabels.length)) {
    lines.push('', `capture label drop ${v.name}`);
    for (const e of v.valueLabels)
      lines.push(`label define ${v.name} ${e.tag ? `.${e.tag}` : e.value} ${stataString(e.text)}, add`);
    lines.push(`label values ${v.name} ${v.name}`);
  }
  const noted = vars.filter((v) => v.notes.length);
  if (noted.length) lines.push('');
  if (vars.some((v) => v.missing.length)) lines.push(`notes: ${literal(dataNote)}`);
  for (const v of noted) for (const note of v.notes) lines.push(`notes ${v.name}: ${literal(note)}`);
  return lines;
}

/** The .do file for a CSV export of the dataset named `csvFileName`. */
export function doFile(dataset: Dataset, csvFileName: string): string {
  const vars = stataVariables(dataset);
  const dta = csvFileName.replace(/\.csv$/i, '').replaceAll('"', '');
  return [
    ...header(dataset, vars, csvFileName),
    '',
    ...importStatement(vars, csvFileName),
    ...renames(vars),
    ...datetimes(vars),
    ...labels(dataset, vars),
    '',
    `* save "${dta}.dta", replace`,
    '',
  ].join('\n');
}
