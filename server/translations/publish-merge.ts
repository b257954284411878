// Publishing the review work: the next version is compiled from the locale files with the working translations
// laid over them, so an edited and approved text reaches respondents with the next version (see service.ts).
import type { Executor } from '../audit/queries.ts';
import { readTranslations, sourceHash, type TranslationFile } from '../surveys/translations.ts';
import { listWorkingRows } from './queries.ts';

/** Each target language's file, with every working text that translates the current source wording over it. */
export async function withWorkingTranslations(
  db: Executor,
  instrumentId: string,
  targetLocales: string[],
  sourceStrings: Map<string, string>,
  localesDir: string,
): Promise<Map<string, TranslationFile>> {
  const rows = await listWorkingRows(db, instrumentId, targetLocales);
  const files = new Map(targetLocales.map((l) => [l, readTranslations(localesDir, l, instrumentId)]));
  for (const r of rows) {
    const source = sourceStrings.get(r.key);
    if (source === undefined || sourceHash(source) !== r.source_hash) continue;
    files.get(r.locale)![r.key] = { source, sourceHash: r.source_hash, text: r.text, status: r.status };
  }
  return files;
}
