// What each kind of link may see of a response: a participant and a chief executive see all of it; a delegate
// sees its own sections, plus (read-only) the outside values its conditions name, so they evaluate as for anyone.
import type { AnswerMeta } from '../db/schema.ts';
import type { SectionMap } from '../delegation/sections.ts';
import type { Link } from './links.ts';

type Json = Record<string, unknown>;

/** The answer keys a link may read; null means all of them. */
export function readableCodes(link: Link, map: SectionMap | null): Set<string> | null {
  if (link.role !== 'delegate' || !map) return null;
  const mine = new Set(link.sections);
  return new Set(map.sections.filter((s) => mine.has(s.name)).flatMap((s) => s.codes));
}

export function pick<T>(record: Record<string, T>, codes: Set<string> | null): Record<string, T> {
  if (!codes) return { ...record };
  return Object.fromEntries(Object.entries(record).filter(([k]) => codes.has(k)));
}

/** The definition with only these pages (a delegate's sections). */
export function withPages(definition: Json, pages: string[]): Json {
  const keep = new Set(pages);
  return {
    ...definition,
    pages: ((definition.pages ?? []) as Json[]).filter((p) => keep.has(String(p.name))),
  };
}

/**
 * Names that expressions and text piping in these pages refer to (`{code}`, `{code.row}`, `{code[0]}`): a
 * delegate's page needs their values to evaluate `visibleIf` and the like as the whole response would.
 */
export function referencedNames(pages: Json): Set<string> {
  const names = new Set<string>();
  for (const m of JSON.stringify(pages).matchAll(/\{([A-Za-z_][A-Za-z0-9_-]*)/g)) names.add(m[1]!);
  return names;
}

/**
 * The revision of each readable answer, cleared ones included (ADR 5): the client sends it back as the base of
 * its next change. Page keys (`$page…`) are not answers.
 */
export function revisionsOf(
  meta: Record<string, AnswerMeta>,
  codes: Set<string> | null,
): Record<string, number> {
  const revs: Record<string, number> = {};
  for (const [code, m] of Object.entries(meta)) {
    if (code.startsWith('$') || (codes && !codes.has(code))) continue;
    revs[code] = Number(m.rev ?? 0);
  }
  return revs;
}

/** The role behind a stored `by`. */
export function roleOfWriter(by: string | undefined): 'respondent' | 'chief_executive' | 'delegate' {
  if (by?.startsWith('delegate:')) return 'delegate';
  return by === 'chief_executive' ? 'chief_executive' : 'respondent';
}
