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
  // Sorani (central Kurdish) is written in Arabic script only; its readers call it "Kurdî" and recognise کوردی.
  { code: 'ckb', name: 'کوردی', dir: 'rtl' },
  // Northern Kurdish twice, by script: Kurmanji readers from Turkey and Syria read the Latin (Hawar) alphabet,
  // Badini readers from Iraqi Kurdistan the Arabic one. Each name says which is which in the other's eyes too:
  // the dialect's own name and the script, so that neither is taken for Sorani's کوردی.
  { code: 'kmr', name: 'Kurmancî (latînî)', dir: 'ltr' },
  { code: 'kmr-Arab', name: 'بادینی (کوردی)', dir: 'rtl' },
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

/**
 * Browser language tags (lower case) that name one of our languages differently. Plain "ku" is Kurmanji, Kurdish in
 * Latin script being the tag's default (CLDR's ku is Latn). "ku-Arab" stays Sorani: a browser set to Kurdish in
 * Arabic script is far more often a Sorani reader's (Sorani has no other script, and Windows names Central
 * Kurdish "ku-Arab-IQ"), while a Badini reader who asks for northern Kurdish in Arabic script says so with
 * "kmr-Arab" and gets it.
 */
const aliases: Record<string, string> = { no: 'nb', 'fa-af': 'prs', ku: 'kmr', 'ku-arab': 'ckb' };
/** Tags compare case-blind (BCP 47 says case carries no meaning): "kmr-arab" is our "kmr-Arab". */
const byLowerCode = new Map(languages.map((l) => [l.code.toLowerCase(), l.code]));

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
    // The whole tag, then without its region ("ku-arab-iq" → "ku-arab"), then the language alone.
    const parts = tag.split('-');
    for (const t of new Set([tag, parts.slice(0, 2).join('-'), parts[0]!])) {
      for (const candidate of [aliases[t], byLowerCode.get(t) ?? t]) {
        if (candidate && offered.includes(candidate)) return candidate;
      }
    }
  }
  return undefined;
}
