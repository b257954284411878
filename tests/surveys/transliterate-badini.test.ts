// The Badini (kmr-Arab) drafts: Kurmanji's Hawar letters mapped to the Kurdish Arabic alphabet, with everything
// that is code (placeholders, tags, addresses) or not Kurdish (acronyms, quoted Norwegian terms) left alone.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { letterTable, transliterateBadini, writeBadiniDrafts } from '../../scripts/transliterate-badini.ts';
import { realPaths } from '../helpers/surveys.ts';

describe('transliterateBadini', () => {
  it('maps every Hawar letter, and only those', () => {
    expect(Object.keys(letterTable)).toHaveLength(31);
    expect(transliterateBadini('ç ş ê î û v x q j')).toBe('چ ش ئێ ئی و ڤ خ ق ژ');
  });

  it.each([
    ['pirs', 'پرس'], // short i is not written
    ['ji', 'ژ'],
    ['bernameyê', 'بەرنامەیێ'],
    ['Rapirsî', 'ڕاپرسی'], // a word-initial r is trilled, and capitals do not matter
    ['ew', 'ئەو'], // a word-initial vowel sits on hamza
    ['dûr', 'دوور'],
    ['şaredariyê', 'شارەداریێ'],
    ['hevkarî', 'ھەڤکاری'], // h is never the vowel ە
    ['Tu û ez', 'تو و ئەز'], // the conjunction û is a bare و
    ['xwendina', 'خوەندنا'],
  ])('%s → %s', (latin, arabic) => {
    expect(transliterateBadini(latin)).toBe(arabic);
  });

  it('leaves placeholders, markup, addresses and code literals untouched', () => {
    const text =
      "Silav {{name}}, <b>bersiv</b> bide {0} ji {1}&nbsp;li https://svar.example.no/s/abc an post@imdi.no. Divê 'true' be?";
    const out = transliterateBadini(text);
    for (const kept of [
      '{{name}}',
      '<b>',
      '</b>',
      '{0}',
      '{1}',
      '&nbsp;',
      'https://svar.example.no/s/abc',
      'post@imdi.no',
      "'true'",
    ])
      expect(out).toContain(kept);
    expect(out).toMatch(/^سلاڤ \{\{name\}\}، <b>بەرسڤ<\/b> بدە/);
    expect(out.endsWith('بە؟')).toBe(true);
    // Nothing Kurdish is left in Latin letters once the kept parts are taken out.
    const rest = out.replace(/\{\{name\}\}|<\/?b>|&nbsp;|https:\S+|post@imdi\.no|'true'/g, '');
    expect(rest).not.toMatch(/\p{Script=Latin}/u);
  });

  it('keeps acronyms, non-Hawar words and a Norwegian term quoted from the source in Latin letters', () => {
    expect(transliterateBadini('NAV û IMDi')).toBe('NAV و IMDi');
    expect(transliterateBadini('şêwirmend (programrådgiver)')).toBe('شێورمەند (programrådgiver)');
    const source = 'Deltar du i introduksjonsprogrammet?';
    expect(transliterateBadini('Tu beşdarî bernameyê (introduksjonsprogrammet) dibî?', source)).toBe(
      'تو بەشداری بەرنامەیێ (introduksjonsprogrammet) دبی؟',
    );
    // A Kurdish aside is not in the source, so it is transliterated.
    expect(transliterateBadini('(rave bike)', source)).toBe('(ڕاڤە بکە)');
  });

  it('keeps a decimal comma between digits', () => {
    expect(transliterateBadini('1,5 an 2, 3')).toBe('1,5 ئان 2، 3');
  });
});

