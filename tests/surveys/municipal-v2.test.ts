// The municipal survey's second version as the 2018 review asks for it: Part A keeps the chief executive's overall
// ratings, the detailed ones are a delegable section, the new items offer "don't know", and no item leaves its
// period undefined.
import { describe, expect, it } from 'vitest';
import { compileInstrument } from '../../server/surveys/compile.ts';
import { findLocalizableStrings } from '../../server/surveys/localizable.ts';
import { readInstrumentSource } from '../../server/surveys/source.ts';
import { realPaths } from '../helpers/surveys.ts';

type Json = Record<string, any>;
const source = readInstrumentSource(realPaths.surveysDir, 'municipal-survey');
const pages: Json[] = source.modules.flatMap((m) => m.pages.map((p) => ({ ...p, module: m.id })));
const pageOf = (code: string) => pages.find((p) => p.elements.some((e: Json) => e.name === code))!;
const question = (code: string): Json => pageOf(code).elements.find((e: Json) => e.name === code);

describe('the municipal survey, version 2', () => {
  it("keeps only the chief executive's overarching ratings of the directorate in Part A", () => {
    const partA = pages
      .filter((p) => p.module === 'part-a')
      .flatMap((p) => p.elements.map((e: Json) => e.name));
    expect(partA).toContain('m_imdi_satisfaction_overall');
    for (const detailed of ['m_imdi_satisfaction_areas', 'm_imdi_statements']) {
      expect(partA).not.toContain(detailed);
      expect(pageOf(detailed)).toMatchObject({ module: 'imdi-services', delegable: true });
    }
  });

  it('asks what the review names, with "don\'t know" (98) on every new scale', () => {
    expect(source.missingCodes['98']).toBe('dont_know');
    for (const code of ['m_imdi_business_help_trend', 'm_imdi_help_importance', 'm_imdi_help_wanted']) {
      expect(pageOf(code)).toMatchObject({ module: 'imdi-services', delegable: true });
      const q = question(code);
      expect(
        (q.choices ?? q.columns).map((c: Json) => c.value),
        code,
      ).toContain(98);
    }
    expect(question('m_imdi_help_importance').type).toBe('matrix');
    const wanted = question('m_imdi_help_wanted');
    expect(wanted).toMatchObject({ type: 'checkbox', showOtherItem: true });
    expect(wanted.choices.find((c: Json) => c.value === 98).isExclusive).toBe(true);
  });

  it("adds the interpreting survey's figures as bounded numbers", () => {
    for (const [code, max] of [
      ['m_interp_assignments', 200_000],
      ['m_interp_share_cat_1_3', 100],
      ['m_interp_share_cat_4_5', 100],
      ['m_interp_spending', 1_000_000_000],
    ] as const)
      expect(question(code), code).toMatchObject({ type: 'text', inputType: 'number', min: 0, max });
    expect(question('m_interp_languages_needed')).toMatchObject({
      maxSelectedChoices: 5,
      showOtherItem: true,
    });
  });

  it('names every period with a wave year, in the source and in every language', () => {
    const compiled = compileInstrument(source, realPaths.localesDir);
    const relative = /\b(i fjor|i år|neste år|det siste året)\b/i;
    const texts = [...compiled.sourceStrings.values()];
    expect(texts.filter((t) => relative.test(t))).toEqual([]);
    // The check can fail: the first version said "i fjor".
    expect(relative.test('Hvor mange flyktninger ble faktisk bosatt i kommunen i fjor?')).toBe(true);
    const yearly = findLocalizableStrings(compiled.definition).filter((s) =>
      /\{(previousYear|referenceYear|nextYear)\}/.test(String((s.holder[s.prop] as Json).default)),
    );
    expect(yearly.length).toBeGreaterThanOrEqual(25);
    for (const s of yearly) {
      const byLocale = s.holder[s.prop] as Record<string, string>;
      const wanted = byLocale.default!.match(/\{\w+Year\}/g)!.sort();
      for (const l of compiled.locales.filter((x) => !x.source))
        expect(byLocale[l.locale]?.match(/\{\w+Year\}/g)?.sort(), `${s.key} ${l.locale}`).toEqual(wanted);
    }
  });
});
