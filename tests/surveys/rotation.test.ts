// The municipal survey's rotation plan: `check` finds each kind of mistake, with its file and location, and the
// real plan runs the report's rotating themes (settlement, the introduction programme) in alternate years.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkInstrument } from '../../server/surveys/check.ts';
import { themesOfYear } from '../../server/surveys/rotation.ts';
import { readInstrumentSource } from '../../server/surveys/source.ts';
import { realPaths } from '../helpers/surveys.ts';

const file = 'surveys/municipal-survey/instrument.json';

describe('the real rotation plan', () => {
  const source = readInstrumentSource(realPaths.surveysDir, 'municipal-survey');

  it('names every theme module, never a core one, and alternates settlement with the introduction programme', () => {
    const themes = source.modules.filter((m) => m.kind === 'theme').map((m) => m.id);
    expect(themes).toEqual(
      expect.arrayContaining(['theme-settlement', 'theme-intro-programme', 'theme-interpreters']),
    );
    const planned = new Set(Object.values(source.rotation ?? {}).flat());
    expect([...planned].sort()).toEqual([...themes].sort());
    // 2026 is the round version 1 ran, before the two in-depth themes existed.
    const years = Object.keys(source.rotation ?? {})
      .map(Number)
      .filter((year) => year >= 2027);
    expect(years.length).toBeGreaterThan(1);
    for (const year of years) {
      const deep = themesOfYear(source, year).filter((t) =>
        ['theme-settlement', 'theme-intro-programme'].includes(t),
      );
      expect(deep, String(year)).toHaveLength(1);
      expect(themesOfYear(source, year + 1)).not.toContain(deep[0]);
    }
    expect(themesOfYear(source, 1999)).toEqual([]);
  });
});

describe('check on a changed rotation plan', () => {
  let root: string;
  const check = () => checkInstrument(join(root, 'surveys'), 'municipal-survey', join(root, 'locales'), root);
  const setRotation = (rotation: unknown) => {
    const path = join(root, file);
    const instrument = JSON.parse(readFileSync(path, 'utf8'));
    instrument.rotation = rotation;
    writeFileSync(path, JSON.stringify(instrument));
  };
  const allThemes = {
    '2027': ['theme-settlement', 'theme-interpreters', 'theme-volunteering'],
    '2028': ['theme-intro-programme', 'theme-unaccompanied-minors'],
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'svar-rotation-'));
    cpSync(join(realPaths.surveysDir, 'municipal-survey'), join(root, 'surveys/municipal-survey'), {
      recursive: true,
    });
    cpSync(realPaths.localesDir, join(root, 'locales'), { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('passes the real plan and a plan that names every theme', () => {
    expect(check()).toEqual([]);
    setRotation(allThemes);
    expect(check()).toEqual([]);
  });

  it('refuses a module the instrument does not have', () => {
    setRotation({ ...allThemes, '2029': ['theme-housing'] });
    expect(check()).toEqual([
      {
        file,
        location: 'rotation.2029[0]',
        code: 'unknown_rotation_module',
        message: 'no module "theme-housing" in instrument.json\'s module list',
      },
    ]);
  });

  it('refuses a core module: it is asked every year', () => {
    setRotation({ ...allThemes, '2029': ['theme-settlement', 'core'] });
    expect(check()).toEqual([
      {
        file,
        location: 'rotation.2029[1]',
        code: 'core_module_in_rotation',
        message: '"core" is a core module, asked every year: only theme modules rotate',
      },
    ]);
  });

  it('refuses a theme that runs in no year', () => {
    setRotation({ '2027': ['theme-settlement'], '2028': ['theme-intro-programme'] });
    expect(check().map((d) => [d.file, d.location, d.code, d.message])).toEqual(
      ['theme-unaccompanied-minors', 'theme-interpreters', 'theme-volunteering'].map((id) => [
        file,
        'rotation',
        'theme_not_in_rotation',
        `theme module "${id}" runs in no year of the rotation plan`,
      ]),
    );
  });

  it.each(['27', '2027/28', 'next'])('refuses the year "%s": years have four digits', (year) => {
    setRotation({ ...allThemes, [year]: ['theme-settlement'] });
    expect(check()).toEqual([
      {
        file,
        location: `rotation.${year}`,
        code: 'invalid_rotation_year',
        message: `"${year}" is not a year: write it with four digits, e.g. "2027"`,
      },
    ]);
  });

  it('refuses a theme listed twice in one year', () => {
    setRotation({ ...allThemes, '2029': ['theme-settlement', 'theme-settlement'] });
    expect(check()).toEqual([
      {
        file,
        location: 'rotation.2029[1]',
        code: 'duplicate_rotation_module',
        message: '"theme-settlement" is listed twice for 2029',
      },
    ]);
  });

  it('refuses a plan that is not year → module list, as a source error', () => {
    setRotation(['theme-settlement']);
    expect(check()).toMatchObject([{ file, location: '(file)', code: 'invalid_source' }]);
  });
});
