// `svar surveys check` catches each kind of problem, with its file and location; the real instruments pass.

import { Model } from 'survey-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkInstrument } from '../../server/surveys/check.ts';
import { compileInstrument } from '../../server/surveys/compile.ts';
import { findLocalizableStrings } from '../../server/surveys/localizable.ts';
import { checkAll } from '../../server/surveys/service.ts';
import { listInstrumentIds, readInstrumentSource } from '../../server/surveys/source.ts';
import {
  miniArabic,
  miniModule,
  realPaths,
  type SurveyWorkspace,
  surveyWorkspace,
} from '../helpers/surveys.ts';

describe('the real instruments', () => {
  const ids = listInstrumentIds(realPaths.surveysDir);

  it('are the participant and municipal surveys, and pass every check', () => {
    expect(ids).toEqual(['municipal-survey', 'participant-survey']);
    expect(checkAll(realPaths, ids)).toEqual([]);
  });

  it.each(ids)('%s has 40–70 core questions, stable codes and delegable sections where it should', (id) => {
    const source = readInstrumentSource(realPaths.surveysDir, id);
    const compiled = compileInstrument(source, realPaths.localesDir);
    const model = new Model(compiled.definition);
    expect(model.jsonErrors ?? []).toEqual([]);
    const core = source.modules.filter((m) => m.kind === 'core').flatMap((m) => m.pages);
    const coreQuestions = core.flatMap((p) =>
      (p.elements as { type: string }[]).filter((e) => e.type !== 'html'),
    );
    expect(coreQuestions.length).toBeGreaterThanOrEqual(40);
    expect(coreQuestions.length).toBeLessThanOrEqual(70);
    if (id === 'municipal-survey') {
      expect(source.modules.filter((m) => m.kind === 'theme').length).toBeGreaterThanOrEqual(2);
      const partB = model.pages.filter((p) => p.getPropertyValue('svarModule') !== 'part-a');
      expect(partB.length).toBeGreaterThan(0);
      expect(partB.every((p) => p.getPropertyValue('delegable') === true)).toBe(true);
      const partA = model.pages.filter((p) => p.getPropertyValue('svarModule') === 'part-a');
      expect(partA.every((p) => p.getPropertyValue('delegable') !== true)).toBe(true);
    }
  });

  it.each(ids)('%s loads in survey-core in every language with no missing string', (id) => {
    const compiled = compileInstrument(readInstrumentSource(realPaths.surveysDir, id), realPaths.localesDir);
    expect(compiled.locales.length).toBeGreaterThanOrEqual(12);
    for (const l of compiled.locales) expect(l.complete).toBe(true);
    expect(
      compiled.locales
        .filter((l) => l.dir === 'rtl')
        .map((l) => l.locale)
        .sort(),
    ).toEqual(['ar', 'ckb', 'fa', 'kmr-Arab', 'prs', 'ps', 'ur']);
    const strings = findLocalizableStrings(compiled.definition);
    for (const l of compiled.locales.filter((x) => !x.source)) {
      // Plain strings are reference lists (municipality names), which are not translated.
      const untranslated = strings.filter(
        (s) =>
          typeof s.holder[s.prop] !== 'string' &&
          typeof (s.holder[s.prop] as Record<string, string>)[l.locale] !== 'string',
      );
      expect(
        untranslated.map((s) => s.key),
        l.locale,
      ).toEqual([]);
      const model = new Model(compiled.definition);
      model.locale = l.locale;
      for (const q of model.getAllQuestions().filter((x) => x.getType() !== 'html')) {
        expect(q.locTitle.getLocaleText(l.locale), `${l.locale} ${q.name}`).not.toBe('');
      }
    }
  });
});

describe('check on a changed instrument', () => {
  let w: SurveyWorkspace;
  const check = () => checkInstrument(w.surveysDir, 'mini-survey', w.localesDir, w.projectRoot);
  beforeEach(() => {
    w = surveyWorkspace();
  });
  afterEach(() => w.remove());

  it('finds nothing wrong with the fixture as it is', () => {
    expect(check()).toEqual([]);
  });

  it('catches a missing translation', () => {
    w.editJson(miniArabic, (t) => delete t['q_why.title']);
    expect(check()).toEqual([
      {
        file: miniArabic,
        location: 'q_why.title',
        code: 'missing_translation',
        message: 'no ar translation',
      },
    ]);
  });

  it('catches a stale translation when the source text changes', () => {
    w.editJson(miniModule, (m) => (m.pages[0].elements[1].title = 'Hvorfor det?'));
    const found = check();
    expect(found.map((d) => [d.file, d.location, d.code])).toEqual([
      ['locales/nn/surveys/mini-survey.json', 'q_why.title', 'stale_translation'],
      [miniArabic, 'q_why.title', 'stale_translation'],
    ]);
  });

  it('catches a duplicate question code', () => {
    w.editJson(miniModule, (m) => (m.pages[0].elements[1].name = 'q_sat'));
    const d = check().find((x) => x.code === 'duplicate_code');
    expect(d).toMatchObject({ file: miniModule, location: 'pages[0].elements[1]' });
    expect(d?.message).toContain('q_sat');
  });

  it('catches a broken expression and a reference to an unknown question', () => {
    w.editJson(miniModule, (m) => (m.pages[0].elements[1].visibleIf = '{q_sat} = = 1'));
    expect(check().find((x) => x.code === 'broken_expression')).toMatchObject({
      file: miniModule,
      location: 'pages[0].elements[1].visibleIf',
    });
    w.editJson(miniModule, (m) => (m.pages[0].elements[1].visibleIf = '{q_nope} = 1'));
    expect(check().find((x) => x.code === 'broken_expression')?.message).toContain('{q_nope}');
  });

  it('catches a choice without a value code', () => {
    w.editJson(miniModule, (m) => m.pages[0].elements[0].choices.push({ text: 'Annet' }));
    expect(check().find((x) => x.code === 'choice_without_value')).toMatchObject({
      file: miniModule,
      location: 'pages[0].elements[0].choices[3]',
    });
  });

  it('catches unknown question types and properties, invalid codes and broken files', () => {
    w.editJson(miniModule, (m) => {
      m.pages[0].elements.push({ type: 'nosuchtype', name: 'q_x' });
      m.pages[0].elements[0].colour = 'red';
      m.pages[0].elements[1].name = 'q why';
    });
    const codes = check().map((d) => d.code);
    expect(codes).toContain('surveyjs_error');
    expect(codes).toContain('invalid_code');
    w.editJson('surveys/mini-survey/instrument.json', (i) => delete i.unitType);
    expect(check()).toEqual([
      expect.objectContaining({ file: 'surveys/mini-survey/instrument.json', code: 'invalid_source' }),
    ]);
  });
});
