import { describe, expect, it } from 'vitest';
import { waveLanguageProblems } from './wave-languages.ts';

const locales = [
  { locale: 'nb', complete: true, status: 'source' as const },
  { locale: 'nn', complete: true, status: 'approved' as const },
  { locale: 'ar', complete: true, status: 'draft' as const },
  { locale: 'ti', complete: false, status: 'incomplete' as const },
];

describe('languages a wave may offer', () => {
  it('accepts complete, reviewed languages with bokmål and nynorsk together', () => {
    expect(waveLanguageProblems(locales, ['nb', 'nn'], { allowDraft: false })).toEqual([]);
  });
  it('refuses drafts unless the wave is a pilot', () => {
    expect(
      waveLanguageProblems(locales, ['nb', 'nn', 'ar'], { allowDraft: false }).map((p) => p.locale),
    ).toEqual(['ar']);
    expect(waveLanguageProblems(locales, ['nb', 'nn', 'ar'], { allowDraft: true })).toEqual([]);
  });
  it('refuses incomplete and unknown languages, and bokmål without nynorsk', () => {
    const p = waveLanguageProblems(locales, ['nb', 'ti', 'xx'], { allowDraft: true });
    expect(p.map((x) => x.locale)).toEqual(['ti', 'xx', 'nn']);
  });
});
