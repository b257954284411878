// Which modules a wave runs: pure, from the version's modules, the plan and the year (or the themes asked for).
import { describe, expect, it } from 'vitest';
import { chooseWaveModules, modulesOfDefinition, type ThemePlan } from './wave-modules.ts';

describe('choosing a wave modules', () => {
  const plan: ThemePlan = {
    kinds: new Map([
      ['core', 'core'],
      ['theme-a', 'theme'],
      ['theme-b', 'theme'],
    ]),
    rotation: { '2027': ['theme-a'] },
  };
  const version = ['core', 'theme-a', 'theme-b', 'gone'];

  it('runs core modules (and modules the sources no longer list) plus the year or the chosen themes', () => {
    expect(chooseWaveModules(version, plan, 2027, undefined)).toEqual(['core', 'theme-a', 'gone']);
    expect(chooseWaveModules(version, plan, 2031, ['theme-b'])).toEqual(['core', 'theme-b', 'gone']);
    expect(chooseWaveModules(version, null, 2027, undefined)).toBeNull();
    expect(chooseWaveModules(version, { ...plan, rotation: undefined }, 2027, undefined)).toBeNull();
  });

  it('refuses a year without a plan entry, core or unknown modules as themes, and a plan the version lacks', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return (err as { code: string }).code;
      }
      return null;
    };
    expect(code(() => chooseWaveModules(version, plan, 2031, undefined))).toBe('wave_year_not_in_rotation');
    expect(code(() => chooseWaveModules(version, plan, 2027, ['core']))).toBe('wave_themes_invalid');
    expect(code(() => chooseWaveModules(version, plan, 2027, ['theme-c']))).toBe('wave_themes_invalid');
    expect(code(() => chooseWaveModules(['core', 'theme-b'], plan, 2027, undefined))).toBe(
      'rotation_theme_not_in_version',
    );
  });
});

describe('the modules of a definition', () => {
  it('are its pages modules, once each, in page order', () => {
    const pages = [{ svarModule: 'a' }, { svarModule: 'b' }, { svarModule: 'a' }, {}];
    expect(modulesOfDefinition({ pages })).toEqual(['a', 'b']);
  });
});
