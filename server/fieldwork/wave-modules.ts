// Which modules a wave runs: every core module of its version plus the theme modules its reference year's rotation
// plan names (instrument.json "rotation"; server/surveys/rotation.ts), or the themes chosen at creation. Stored on
// the wave once; the respondent page, saves, submit and delegation follow it (README, "instruments").
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../http/errors.ts';
import { themesOfYear } from '../surveys/rotation.ts';
import type { SurveyPaths } from '../surveys/service.ts';
import { readInstrumentSource, SourceError } from '../surveys/source.ts';
import { referenceYearOf } from '../surveys/wave-variables.ts';

/** What wave creation needs of an instrument's sources: each module's kind and the rotation plan. */
export interface ThemePlan {
  kinds: Map<string, 'core' | 'theme'>;
  rotation: Record<string, string[]> | undefined;
}

/**
 * The plan as the instrument's sources state it now: the plan is fieldwork planning, edited freely like the
 * sources, not part of a published version. Null when the sources are not here (an instrument stored from an
 * archive only): its waves then run every module.
 */
export function readThemePlan(paths: SurveyPaths, instrumentId: string): ThemePlan | null {
  if (!existsSync(join(paths.surveysDir, instrumentId, 'instrument.json'))) return null;
  try {
    const source = readInstrumentSource(paths.surveysDir, instrumentId, paths.projectRoot);
    return { kinds: new Map(source.modules.map((m) => [m.id, m.kind])), rotation: source.rotation };
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
    throw new ValidationError(
      "The instrument's sources cannot be read, so its rotation plan is unknown.",
      [{ name: 'instrument', reason: err.message }],
      'rotation_plan_unreadable',
    );
  }
}

/** The modules of a compiled definition, in page order (each page names its module as `svarModule`). */
export function modulesOfDefinition(definition: Record<string, unknown>): string[] {
  const pages = (definition.pages ?? []) as { svarModule?: unknown }[];
  return [...new Set(pages.map((p) => p.svarModule).filter((m): m is string => typeof m === 'string'))];
}

function themesRefused(reason: string, code: string, name = 'themes'): ValidationError {
  return new ValidationError('The wave cannot run these theme modules.', [{ name, reason }], code);
}

/**
 * The wave's module list, or null for every module (no plan and no themes asked for). Themes asked for must be
 * theme modules of the version; without them, the year must have a plan entry whose themes the version has.
 * A module of the version the sources no longer list counts as core: a question is never hidden on a guess.
 */
export function chooseWaveModules(
  versionModules: string[],
  plan: ThemePlan | null,
  year: number,
  themes: string[] | undefined,
): string[] | null {
  const kindOf = (id: string) => plan?.kinds.get(id) ?? 'core';
  const versionThemes = versionModules.filter((m) => kindOf(m) === 'theme');
  let chosen: string[];
  if (themes) {
    const bad = themes.filter((t) => !versionThemes.includes(t));
    if (bad.length)
      throw themesRefused(
        `not theme modules of this version: ${bad.join(', ')} (its themes: ${versionThemes.join(', ') || 'none'})`,
        'wave_themes_invalid',
      );
    chosen = themes;
  } else {
    if (!plan?.rotation) return null;
    chosen = themesOfYear(plan, year);
    if (!plan.rotation[String(year)])
      throw themesRefused(
        `the rotation plan has no entry for ${year}: add the year to instrument.json's "rotation" or choose the themes`,
        'wave_year_not_in_rotation',
        'year',
      );
    const missing = chosen.filter((t) => !versionModules.includes(t));
    if (missing.length)
      throw themesRefused(
        `the plan for ${year} names themes this version does not have: ${missing.join(', ')}; choose the themes`,
        'rotation_theme_not_in_version',
        'year',
      );
  }
  return versionModules.filter((m) => kindOf(m) !== 'theme' || chosen.includes(m));
}

/**
 * A wave's reference year (its opening date's year in Norway, else `now`'s), the modules it runs then (null: all)
 * and which of those are themes: for a new wave, and for a draft opening in another year (wave-year.ts).
 */
export function modulesOfWave(
  definition: Record<string, unknown>,
  plan: ThemePlan | null,
  wave: { opensAt?: Date | null | undefined; themes?: string[] | undefined },
  now: Date,
) {
  const year = referenceYearOf({ opensAt: wave.opensAt ?? null, openedAt: null }, now);
  const modules = chooseWaveModules(
    modulesOfDefinition(definition),
    plan,
    year,
    wave.themes && [...new Set(wave.themes)],
  );
  const themes = modules?.filter((m) => plan?.kinds.get(m) === 'theme') ?? null;
  return { year, modules, themes };
}
