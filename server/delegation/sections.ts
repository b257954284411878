// The sections of a municipal-survey version: its delegable pages and the answer codes each one holds. A version
// never changes, so the map is computed once per version and kept (small: names and codes only).
type Json = Record<string, unknown>;

export interface Section {
  /** The page's name: stable across versions, the unit of delegation. */
  name: string;
  /** The page title as compiled: a string, or SurveyJS's `{ default, <lng> }`. */
  title: unknown;
  /** Answer keys stored for the section: question codes (value names), and `<code>-Comment` for "other" text. */
  codes: string[];
  /** The module the page comes from (`svarModule`): a wave offers only the sections of the modules it runs. */
  module?: string | null;
}

export interface SectionMap {
  sections: Section[];
  /** Answer key → delegable section; keys of pages that cannot be delegated (Part A) are absent. */
  sectionOf: Map<string, string>;
  /** Every answer key of the version, delegable or not. */
  allCodes: Set<string>;
}

export function collectCodes(elements: unknown, into: string[]): void {
  if (!Array.isArray(elements)) return;
  for (const el of elements as Json[]) {
    // Panels hold questions; a dynamic panel's questions live inside its own value, so it counts as one code.
    if (el.type === 'panel' || el.type === 'flowpanel') {
      collectCodes(el.elements, into);
      continue;
    }
    if (el.type === 'html' || el.type === 'image' || typeof el.name !== 'string') continue;
    const code = typeof el.valueName === 'string' ? el.valueName : el.name;
    into.push(code, `${code}-Comment`);
  }
}

/** Reads the section map out of a compiled definition (pure). */
export function sectionMapOf(definition: Json): SectionMap {
  const sections: Section[] = [];
  const sectionOf = new Map<string, string>();
  const allCodes = new Set<string>();
  for (const page of (definition.pages ?? []) as Json[]) {
    const codes: string[] = [];
    collectCodes(page.elements, codes);
    for (const c of codes) allCodes.add(c);
    if (page.delegable !== true || typeof page.name !== 'string') continue;
    const module = typeof page.svarModule === 'string' ? page.svarModule : null;
    sections.push({ name: page.name, title: page.title ?? page.name, codes, module });
    for (const c of codes) sectionOf.set(c, page.name);
  }
  return { sections, sectionOf, allCodes };
}

/**
 * The sections a wave offers: those of the modules it runs (null: all). Keys of the other sections are left out of
 * `sectionOf` too, so nothing can be delegated or written there; `allCodes` stays the version's.
 */
export function sectionMapOfModules(map: SectionMap, modules: readonly string[] | null): SectionMap {
  if (!modules) return map;
  const sections = map.sections.filter((s) => !s.module || modules.includes(s.module));
  const sectionOf = new Map(sections.flatMap((s) => s.codes.map((c) => [c, s.name] as const)));
  return { sections, sectionOf, allCodes: map.allCodes };
}

const cache = new Map<string, SectionMap>();

/**
 * The section map of a published version as a wave runs it (`modules`, the wave's; null: every module), read once
 * per process and kept per version and module list: both never change.
 */
export async function sectionMapFor(
  versionId: string,
  load: () => Promise<Json>,
  modules: readonly string[] | null = null,
): Promise<SectionMap> {
  const key = modules ? `${versionId}:${modules.join(',')}` : versionId;
  const hit = cache.get(key);
  if (hit) return hit;
  const whole = cache.get(versionId) ?? sectionMapOf(await load());
  if (cache.size > 200) cache.clear();
  cache.set(versionId, whole);
  const map = sectionMapOfModules(whole, modules);
  cache.set(key, map);
  return map;
}

/** The sections an answer set touches, and the keys that belong to no delegable section. */
export function sectionsTouched(map: SectionMap, codes: string[]): { sections: string[]; outside: string[] } {
  const sections = new Set<string>();
  const outside: string[] = [];
  for (const code of codes) {
    const s = map.sectionOf.get(code);
    if (s) sections.add(s);
    else outside.push(code);
  }
  return { sections: [...sections], outside };
}
