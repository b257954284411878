// The answers reader must give exactly what JSON.parse gives, for any jsonb text PostgreSQL can send, including the
// awkward ones: escapes, nested quotes and brackets inside strings, numbers of every form, keys outside the set.
import { describe, expect, it } from 'vitest';
import { answersReader } from './answers-text.ts';

/** What JSON.parse gives, compared without the template's unset keys (they read as undefined either way). */
function same(text: string, keys: string[] = ['q1', 'q2', 'q3']) {
  const got = answersReader(keys)(text);
  const defined = Object.fromEntries(Object.entries(got).filter(([, v]) => v !== undefined));
  expect(defined).toEqual(JSON.parse(text));
  for (const k of keys) expect(got[k]).toEqual((JSON.parse(text) as Record<string, unknown>)[k]);
}

describe('answersReader', () => {
  it('reads what jsonb sends: spaces after colons and commas, keys in jsonb order', () => {
    same('{"q1": 3, "q2": [2, 5], "q3": "Bra."}');
    same('{}');
    same('{"q1": null, "q2": true, "q3": false}');
  });

  it('reads numbers of every form exactly', () => {
    same('{"q1": 0, "q2": 98, "q3": 1234567890123}');
    same('{"q1": -1, "q2": 1.5, "q3": 2.5e-7}');
    same('{"q1": 123456789, "q2": 1E+21, "q3": 0.1}');
  });

  it('reads text with escapes, quotes, brackets, commas and other scripts', () => {
    same(
      String.raw`{"q1": "Det er \"greit\", synes jeg;\nikke mer.", "q2": "a\\b", "q3": "\u00e6\u00f8\u00e5"}`,
    );
    same('{"q1": "}{][,:", "q2": "البرنامج جيد، شكرا", "q3": "ኣዝዩ ጽቡቕ እዩ"}');
    same(String.raw`{"q1": "ends with a backslash \\", "q2": "=HYPERLINK(\"x\")"}`);
  });

  it('reads nested lists and grids, with strings holding brackets inside them', () => {
    same('{"q1": {"r1": 3, "r2": 98}, "q2": [{"a": "]}"}, {"a": [1, [2]]}], "q3": ["x", "y"]}');
  });

  it('keeps keys outside the set, and falls back to JSON.parse for escaped keys', () => {
    same('{"other": 1, "q1-Comment": "fritekst", "q2": 2}');
    same(String.raw`{"q\"1": 1, "q2": 2}`);
  });

  it('gives every row one shape, however many of the keys it answers', () => {
    const read = answersReader(['q1', 'q2', 'q3']);
    expect(Object.keys(read('{"q3": 1}'))).toEqual(Object.keys(read('{"q1": 1, "q2": 2}')));
  });

  it('rejects text that is not JSON, as JSON.parse does', () => {
    const read = answersReader(['q1']);
    expect(() => read('{"q1": }')).toThrow(SyntaxError);
    expect(() => read('{"q1": 1,}')).toThrow(SyntaxError);
    expect(() => read('{"q1": "open')).toThrow(SyntaxError);
    expect(() => read('{"q1": 1} x')).toThrow(SyntaxError);
  });

  it('agrees with JSON.parse on many generated answers', () => {
    const values = [
      0,
      7,
      98,
      -3,
      2.25,
      'tekst',
      'med "sitat"',
      'linje\nskift',
      [1, 2],
      [],
      { r1: 1 },
      null,
      true,
    ];
    const read = answersReader(['a', 'b', 'c', 'd']);
    for (let seed = 1; seed < 500; seed += 1) {
      const o: Record<string, unknown> = {};
      for (const [i, k] of ['a', 'b', 'c', 'd', 'e'].entries())
        if ((seed >> i) & 1) o[k] = values[(seed * (i + 3)) % values.length];
      // jsonb's text: a space after every colon and comma.
      const text = JSON.stringify(o).replace(/":/g, '": ').replace(/,"/g, ', "');
      const got = read(text);
      expect(Object.fromEntries(Object.entries(got).filter(([, v]) => v !== undefined))).toEqual(
        JSON.parse(text),
      );
    }
  });
});
