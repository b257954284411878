// XLIFF 2.0 export and import of one instrument's translations into one language, for translators' CAT tools.
// Built on the `xliff` library. Each unit is named by its stable string key; two notes carry Svar's status and
// the source hash, so an export imported unchanged gives back exactly the same translation file.
import xliff from 'xliff';
import { directionOf } from './languages.ts';
import {
  sourceHash,
  type TranslationFile,
  type TranslationStatus,
  translationStatuses,
} from './translations.ts';

const nmtoken = /^[A-Za-z0-9._:-]+$/;

/** A valid XLIFF unit id for a key: the key itself where it is an NMTOKEN, else a hash of it. */
function unitId(key: string): string {
  return nmtoken.test(key) ? key : `k${sourceHash(key)}`;
}

export async function exportXliff(opts: {
  instrumentId: string;
  sourceLocale: string;
  locale: string;
  sources: Map<string, string>;
  translations: TranslationFile;
}): Promise<string> {
  const units: Record<string, unknown> = {};
  for (const [key, source] of opts.sources) {
    const entry = opts.translations[key];
    const current = entry && entry.sourceHash === sourceHash(source);
    units[unitId(key)] = {
      source,
      ...(current ? { target: entry.text } : {}),
      note: [
        `status: ${current ? entry.status : entry ? 'stale' : 'missing'}`,
        `source-hash: ${sourceHash(source)}`,
      ],
      additionalAttributes: { name: key, ...(directionOf(opts.locale) === 'rtl' ? { trgDir: 'rtl' } : {}) },
    };
  }
  return xliff.js2xliff({
    sourceLanguage: opts.sourceLocale,
    targetLanguage: opts.locale,
    resources: { [opts.instrumentId]: units },
  });
}

export interface XliffImport {
  instrumentId: string;
  locale: string;
  translations: TranslationFile;
  imported: number;
  /** Keys whose source text in the file is not the current source text: the file is refused if any. */
  mismatched: { key: string; reason: string }[];
}

interface ParsedUnit {
  source?: unknown;
  target?: unknown;
  note?: unknown;
  additionalAttributes?: Record<string, string>;
}

function textOf(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((p) => (typeof p === 'string' ? p : '')).join('');
  return String(v);
}

/**
 * Reads an XLIFF file back into a translation file for the current sources. Targets become the translations;
 * their status is the file's note, or `status` when given (a reviewer importing a reviewed file).
 */
export async function importXliff(
  xml: string,
  current: { instrumentId: string; sources: Map<string, string>; translations: TranslationFile },
  status?: TranslationStatus,
): Promise<XliffImport> {
  const parsed = (await xliff.xliff2js(xml)) as {
    sourceLanguage?: string;
    targetLanguage?: string;
    resources: Record<string, Record<string, ParsedUnit>>;
  };
  const locale = parsed.targetLanguage ?? '';
  const units = parsed.resources[current.instrumentId];
  if (!units) {
    const found = Object.keys(parsed.resources).join(', ') || 'none';
    throw new Error(`the file holds no strings of instrument ${current.instrumentId} (found: ${found})`);
  }
  const translations: TranslationFile = { ...current.translations };
  const mismatched: { key: string; reason: string }[] = [];
  let imported = 0;
  for (const [id, unit] of Object.entries(units)) {
    const key = unit.additionalAttributes?.name ?? id;
    const source = current.sources.get(key);
    const fileSource = textOf(unit.source) ?? '';
    if (source === undefined) {
      mismatched.push({ key, reason: 'the instrument no longer has this string' });
      continue;
    }
    if (source !== fileSource) {
      mismatched.push({ key, reason: 'the source text changed since this file was exported' });
      continue;
    }
    const target = textOf(unit.target);
    if (target === undefined || target === '') continue;
    const notes = (Array.isArray(unit.note) ? unit.note : [unit.note]).map(textOf);
    const noted = notes.map((n) => n?.match(/^status: (\w+)$/)?.[1]).find(Boolean);
    const fileStatus = translationStatuses.find((s) => s === noted) ?? 'draft';
    translations[key] = {
      source,
      sourceHash: sourceHash(source),
      text: target,
      status: status ?? fileStatus,
    };
    imported += 1;
  }
  return { instrumentId: current.instrumentId, locale, translations, imported, mismatched };
}
