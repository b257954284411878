// Unit tests for the formula neutraliser shared by the CSV and XLSX writers.
import { describe, expect, it } from 'vitest';
import { neutraliseFormula } from './spreadsheet-safe.ts';

describe('neutraliseFormula', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+47 22 00 00 00', "'+47 22 00 00 00"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=cmd', "'\t=cmd"],
    ['\r=cmd', "'\r=cmd"],
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
  ])('prefixes %j with an apostrophe', (input, expected) => {
    expect(neutraliseFormula(input)).toBe(expected);
  });

  it('neutralises number-looking strings too, since they are text answers', () => {
    expect(neutraliseFormula('-5')).toBe("'-5");
    expect(neutraliseFormula('+5')).toBe("'+5");
  });

  it.each(['Lite fornøyd', 'ما مدى رضاك؟', 'ኣብ ኖርወይ', '5', '', ' =1+1', 'a=b', "'=already"])(
    'leaves %j alone',
    (input) => {
      expect(neutraliseFormula(input)).toBe(input);
    },
  );

  it('changes only the first character position, keeping the rest exact', () => {
    const s = '=A1&"ما مدى"';
    expect(neutraliseFormula(s).slice(1)).toBe(s);
  });
});
