// The demo's synthetic answers: valid codes only (the save path's own checker agrees), conditions honoured, the
// same answers for the same seed, and a respondent's satisfaction visible in the scales.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRng } from '../fieldwork/sampling.ts';
import { compileAnswerChecker } from '../responses/answer-checker.ts';
import { compileInstrument } from '../surveys/compile.ts';
import { readInstrumentSource } from '../surveys/source.ts';
import { syntheticAnswers } from './synthetic-answers.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const source = readInstrumentSource(join(root, 'surveys'), 'participant-survey', root);
const definition = compileInstrument(source, join(root, 'locales')).definition as Record<string, unknown>;
const checker = compileAnswerChecker(definition);
const who = (satisfaction: number, locale = 'ar') => ({ municipalityCode: '4601', locale, satisfaction });
const merged = (seed: string, satisfaction = 3.5, locale = 'ar') =>
  Object.assign(
    {},
    ...syntheticAnswers(definition, who(satisfaction, locale), createRng(seed)).map((p) => p.answers),
  );

describe('syntheticAnswers', () => {
  it('gives only answers the save path accepts, the required ones included', () => {
    for (let i = 0; i < 50; i++) {
      const answers = merged(`valid-${i}`, 1 + (i % 5), i % 2 ? 'nb' : 'ar');
      expect(checker.check(answers)).toEqual([]);
      expect(answers.p_municipality).toBe('4601');
      expect([1, 2, 3, 4, 5]).toContain(answers.p_overall_sat);
    }
  });

  it('leaves questions hidden by an earlier answer unanswered', () => {
    let hiddenSeen = 0;
    for (let i = 0; i < 50; i++) {
      const answers = merged(`conditions-${i}`);
      if (answers.p_plan_has !== 1) {
        hiddenSeen += 1;
        expect(answers.p_plan_involved).toBeUndefined();
      }
      if (answers.p_adv_has !== 1) expect(answers.p_adv_sat).toBeUndefined();
    }
    expect(hiddenSeen).toBeGreaterThan(0);
  });

  it('is reproducible from its seed and differs between seeds', () => {
    expect(merged('same')).toEqual(merged('same'));
    expect(merged('one')).not.toEqual(merged('other'));
  });

  it('moves the satisfaction scales with the respondent satisfaction', () => {
    const mean = (satisfaction: number) => {
      let sum = 0;
      for (let i = 0; i < 100; i++) sum += merged(`scale-${i}`, satisfaction).p_overall_sat as number;
      return sum / 100;
    };
    expect(mean(4.5) - mean(2)).toBeGreaterThan(1.5);
  });

  it('writes free text only where it is marked synthetic', () => {
    for (let i = 0; i < 60; i++) {
      const comment = merged(`comment-${i}`, 3, i % 2 ? 'nb' : 'en').p_comment;
      if (comment !== undefined) expect(comment).toMatch(/^(Syntetisk svar|Synthetic answer):/);
      expect(merged(`comment-${i}`, 3, 'ti').p_comment).toBeUndefined();
    }
  });
});
