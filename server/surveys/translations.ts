// Survey translations: a file per language and instrument (locales/<lng>/surveys/<instrument>.json). Each string
// records the hash of the source text it translates and its TRAPD status; a changed source makes it stale.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

export const translationStatuses = ['draft', 'reviewed', 'approved'] as const;
export type TranslationStatus = (typeof translationStatuses)[number];

const entrySchema = z
  .object({
    source: z.string(),
    sourceHash: z.string().regex(/^[0-9a-f]{16}$/),
    text: z.string(),
    status: z.enum(translationStatuses),
  })
  .strict();
export type TranslationEntry = z.infer<typeof entrySchema>;
const fileSchema = z.record(z.string(), entrySchema);
export type TranslationFile = Record<string, TranslationEntry>;

/** 64 bits of SHA-256 of the source text: enough to notice any change, short enough to read in a diff. */
export function sourceHash(text: string): string {
  return createHash('sha256').update(text.normalize('NFC'), 'utf8').digest('hex').slice(0, 16);
}

export function translationFilePath(localesDir: string, locale: string, instrumentId: string): string {
  return join(localesDir, locale, 'surveys', `${instrumentId}.json`);
}

export function readTranslations(localesDir: string, locale: string, instrumentId: string): TranslationFile {
  const file = translationFilePath(localesDir, locale, instrumentId);
  if (!existsSync(file)) return {};
  const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/** Writes with sorted keys and one entry per line block, so reviews and merges read well. */
export function writeTranslations(
  localesDir: string,
  locale: string,
  instrumentId: string,
  t: TranslationFile,
): void {
  const file = translationFilePath(localesDir, locale, instrumentId);
  mkdirSync(dirname(file), { recursive: true });
  const sorted = Object.fromEntries(
    Object.keys(t)
      .sort()
      .map((k) => [k, t[k]]),
  );
  writeFileSync(file, `${JSON.stringify(sorted, null, 2)}\n`);
}

export type StringState = 'missing' | 'stale' | TranslationStatus;

export function stateOf(entry: TranslationEntry | undefined, source: string): StringState {
  if (!entry) return 'missing';
  if (entry.sourceHash !== sourceHash(source)) return 'stale';
  return entry.status;
}

export interface LanguageStatus {
  locale: string;
  total: number;
  missing: number;
  stale: number;
  draft: number;
  reviewed: number;
  approved: number;
  /** Usable strings whose text equals the source: usually not translated yet. */
  identical: number;
  /** Entries for strings the source no longer has. */
  obsolete: number;
  /** Every string present and current. */
  complete: boolean;
  /** The least-advanced status over all strings, when complete. */
  level: TranslationStatus | null;
}

export function languageStatus(
  locale: string,
  sources: Map<string, string>,
  t: TranslationFile,
): LanguageStatus {
  const s: LanguageStatus = {
    locale,
    total: sources.size,
    missing: 0,
    stale: 0,
    draft: 0,
    reviewed: 0,
    approved: 0,
    identical: 0,
    obsolete: Object.keys(t).filter((k) => !sources.has(k)).length,
    complete: false,
    level: null,
  };
  for (const [key, source] of sources) {
    const state = stateOf(t[key], source);
    s[state] += 1;
    if ((state === 'draft' || state === 'reviewed' || state === 'approved') && t[key]!.text === source)
      s.identical += 1;
  }
  s.complete = s.missing === 0 && s.stale === 0;
  if (s.complete) s.level = s.draft > 0 ? 'draft' : s.reviewed > 0 ? 'reviewed' : 'approved';
  return s;
}
