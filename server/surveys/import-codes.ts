// SurveyJS accepts any question name ("recommend friends", "relatives-source", a whole sentence, the same name
// twice); Svar needs a valid, unique variable code. Import derives one from each name that is not, keeps the
// original as `svarSourceName` (shown in the codebook) and reports every change.
import { codePattern } from './check.ts';
import { registerImportProperties } from './import-properties.ts';
import type { Renames } from './import-rewrite.ts';
import { isElementPath, visitDefinition } from './localizable.ts';

type Json = Record<string, unknown>;

export interface CodeChange {
  location: string;
  /** The name as written in the SurveyJS definition ('' for an element that had none). */
  sourceName: string;
  code: string;
  reason: 'invalid_code' | 'duplicate_code' | 'missing_name' | 'invalid_value_name';
}

const noValueTypes = new Set(['html', 'image', 'panel', 'flowpanel']);
const maxLength = 64;
/** Letters NFKD does not take apart. */
const transliterations: Record<string, string> = {
  æ: 'ae',
  ø: 'o',
  œ: 'oe',
  ß: 'ss',
  þ: 'th',
  ð: 'd',
  đ: 'd',
  ł: 'l',
  ı: 'i',
};

/** A valid code for a name: transliterated, lower-case, runs of anything else as one `_`, at most 64 characters. */
export function codeFromName(name: string): string {
  const ascii = name
    .toLowerCase()
    .replace(/[æøœßþðđłı]/g, (c) => transliterations[c] ?? c)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');
  const code = ascii.replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  const lettered = /^[a-z]/.test(code) ? code : `q_${code}`.replace(/_+$/, '');
  return lettered.slice(0, maxLength).replace(/_+$/, '');
}

/** `base`, else base_2, base_3 … (cut so the suffix fits), the first not in `taken` (lower-cased). */
function uniqueCode(base: string, taken: Set<string>): string {
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '' : `_${n}`;
    const code = `${base.slice(0, maxLength - suffix.length).replace(/_+$/, '')}${suffix}`;
    if (!taken.has(code.toLowerCase())) {
      taken.add(code.toLowerCase());
      return code;
    }
  }
}

/**
 * Gives every element a usable name, in place: an invalid question name or valueName gets a derived code, a
 * repeated name a suffixed one (the first keeps it), a nameless html/image/panel a generated name. A nameless
 * question is left for import to refuse: what it records cannot be guessed. Returns the renames that references
 * must follow; a repeated name is not among them, since a reference to it meant the first.
 */
export function assignCodes(definition: Json): { changes: CodeChange[]; renames: Renames } {
  registerImportProperties();
  const elements: { obj: Json; path: string }[] = [];
  visitDefinition(definition, ({ obj, path }) => {
    if (typeof obj.type === 'string' && isElementPath(path)) elements.push({ obj, path });
  });
  // Names already valid are reserved first, so a derived code never takes a name used further on.
  const taken = new Set<string>();
  for (const { obj } of elements)
    if (typeof obj.name === 'string' && codePattern.test(obj.name)) taken.add(obj.name.toLowerCase());

  const changes: CodeChange[] = [];
  const renames = new Map<string, string>();
  const seen = new Set<string>();
  const rename = (obj: Json, path: string, prop: 'name' | 'valueName', reason: CodeChange['reason']) => {
    const sourceName = typeof obj[prop] === 'string' ? (obj[prop] as string) : '';
    const code =
      prop === 'valueName' && renames.has(sourceName.toLowerCase())
        ? renames.get(sourceName.toLowerCase())!
        : uniqueCode(codeFromName(sourceName || String(obj.type)), taken);
    obj[prop] = code;
    if (prop === 'name' && sourceName) obj.svarSourceName = sourceName;
    if (reason === 'invalid_code' || reason === 'invalid_value_name')
      renames.set(sourceName.toLowerCase(), code);
    changes.push({ location: path, sourceName, code, reason });
  };
  for (const { obj, path } of elements) {
    const hasValue = !noValueTypes.has(obj.type as string);
    const name = obj.name;
    if (typeof name !== 'string' || name === '') {
      if (!hasValue) rename(obj, path, 'name', 'missing_name');
      continue;
    }
    if (seen.has(name.toLowerCase())) rename(obj, path, 'name', 'duplicate_code');
    else if (hasValue && !codePattern.test(name)) rename(obj, path, 'name', 'invalid_code');
    seen.add(name.toLowerCase());
    if (typeof obj.valueName === 'string' && obj.valueName && !codePattern.test(obj.valueName))
      rename(obj, path, 'valueName', 'invalid_value_name');
  }
  return { changes, renames };
}
