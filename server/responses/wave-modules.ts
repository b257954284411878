// What a wave that runs only some modules (server/fieldwork/wave-modules.ts) leaves out of a version: the answer keys
// of the other modules' pages, which saves refuse, and the pages submit does not validate. The version definition
// stays one per version (and cacheable for good); the wave's module list is applied on top of it.
import { collectCodes } from '../delegation/sections.ts';
import { ValidationError } from '../http/errors.ts';

type Json = Record<string, unknown>;

/** Answer key → module, for every key on a page of a module the wave does not run (pure). */
export function codesOutsideModules(definition: Json, modules: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const page of (definition.pages ?? []) as Json[]) {
    const module = page.svarModule;
    if (typeof module !== 'string' || modules.includes(module)) continue;
    const codes: string[] = [];
    collectCodes(page.elements, codes);
    for (const c of codes) out.set(c, module);
  }
  return out;
}

/** The definition with only the pages of the wave's modules (null: all), for submit's survey-core pass. */
export function definitionOfModules(definition: Json, modules: readonly string[] | null): Json {
  if (!modules) return definition;
  const pages = (definition.pages ?? []) as Json[];
  return {
    ...definition,
    pages: pages.filter((p) => typeof p.svarModule !== 'string' || modules.includes(p.svarModule)),
  };
}

const cache = new Map<string, Map<string, string>>();

/** Kept per version and module list for the life of the process: neither ever changes. */
export async function codesOutsideWave(
  versionId: string,
  modules: readonly string[],
  load: () => Promise<Json>,
): Promise<Map<string, string>> {
  const key = `${versionId}:${modules.join(',')}`;
  let outside = cache.get(key);
  if (!outside) {
    outside = codesOutsideModules(await load(), modules);
    if (cache.size >= 100) cache.delete(cache.keys().next().value!);
    cache.set(key, outside);
  }
  return outside;
}

/** The refusal of answers to questions of modules the wave does not run (null: none such). */
export function notInWave(codes: string[], outside: Map<string, string>): ValidationError | null {
  const refused = codes.filter((c) => outside.has(c));
  if (!refused.length) return null;
  return new ValidationError(
    'Some questions are not asked in this wave.',
    refused.map((c) => ({ name: c, reason: `is in module ${outside.get(c)}, which this wave does not run` })),
    'question_not_in_wave',
  );
}
