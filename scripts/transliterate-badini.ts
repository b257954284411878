// Badini drafts from the Kurmanji ones: northern Kurdish is one language in two alphabets, so the machine draft in
// Arabic script (kmr-Arab) is the Latin (Hawar) draft (kmr) letter by letter, not a second machine translation.
// Deterministic, so re-running after the Kurmanji draft changes gives the same file for the same input.
//
//   node --import tsx scripts/transliterate-badini.ts     # writes locales/kmr-Arab/* and locales/surveyjs/kmr-Arab.json
//
// Every result stays a draft: a Badini reader must review it like any other machine draft.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Hawar letter → Kurdish Arabic letter, as Badini is written in Iraqi Kurdistan (the Kurdish Arabic alphabet of
 * Sorani, with ڤ for v). The short vowel i is not written; a vowel that starts a word or follows another vowel is
 * carried by hamza (ئ); r at the start of a word is the trilled ڕ, as is Hawar's rare "rr". h is ھ (heh doachashmee,
 * as Kurdish Wikipedia and KRG keyboards write it) so it is never read as the vowel ە.
 */
export const letterTable: Readonly<Record<string, string>> = {
  a: 'ا',
  b: 'ب',
  c: 'ج',
  ç: 'چ',
  d: 'د',
  e: 'ە',
  ê: 'ێ',
  f: 'ف',
  g: 'گ',
  h: 'ھ',
  i: '',
  î: 'ی',
  j: 'ژ',
  k: 'ک',
  l: 'ل',
  m: 'م',
  n: 'ن',
  o: 'ۆ',
  p: 'پ',
  q: 'ق',
  r: 'ر',
  s: 'س',
  ş: 'ش',
  t: 'ت',
  u: 'و',
  û: 'وو',
  v: 'ڤ',
  w: 'و',
  x: 'خ',
  y: 'ی',
  z: 'ز',
};
const vowels = new Set(['a', 'e', 'ê', 'i', 'î', 'o', 'u', 'û']);
const hamza = 'ئ';
const trilledR = 'ڕ';
/** Latin punctuation → Arabic, outside numbers ("1,5" keeps its comma). */
const punctuation: Readonly<Record<string, string>> = { ',': '،', ';': '؛', '?': '؟' };

/**
 * What is never transliterated: template placeholders ({{name}}, {0}, {panelIndex}), HTML tags and entities, web and
 * e-mail addresses, and the code literals 'true'/'false' in SurveyJS's messages.
 */
const keep =
  /\{\{[^}]*\}\}|\{[^}]*\}|<[^>]*>|&#?\w+;|https?:\/\/[^\s<>"]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|'(?:true|false)'/g;

/** One Hawar word (lower case) in Arabic script. */
function transliterateWord(word: string): string {
  if (word === 'û') return 'و'; // the conjunction "and" is written as a bare و
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const ch = word[i]!;
    const afterVowel = i > 0 && vowels.has(word[i - 1]!);
    if (vowels.has(ch) && (i === 0 || afterVowel)) out += hamza + letterTable[ch];
    else if (ch === 'r' && word[i + 1] === 'r') {
      out += trilledR;
      i++;
    } else if (ch === 'r' && i === 0) out += trilledR;
    else out += letterTable[ch];
  }
  return out;
}

/**
 * A Latin word stays as it is when it is not Kurdish: an acronym (two or more capitals: NAV, IMDi, WCAG), a word with
 * letters Hawar lacks (programrådgiver), or one of `keepWords` (Norwegian terms the draft quotes from its source).
 */
function convertWord(word: string, keepWords: ReadonlySet<string>): string {
  const lower = word.normalize('NFC').toLowerCase();
  if ((word.match(/\p{Lu}/gu) ?? []).length >= 2) return word;
  if (keepWords.has(lower)) return word;
  if (![...lower].every((c) => c in letterTable)) return word;
  return transliterateWord(lower);
}

function convertPlain(text: string, keepWords: ReadonlySet<string>): string {
  return text
    .normalize('NFC')
    .replace(/\p{Script=Latin}+/gu, (w) => convertWord(w, keepWords))
    .replace(/[,;?]/g, (p, at: number, all: string) =>
      p === ',' && /\d/.test(all[at - 1] ?? '') && /\d/.test(all[at + 1] ?? '') ? p : punctuation[p]!,
    );
}

/**
 * Kurmanji (Hawar) text in Badini's Arabic script. `source`, the bokmål text the Kurmanji translates: a bracketed
 * aside whose every word is in it, "(introduksjonsprogrammet)", is the Norwegian term quoted for the reader and
 * stays in Latin letters.
 */
export function transliterateBadini(text: string, source = ''): string {
  const sourceWords = new Set(
    source
      .normalize('NFC')
      .toLowerCase()
      .match(/\p{L}+/gu) ?? [],
  );
  const keepWords = new Set<string>();
  for (const [, aside] of text.matchAll(/\(([^()]*)\)/g)) {
    const words =
      aside!
        .normalize('NFC')
        .toLowerCase()
        .match(/\p{L}+/gu) ?? [];
    if (words.length > 0 && words.every((w) => sourceWords.has(w))) for (const w of words) keepWords.add(w);
  }
  let out = '';
  let last = 0;
  for (const m of text.matchAll(keep)) {
    out += convertPlain(text.slice(last, m.index), keepWords) + m[0];
    last = m.index + m[0].length;
  }
  return out + convertPlain(text.slice(last), keepWords);
}

interface SurveyEntry {
  source: string;
  sourceHash: string;
  text: string;
  status: string;
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Flat interface strings (respondent.json, mail.json, SurveyJS's), with the bokmål file of the same keys as source. */
function transliterateFlat(from: string, nbFile: string | undefined, to: string): void {
  const kmr = readJson<Record<string, string>>(from);
  const nb = nbFile && existsSync(nbFile) ? readJson<Record<string, string>>(nbFile) : {};
  writeJson(to, Object.fromEntries(Object.entries(kmr).map(([k, v]) => [k, transliterateBadini(v, nb[k])])));
}

/** Writes every kmr-Arab file from its kmr twin. Survey strings keep their source hash and become drafts. */
export function writeBadiniDrafts(localesDir: string): string[] {
  const written: string[] = [];
  const target = join(localesDir, 'kmr-Arab');
  mkdirSync(join(target, 'surveys'), { recursive: true });
  for (const name of ['respondent.json', 'mail.json']) {
    transliterateFlat(join(localesDir, 'kmr', name), join(localesDir, 'nb', name), join(target, name));
    written.push(join(target, name));
  }
  // SurveyJS's strings have no bokmål file here (survey-core ships Norwegian), so no Norwegian terms to keep.
  const surveyjs = join(localesDir, 'surveyjs', 'kmr-Arab.json');
  transliterateFlat(join(localesDir, 'surveyjs', 'kmr.json'), undefined, surveyjs);
  written.push(surveyjs);
  for (const file of readdirSync(join(localesDir, 'kmr', 'surveys')).filter((f) => f.endsWith('.json'))) {
    const kmr = readJson<Record<string, SurveyEntry>>(join(localesDir, 'kmr', 'surveys', file));
    const badini = Object.fromEntries(
      Object.entries(kmr).map(([key, e]) => [
        key,
        { ...e, text: transliterateBadini(e.text, e.source), status: 'draft' },
      ]),
    );
    writeJson(join(target, 'surveys', file), badini);
    written.push(join(target, 'surveys', file));
  }
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const localesDir = fileURLToPath(new URL('../locales/', import.meta.url));
  for (const file of writeBadiniDrafts(localesDir)) console.log(file);
}
