// A version's survey definition in one language, for the respondent page: immutable and the same for every
// respondent of a wave, so it has its own URL and is cached for good by browsers and proxies, while the view
// that carries a respondent's answers stays no-store. One language instead of twelve is about a tenth the bytes.
import type { Executor } from '../audit/queries.ts';
import { NotFoundError } from '../http/errors.ts';
import { languageCodes } from '../surveys/languages.ts';

type Json = Record<string, unknown>;

const localeKeys = new Set([...languageCodes, 'default']);

/** A SurveyJS localizable string: an object of language → text (`default` is the bokmål source). */
function isLocalized(value: Json): boolean {
  const entries = Object.entries(value);
  return entries.length > 0 && entries.every(([k, v]) => localeKeys.has(k) && typeof v === 'string');
}

/**
 * The definition with each localizable string cut to `locale`, plus the source text SurveyJS falls back to
 * (`default`, or `nb` where a string has no `default`): a string not yet translated still shows in bokmål.
 */
export function definitionInLanguage<T>(value: T, locale: string): T {
  if (Array.isArray(value)) return value.map((v) => definitionInLanguage(v, locale)) as T;
  if (!value || typeof value !== 'object') return value;
  const record = value as Json;
  if (isLocalized(record)) {
    const kept: Json = {};
    for (const key of ['default', 'nb', locale]) if (key in record) kept[key] = record[key];
    return kept as T;
  }
  return Object.fromEntries(
    Object.entries(record).map(([k, v]) => [k, definitionInLanguage(v, locale)]),
  ) as T;
}

export function definitionUrl(versionId: string, locale: string): string {
  return `/api/v1/definitions/${versionId}/${locale}`;
}

const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Serialised once per version and language: a census morning asks for the same few over and over. */
const cache = new Map<string, string>();

/** The JSON text of a version's definition in one of its languages; 404 for an unknown version or language. */
export async function definitionJson(db: Executor, versionId: string, locale: string): Promise<string> {
  const key = `${versionId}|${locale}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const row = uuidShape.test(versionId)
    ? await db
        .selectFrom('instrument_version')
        .select(['definition', 'locales'])
        .where('id', '=', versionId)
        .executeTakeFirst()
    : undefined;
  if (!row?.locales.some((l) => l.locale === locale))
    throw new NotFoundError('There is no such survey version in this language.');
  const json = JSON.stringify(definitionInLanguage(row.definition, locale));
  if (cache.size >= 200) cache.delete(cache.keys().next().value!);
  cache.set(key, json);
  return json;
}
