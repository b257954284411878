// What a wave that runs only some modules leaves out of a version: pages, answer keys, delegable sections.
import { describe, expect, it } from 'vitest';
import { sectionMapOf, sectionMapOfModules } from '../delegation/sections.ts';
import { codesOutsideModules, definitionOfModules, notInWave } from './wave-modules.ts';

const definition = {
  pages: [
    { name: 'a', svarModule: 'core', elements: [{ type: 'text', name: 'q_core' }] },
    {
      name: 's_theme',
      svarModule: 'theme-x',
      delegable: true,
      elements: [
        { type: 'panel', name: 'p', elements: [{ type: 'radiogroup', name: 'q_x', valueName: 'q_x_value' }] },
        { type: 'html', name: 'intro' },
      ],
    },
    { name: 's_other', svarModule: 'theme-y', delegable: true, elements: [{ type: 'comment', name: 'q_y' }] },
  ],
};

describe('a wave of some modules', () => {
  it('leaves out the other modules answer keys, value names and comments included', () => {
    const outside = codesOutsideModules(definition, ['core', 'theme-y']);
    expect([...outside]).toEqual([
      ['q_x_value', 'theme-x'],
      ['q_x_value-Comment', 'theme-x'],
    ]);
    expect(notInWave(['q_core', 'q_y'], outside)).toBeNull();
    expect(notInWave(['q_core', 'q_x_value'], outside)).toMatchObject({
      status: 422,
      code: 'question_not_in_wave',
      invalidParams: [{ name: 'q_x_value', reason: expect.stringContaining('theme-x') }],
    });
  });

  it('keeps only its modules pages and sections; null keeps everything', () => {
    expect(definitionOfModules(definition, ['core']).pages).toEqual([definition.pages[0]]);
    expect(definitionOfModules(definition, null)).toBe(definition);
    const whole = sectionMapOf(definition);
    const map = sectionMapOfModules(whole, ['core', 'theme-y']);
    expect(map.sections.map((s) => s.name)).toEqual(['s_other']);
    expect(map.sectionOf.has('q_x_value')).toBe(false);
    expect(map.allCodes).toBe(whole.allCodes);
    expect(sectionMapOfModules(whole, null)).toBe(whole);
  });
});
