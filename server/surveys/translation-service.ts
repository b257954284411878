// The translation workflow on instrument sources: status per language, XLIFF export and import.
import { readFileSync } from 'node:fs';
import { ValidationError } from '../http/errors.ts';
import { compileInstrument } from './compile.ts';
import { findLanguage } from './languages.ts';
import type { SurveyPaths } from './service.ts';
import { readInstrumentSource } from './source.ts';
import {
  type LanguageStatus,
  readTranslations,
  type TranslationStatus,
  translationFilePath,
  writeTranslations,
} from './translations.ts';
import { exportXliff, importXliff } from './xliff.ts';

function sourcesOf(paths: SurveyPaths, id: string) {
  const source = readInstrumentSource(paths.surveysDir, id, paths.projectRoot);
  return { source, compiled: compileInstrument(source, paths.localesDir) };
}

export function translationStatus(
  paths: SurveyPaths,
  ids: string[],
): { instrument: string; languages: LanguageStatus[] }[] {
  return ids.map((id) => ({ instrument: id, languages: sourcesOf(paths, id).compiled.languageStatus }));
}

function requireTarget(paths: SurveyPaths, id: string, locale: string) {
  const s = sourcesOf(paths, id);
  if (!s.source.targetLocales.includes(locale)) {
    throw new ValidationError(
      `${id} is not translated into "${locale}".`,
      [{ name: 'locale', reason: `one of ${s.source.targetLocales.join(', ')}` }],
      'unknown_locale',
    );
  }
  return s;
}

export async function exportTranslations(paths: SurveyPaths, id: string, locale: string): Promise<string> {
  const { source, compiled } = requireTarget(paths, id, locale);
  return exportXliff({
    instrumentId: id,
    sourceLocale: source.sourceLocale,
    locale,
    sources: compiled.sourceStrings,
    translations: readTranslations(paths.localesDir, locale, id),
  });
}

/** Imports an XLIFF file; refuses it whole (changing nothing) when any of its source strings no longer match. */
export async function importTranslations(paths: SurveyPaths, file: string, status?: TranslationStatus) {
  const xml = readFileSync(file, 'utf8');
  const header = xml.match(/<file\b[^>]*\bid="([^"]+)"/);
  const id = header?.[1];
  const locale = xml.match(/\btrgLang="([^"]+)"/)?.[1];
  if (!id || !locale) {
    throw new ValidationError('Not an XLIFF 2.0 file exported by Svar.', [
      { name: 'file', reason: 'needs <file id> and trgLang' },
    ]);
  }
  if (!findLanguage(locale))
    throw new ValidationError(`Unknown language ${locale}.`, [{ name: 'trgLang', reason: locale }]);
  const { compiled } = requireTarget(paths, id, locale);
  const result = await importXliff(
    xml,
    {
      instrumentId: id,
      sources: compiled.sourceStrings,
      translations: readTranslations(paths.localesDir, locale, id),
    },
    status,
  );
  if (result.mismatched.length) {
    throw new ValidationError(
      `${file} does not match the current source of ${id}; nothing was imported.`,
      result.mismatched.map((m) => ({ name: m.key, reason: m.reason })),
      'xliff_source_mismatch',
    );
  }
  writeTranslations(paths.localesDir, locale, id, result.translations);
  return {
    instrument: id,
    locale,
    imported: result.imported,
    file: translationFilePath(paths.localesDir, locale, id).slice(paths.projectRoot.length + 1),
  };
}
