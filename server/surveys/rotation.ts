// The rotation plan of an instrument's theme modules ("rotation" in instrument.json: year → theme modules), checked
// against its module list. A version carries every module; the plan says which themes a year's wave is about.
import type { InstrumentSource } from './source.ts';

export interface RotationProblem {
  location: string;
  code: string;
  message: string;
}

const yearPattern = /^[0-9]{4}$/;

/** What is wrong with the plan: unknown or core modules, bad years, repeats, and themes no year runs. */
export function checkRotation(source: Pick<InstrumentSource, 'modules' | 'rotation'>): RotationProblem[] {
  const plan = source.rotation;
  if (!plan) return [];
  const kinds = new Map(source.modules.map((m) => [m.id, m.kind]));
  const out: RotationProblem[] = [];
  const planned = new Set<string>();
  for (const [year, modules] of Object.entries(plan)) {
    if (!yearPattern.test(year))
      out.push({
        location: `rotation.${year}`,
        code: 'invalid_rotation_year',
        message: `"${year}" is not a year: write it with four digits, e.g. "2027"`,
      });
    const seen = new Set<string>();
    modules.forEach((id, i) => {
      const location = `rotation.${year}[${i}]`;
      const kind = kinds.get(id);
      if (!kind)
        out.push({
          location,
          code: 'unknown_rotation_module',
          message: `no module "${id}" in instrument.json's module list`,
        });
      else if (kind !== 'theme')
        out.push({
          location,
          code: 'core_module_in_rotation',
          message: `"${id}" is a core module, asked every year: only theme modules rotate`,
        });
      if (seen.has(id))
        out.push({
          location,
          code: 'duplicate_rotation_module',
          message: `"${id}" is listed twice for ${year}`,
        });
      seen.add(id);
      planned.add(id);
    });
  }
  for (const m of source.modules)
    if (m.kind === 'theme' && !planned.has(m.id))
      out.push({
        location: 'rotation',
        code: 'theme_not_in_rotation',
        message: `theme module "${m.id}" runs in no year of the rotation plan`,
      });
  return out;
}

/** The theme modules the plan runs in a year (empty when the plan does not name the year). */
export function themesOfYear(source: Pick<InstrumentSource, 'rotation'>, year: number): string[] {
  return source.rotation?.[String(year)] ?? [];
}
