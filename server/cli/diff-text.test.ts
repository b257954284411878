import { describe, expect, it } from 'vitest';
import { fieldChangeLines } from './diff-text.ts';

const title = (locale: string, from: string, to: string) => ({ field: 'title', locale, from, to });

describe('a question diff as text', () => {
  const changes = [
    title('ar', 'العام الماضي', '[previous year]'),
    title('nb', 'i fjor', 'i [året før]'),
    title('nn', 'i fjor', 'i [året før]'),
    title('en', 'last year', 'in [previous year]'),
    { field: 'required', from: true, to: false },
  ];

  it('shows a text changed in the source language once, naming the other languages', () => {
    expect(fieldChangeLines(changes, 'nb')).toEqual([
      '    title [nb]: "i fjor" → "i [året før]"',
      '      and in 3 more language(s): ar, nn, en',
      '    required: true → false',
    ]);
  });

  it('shows a change made in other languages only, and every language when asked', () => {
    const translationOnly = [title('ar', 'a', 'b')];
    expect(fieldChangeLines(translationOnly, 'nb')).toEqual(['    title [ar]: "a" → "b"']);
    expect(fieldChangeLines(changes, null)).toHaveLength(5);
  });
});
