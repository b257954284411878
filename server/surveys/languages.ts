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
export const languageCodes = languages.map((l) => l.code);

export const defaultTargetLocales = languages.filter((l) => l.code !== 'nb').map((l) => l.code);

/** Browser language tags that name one of our languages differently. */
const aliases: Record<string, string> = { no: 'nb', 'fa-af': 'prs', ku: 'kmr', 'ku-arab': 'ckb' };

/**
 * Picks the first of the browser's languages that is offered (Accept-Language, by quality then order).
 * Pure, so the browser uses it too.
 */
export function negotiateLocale(acceptLanguage: string | undefined, offered: string[]): string | undefined {
  if (!acceptLanguage) return undefined;
  const wanted = acceptLanguage
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.split('=')[1] ?? 1);
      return { tag: tag ?? '', q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((w) => w.tag && w.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of wanted) {
    for (const candidate of [aliases[tag], tag, aliases[tag.split('-')[0]!], tag.split('-')[0]]) {
      if (candidate && offered.includes(candidate)) return candidate;
    }
  }
  return undefined;
}
