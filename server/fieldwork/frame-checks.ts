// The checks on one frame row: reference municipality codes, e-mail, phone and language. Duplicate ids are not
// checked here: that needs every row, so the import finds them in SQL over its staging table.
import { municipalities2024, osloDistricts } from '../reference/municipalities.ts';
import { languages } from '../surveys/languages.ts';
import type { Field, FrameProblem, FrameRow, UnitType } from './frame-columns.ts';

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const PHONE = /^\+?\d{8,15}$/;
const languageAliases = new Map([
  ['no', 'nb'],
  ['nob', 'nb'],
  ['nno', 'nn'],
  ['fa-af', 'prs'], // Dari is Afghan Persian; Svar has it as its own language
  ['eng', 'en'],
  ['ara', 'ar'],
  ['tir', 'ti'],
  ['som', 'so'],
  ['fas', 'fa'],
  ['per', 'fa'],
  ['pus', 'ps'],
  ['urd', 'ur'],
  ['pol', 'pl'],
]);
// Keyed in lower case, as frames are read case-blind: 'KMR-ARAB' and 'kmr-arab' are Badini's 'kmr-Arab'.
const localeCodes = new Map(languages.map((l) => [l.code.toLowerCase(), l.code]));
let unitCodes: Set<string> | undefined;
let languageNames: Intl.DisplayNames | undefined;

/**
 * A cell as a problem quotes it, cut short: a file of 2 MB cells must not come back as a 200 MB error (the first
 * 100 problems are listed).
 */
export function quoted(value: string | null): string {
  const v = value ?? '';
  return v.length > 60 ? `'${v.slice(0, 57)}…' (${v.length} characters)` : `'${v}'`;
}

/** Checks a row and normalises its phone and language in place; its problems go to `problems`. */
export function checkRow(
  row: FrameRow,
  written: Map<Field, string>,
  unitType: UnitType,
  problems: FrameProblem[],
): void {
  if (unitType === 'municipality') row.externalId = row.municipalityCode ?? '';
  if (row.externalId === '') {
    const what = unitType === 'municipality' ? 'municipality code' : 'external id';
    const field = unitType === 'municipality' ? 'municipalityCode' : 'externalId';
    problems.push(problemAt(row, written, field, `the ${what} is empty`));
  }
  if (row.municipalityCode !== null && !isUnitCode(row.municipalityCode)) {
    const padded = /^\d{3}$|^\d{5}$/.test(row.municipalityCode) ? `0${row.municipalityCode}` : '';
    const hint = isUnitCode(padded) ? ` (a leading zero may have been lost: '${padded}')` : '';
    const reason = `${quoted(row.municipalityCode)} is not a 2024 municipality or Oslo district code${hint}`;
    problems.push(problemAt(row, written, 'municipalityCode', reason));
  }
  if (row.email !== null && !EMAIL.test(row.email))
    problems.push(problemAt(row, written, 'email', `${quoted(row.email)} is not a valid e-mail address`));
  if (row.phone !== null) {
    const phone = row.phone.replace(/\s/g, '');
    if (PHONE.test(phone)) row.phone = phone;
    else {
      const reason = `${quoted(row.phone)} is not a phone number (8–15 digits, optionally starting with +)`;
      problems.push(problemAt(row, written, 'phone', reason));
    }
  }
  if (row.preferredLocale !== null) {
    const locale = toLanguage(row.preferredLocale);
    if (locale) row.preferredLocale = locale;
    else {
      const examples = `${[...localeCodes.values()].join(', ')}, uk or ru`;
      const reason = `unknown language ${quoted(row.preferredLocale)} (a language code such as ${examples})`;
      problems.push(problemAt(row, written, 'preferredLocale', reason));
    }
  }
}

/** A problem in a row's field, named as the file's header writes it. (A function, not a closure per row.) */
function problemAt(row: FrameRow, written: Map<Field, string>, field: Field, reason: string): FrameProblem {
  return { line: row.line, column: written.get(field), reason };
}

function isUnitCode(code: string): boolean {
  unitCodes ??= new Set([...municipalities2024(), ...osloDistricts()].map((u) => u.code));
  return unitCodes.has(code);
}

/**
 * A language code as Svar writes it: one of Svar's languages by its code ('NB', 'nb-NO', 'no' and 'nob' are all
 * bokmål; a region is dropped unless it changes the language, as fa-AF does), else any other well-formed BCP 47
 * tag whose language the ICU data names, as its language alone ('uk-UA' is uk, 'sr-Latn' is sr). A national frame
 * names hundreds of languages; those the wave does not offer fall back to its first language at import. Null for
 * a malformed code or one of no language (xx).
 */
export function toLanguage(raw: string): string | null {
  let known = seenLanguages.get(raw);
  if (known === undefined) {
    known = readLanguage(raw);
    // A frame repeats a handful of spellings a million times; the bound keeps a file of garbage from growing it.
    if (seenLanguages.size < 10_000) seenLanguages.set(raw, known);
  }
  return known;
}

const seenLanguages = new Map<string, string | null>();

function readLanguage(raw: string): string | null {
  const tag = raw.trim().toLowerCase().replace(/_/g, '-');
  for (const candidate of [tag, tag.split('-')[0]!]) {
    const code = languageAliases.get(candidate) ?? candidate;
    const known = localeCodes.get(code);
    if (known) return known;
  }
  try {
    const language = new Intl.Locale(Intl.getCanonicalLocales(tag)[0]!).language;
    languageNames ??= new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
    return language !== 'und' && languageNames.of(language) ? language : null;
  } catch {
    return null; // not a BCP 47 tag at all
  }
}