describe('the kmr-Arab drafts in the repository', () => {
  const read = (dir: string, file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8'));

  it('are what the script writes from the Kurmanji drafts today', () => {
    const copy = mkdtempSync(join(tmpdir(), 'svar-badini-'));
    try {
      cpSync(realPaths.localesDir, copy, { recursive: true });
      const written = writeBadiniDrafts(copy).map((f) => f.slice(copy.length + 1));
      expect(written).toHaveLength(5);
      for (const file of written) expect(read(copy, file), file).toEqual(read(realPaths.localesDir, file));
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it.each(['municipal-survey', 'participant-survey'])(
    '%s: every Kurmanji string, same source hash, marked draft, placeholders intact',
    (id) => {
      const kmr = read(realPaths.localesDir, `kmr/surveys/${id}.json`);
      const badini = read(realPaths.localesDir, `kmr-Arab/surveys/${id}.json`);
      expect(Object.keys(badini)).toEqual(Object.keys(kmr));
      const markup = (s: string) => s.match(/\{[^}]*\}|<[^>]*>/g) ?? [];
      for (const [key, e] of Object.entries<{ sourceHash: string; text: string; status: string }>(badini)) {
        expect(e.sourceHash, key).toBe(kmr[key].sourceHash);
        expect(e.status, key).toBe('draft');
        expect(markup(e.text), key).toEqual(markup(kmr[key].text));
      }
    },
  );
});

/** The code points a WOFF 1.0 font maps (its cmap's format 4 and 12 subtables): the same subset as the woff2 served. */
function woffCodePoints(file: string): Set<number> {
  const b = readFileSync(file);
  let cmap: Buffer | undefined;
  for (let i = 0; i < b.readUInt16BE(12); i++) {
    const o = 44 + i * 20;
    if (b.toString('latin1', o, o + 4) !== 'cmap') continue;
    const raw = b.subarray(b.readUInt32BE(o + 4), b.readUInt32BE(o + 4) + b.readUInt32BE(o + 8));
    cmap = b.readUInt32BE(o + 8) === b.readUInt32BE(o + 12) ? raw : inflateSync(raw);
  }
  const points = new Set<number>();
  for (let i = 0; cmap && i < cmap.readUInt16BE(2); i++) {
    const st = cmap.readUInt32BE(8 + i * 8);
    if (cmap.readUInt16BE(st) === 4) {
      const segX2 = cmap.readUInt16BE(st + 6);
      for (let s = 0; s < segX2 / 2; s++) {
        const end = cmap.readUInt16BE(st + 14 + s * 2);
        for (let c = cmap.readUInt16BE(st + 16 + segX2 + s * 2); c <= end && c !== 0xffff; c++) points.add(c);
      }
    } else if (cmap.readUInt16BE(st) === 12) {
      for (let g = 0; g < cmap.readUInt32BE(st + 12); g++)
        for (let c = cmap.readUInt32BE(st + 16 + g * 12); c <= cmap.readUInt32BE(st + 20 + g * 12); c++)
          points.add(c);
    }
  }
  return points;
}

describe('the Arabic font the respondent page serves', () => {
  it.each([400, 700])('has every Arabic-script letter of the Badini drafts, weight %i', (weight) => {
    const font = join(
      realPaths.projectRoot,
      `node_modules/@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-${weight}-normal.woff`,
    );
    const points = woffCodePoints(font);
    const used = new Set<number>();
    for (const file of [
      'respondent.json',
      'mail.json',
      'surveys/participant-survey.json',
      'surveys/municipal-survey.json',
    ])
      for (const ch of readFileSync(join(realPaths.localesDir, 'kmr-Arab', file), 'utf8').match(
        /\p{Script=Arabic}/gu,
      ) ?? [])
        used.add(ch.codePointAt(0)!);
    for (const ch of 'ڕڵێۆەڤ') used.add(ch.codePointAt(0)!); // Kurdish letters Badini uses, whether the drafts do or not
    // fonts.css serves this file for U+0600-06FF (among others): every letter used must be there and in the font.
    expect([...used].filter((c) => c < 0x600 || c > 0x6ff)).toEqual([]);
    expect([...used].filter((c) => !points.has(c)).map((c) => String.fromCodePoint(c))).toEqual([]);
    // The check itself can fail: a letter of no font is missing.
    expect(points.has(0x10ffff)).toBe(false);
  });
});
