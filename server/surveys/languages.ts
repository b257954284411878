// The languages Svar offers respondents, each named in itself, with its writing direction.
export interface Language {
  code: string;
  /** The language's name in the language itself, as the language switcher shows it. */
  name: string;
  dir: 'ltr' | 'rtl';
}

export const languages: readonly Language[] = [
  { code: 'nb', name: 'norsk bokmål', dir: 'ltr' },
  { code: 'nn', name: 'norsk nynorsk', dir: 'ltr' },
  { code: 'en', name: 'English', dir: 'ltr' },
  { code: 'ar', name: 'العربية', dir: 'rtl' },
  { code: 'ti', name: 'ትግርኛ', dir: 'ltr' },
  { code: 'so', name: 'Soomaali', dir: 'ltr' },
  { code: 'prs', name: 'دری', dir: 'rtl' },
  { code: 'fa', name: 'فارسی', dir: 'rtl' },
  { code: 'ckb', name: 'کوردی', dir: 'rtl' },
  { code: 'kmr', name: 'Kurmancî', dir: 'ltr' },
  { code: 'ps', name: 'پښتو', dir: 'rtl' },
  { code: 'ur', name: 'اردو', dir: 'rtl' },
  { code: 'pl', name: 'polski', dir: 'ltr' },
];

const byCode = new Map(languages.map((l) => [l.code, l]));

export function findLanguage(code: string): Language | undefined {
  return byCode.get(code);
}

export function directionOf(code: string): 'ltr' | 'rtl' {
  return byCode.get(code)?.dir ?? 'ltr';
}

/** Every target language Svar's instruments are translated into by default (all but the bokmål source). */
export const defaultTargetLocales = languages.filter((l) => l.code !== 'nb').map((l) => l.code);
