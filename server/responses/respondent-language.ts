// The respondent's language: for interface texts and error messages, from locales/<lng>/respondent.json.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const cache = new Map<string, Record<string, string>>();

function messages(localesDir: string, locale: string): Record<string, string> {
  const key = `${localesDir}|${locale}`;
  let m = cache.get(key);
  if (!m) {
    const file = join(localesDir, locale, 'respondent.json');
    m = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
    cache.set(key, m);
  }
  return m;
}

/** A respondent-facing text in a language, falling back to bokmål (never to English mid-survey). */
export function respondentText(localesDir: string, locale: string, key: string): string | undefined {
  return messages(localesDir, locale)[key] ?? messages(localesDir, 'nb')[key];
}

/** A coarse device class from the user agent (paradata); the user agent itself is not stored. */
export function deviceClass(userAgent: string | undefined): 'mobile' | 'tablet' | 'desktop' | 'unknown' {
  if (!userAgent) return 'unknown';
  if (/iPad|Tablet|Android(?!.*Mobile)/i.test(userAgent)) return 'tablet';
  if (/Mobi|iPhone|Android/i.test(userAgent)) return 'mobile';
  return 'desktop';
}
