// The translatable strings of a published version, read back from its compiled definition, and the state of each
// string in one language: the version's own text, overridden by the working translation when that translates the
// same source wording.
import { findLocalizableStrings } from '../surveys/localizable.ts';
import { sourceHash, type TranslationStatus } from '../surveys/translations.ts';

type Json = Record<string, unknown>;

export type StringStatus = 'missing' | 'stale' | TranslationStatus;
export const stringStatuses = ['missing', 'stale', 'draft', 'reviewed', 'approved'] as const;

export interface VersionString {
  key: string;
  /** The module whose page holds the string; "survey" for the instrument's own title and texts. */
  module: string;
  source: string;
  sourceHash: string;
  /** The text the version carries in the language (what its respondents see), if any. */
  carried: Record<string, string>;
}

/** Every string the compiler localized (an object with "default"); reference lists filled in later are not. */
export function versionStrings(definition: Json): VersionString[] {
  const pages = (definition.pages ?? []) as Json[];
  const seen = new Set<string>();
  const out: VersionString[] = [];
  for (const s of findLocalizableStrings(definition)) {
    const value = s.holder[s.prop];
    if (!value || typeof value !== 'object' || seen.has(s.key)) continue;
    const { default: source, ...carried } = value as Record<string, string>;
    if (typeof source !== 'string') continue;
    seen.add(s.key);
    const page = s.path.match(/^\$\.pages\[(\d+)\]/)?.[1];
    const module = page === undefined ? 'survey' : String(pages[Number(page)]?.svarModule ?? 'survey');
    out.push({ key: s.key, module, source, sourceHash: sourceHash(source), carried });
  }
  return out;
}

export interface WorkingRow {
  key: string;
  source_hash: string;
  text: string;
  status: TranslationStatus;
  edited_by: string | null;
}

export interface StringState {
  key: string;
  module: string;
  source: string;
  sourceHash: string;
  /** The current translation: for a stale string, the old one (it translates other wording). */
  text: string | null;
  status: StringStatus;
  editedBy: string | null;
  /** Approved here, but not the text this version carries: respondents see it from the next version on. */
  waitingForNextVersion: boolean;
}

/**
 * One string's state in a language. `baseStatus` is what the version recorded for the language's texts (the
 * files' level when published); `previous` is the string in the version before, to tell stale from missing.
 */
export function stateOf(
  s: VersionString,
  locale: string,
  row: WorkingRow | undefined,
  baseStatus: TranslationStatus,
  previous: VersionString | undefined,
): StringState {
  const base = { key: s.key, module: s.module, source: s.source, sourceHash: s.sourceHash };
  const carried = s.carried[locale];
  if (row && row.source_hash === s.sourceHash) {
    return {
      ...base,
      text: row.text,
      status: row.status,
      editedBy: row.edited_by,
      waitingForNextVersion: row.status === 'approved' && row.text !== carried,
    };
  }
  if (carried !== undefined)
    return { ...base, text: carried, status: baseStatus, editedBy: null, waitingForNextVersion: false };
  const old =
    row?.text ?? (previous && previous.sourceHash !== s.sourceHash ? previous.carried[locale] : undefined);
  return {
    ...base,
    text: old ?? null,
    status: old === undefined ? 'missing' : 'stale',
    editedBy: null,
    waitingForNextVersion: false,
  };
}

export type StatusCounts = Record<StringStatus, number>;

export function countStatuses(states: Pick<StringState, 'status'>[]): StatusCounts {
  const counts: StatusCounts = { missing: 0, stale: 0, draft: 0, reviewed: 0, approved: 0 };
  for (const s of states) counts[s.status] += 1;
  return counts;
}
