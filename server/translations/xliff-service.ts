// XLIFF download and upload of one language of a version, for translators' CAT tools. Reuses the XLIFF 2.0 code
// of the source workflow (server/surveys/xliff.ts); an upload makes every string whose text it changes a draft.
import type { Db } from '../db/connect.ts';
import { ValidationError } from '../http/errors.ts';
import { lockInstrument } from '../surveys/queries.ts';
import type { TranslationFile } from '../surveys/translations.ts';
import { exportXliff, importXliff } from '../surveys/xliff.ts';
import * as q from './queries.ts';
import { loadVersion, statesOf, targetLocale, type VersionRef } from './service.ts';
import type { StringState } from './version-strings.ts';

/** The language as a translation file: current texts with their hash, stale ones with a hash that no longer fits. */
function asTranslationFile(states: StringState[]): TranslationFile {
  const file: TranslationFile = {};
  for (const s of states) {
    if (s.text === null) continue;
    file[s.key] = {
      source: s.source,
      sourceHash: s.status === 'stale' ? '0000000000000000' : s.sourceHash,
      text: s.text,
      status: s.status === 'stale' || s.status === 'missing' ? 'draft' : s.status,
    };
  }
  return file;
}

export async function downloadXliff(db: Db, ref: VersionRef, locale: string): Promise<string> {
  const v = await loadVersion(db, ref);
  const l = targetLocale(v, locale);
  const states = (await statesOf(db, v, [l])).get(locale)!;
  return exportXliff({
    instrumentId: ref.instrumentId,
    sourceLocale: v.locales.find((x) => x.source)?.locale ?? 'nb',
    locale,
    sources: new Map(v.strings.map((s) => [s.key, s.source])),
    translations: asTranslationFile(states),
  });
}

/**
 * Takes a translator's file: refused whole (nothing changes) unless it is this instrument and language and every
 * source string still matches. Each target that differs from the current text becomes a draft by the uploader.
 */
export async function uploadXliff(
  db: Db,
  ref: VersionRef,
  locale: string,
  xml: string,
  staffId: string,
  now: Date,
) {
  const trgLang = xml.match(/\btrgLang="([^"]+)"/)?.[1];
  if (trgLang !== locale) {
    throw new ValidationError(
      `The file is for language "${trgLang ?? 'none'}", not "${locale}".`,
      [{ name: 'trgLang', reason: `must be ${locale}` }],
      'xliff_wrong_language',
    );
  }
  return db.transaction().execute(async (trx) => {
    await lockInstrument(trx, ref.instrumentId);
    const v = await loadVersion(trx, ref);
    const l = targetLocale(v, locale);
    const states = (await statesOf(trx, v, [l])).get(locale)!;
    const current = asTranslationFile(states);
    let result: Awaited<ReturnType<typeof importXliff>>;
    try {
      result = await importXliff(xml, {
        instrumentId: ref.instrumentId,
        sources: new Map(v.strings.map((s) => [s.key, s.source])),
        translations: current,
      });
    } catch (err) {
      throw new ValidationError(
        `The file is not an XLIFF 2.0 file of ${ref.instrumentId}: ${(err as Error).message}`,
        [{ name: 'file', reason: 'an XLIFF 2.0 file downloaded from this page' }],
        'xliff_invalid',
      );
    }
    if (result.mismatched.length) {
      throw new ValidationError(
        `The file does not match version ${ref.version} of ${ref.instrumentId}; nothing was imported.`,
        result.mismatched.map((m) => ({ name: m.key, reason: m.reason })),
        'xliff_source_mismatch',
      );
    }
    const changed = states.filter((s) => {
      const next = result.translations[s.key];
      return next && next.text !== s.text;
    });
    await q.recordStringChanges(
      trx,
      { ...ref, locale, action: 'imported', staffId, at: now, withText: true },
      changed.map((s) => ({
        key: s.key,
        sourceHash: s.sourceHash,
        text: result.translations[s.key]!.text,
        status: 'draft' as const,
        editedBy: staffId,
      })),
    );
    return { locale, changed: changed.length, unchanged: result.imported - changed.length };
  });
}
