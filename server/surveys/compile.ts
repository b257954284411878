// Compiles an instrument's sources, modules and translations into one immutable, hashable version definition.
import { createHash } from 'node:crypto';
import type { VersionLocale } from '../db/schema.ts';
import { choiceLists } from '../reference/municipalities.ts';
import { directionOf, findLanguage } from './languages.ts';
import { findLocalizableStrings, type LocalizableString, visitDefinition } from './localizable.ts';
import { composeDefinition, type InstrumentSource } from './source.ts';
import {
  type LanguageStatus,
  languageStatus,
  readTranslations,
  stateOf,
  type TranslationFile,
} from './translations.ts';

type Json = Record<string, unknown>;

export type CompiledLocale = VersionLocale;

export interface CompiledVersion {
  instrumentId: string;
  title: string;
  unitType: 'participant' | 'municipality';
  sourceLocale: string;
  modules: { id: string; version: number; kind: 'core' | 'theme' }[];
  missingCodes: Record<string, string>;
  definition: Json;
  locales: CompiledLocale[];
  contentHash: string;
  /** Key → source text of every translatable string (the translation workflow works on these). */
  sourceStrings: Map<string, string>;
  languageStatus: LanguageStatus[];
}

/** JSON with sorted keys, so equal content always hashes alike. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Json)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The source-language text of a string as written in a source (plain, or SurveyJS's { default } form). */
function sourceText(s: LocalizableString): string {
  const v = s.holder[s.prop];
  return typeof v === 'string' ? v : String((v as Json).default ?? '');
}

/** The source strings, keyed stably (the first occurrence wins if a key repeats). */
function sourceStringsOf(strings: LocalizableString[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const s of strings) if (!map.has(s.key)) map.set(s.key, sourceText(s));
  return map;
}

function fillReferenceChoices(definition: Json): void {
  visitDefinition(definition, ({ obj }) => {
    const list = obj.svarChoicesFrom;
    if (typeof list === 'string' && choiceLists[list]) obj.choices = choiceLists[list]();
  });
}

export function compileInstrument(
  source: InstrumentSource,
  localesDir: string,
  translations?: Map<string, TranslationFile>,
): CompiledVersion {
  const definition = structuredClone(composeDefinition(source));
  const strings = findLocalizableStrings(definition);
  const sourceStrings = sourceStringsOf(strings);
  const files = new Map(
    source.targetLocales.map((l) => [l, translations?.get(l) ?? readTranslations(localesDir, l, source.id)]),
  );
  for (const s of strings) {
    const text = sourceText(s);
    const localized: Record<string, string> = { default: text };
    for (const [locale, file] of files) {
      const entry = file[s.key];
      const state = stateOf(entry, text);
      // Missing and stale strings are left out: the respondent then sees the source, and the version says so.
      if (entry && state !== 'missing' && state !== 'stale') localized[locale] = entry.text;
    }
    s.holder[s.prop] = localized;
  }
  fillReferenceChoices(definition);

  const status = [...files].map(([locale, file]) => languageStatus(locale, sourceStrings, file));
  const locales: CompiledLocale[] = [
    {
      locale: source.sourceLocale,
      name: findLanguage(source.sourceLocale)?.name ?? source.sourceLocale,
      dir: directionOf(source.sourceLocale),
      source: true,
      complete: true,
      status: 'source',
    },
    ...status.map((s) => ({
      locale: s.locale,
      name: findLanguage(s.locale)?.name ?? s.locale,
      dir: directionOf(s.locale),
      source: false,
      complete: s.complete,
      status: s.level ?? ('incomplete' as const),
    })),
  ];
  const modules = source.modules.map((m) => ({ id: m.id, version: m.version, kind: m.kind }));
  const contentHash = createHash('sha256')
    .update(
      canonicalJson({
        definition,
        modules,
        locales,
        missingCodes: source.missingCodes,
        unitType: source.unitType,
      }),
    )
    .digest('hex');
  return {
    instrumentId: source.id,
    title: source.title,
    unitType: source.unitType,
    sourceLocale: source.sourceLocale,
    modules,
    missingCodes: source.missingCodes,
    definition,
    locales,
    contentHash,
    sourceStrings,
    languageStatus: status,
  };
}
