// 24 real SurveyJS definitions written by others: each imports and publishes, or is refused with a precise reason.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInstrument } from '../../server/surveys/check.ts';
import { ImportRefused, importSurveyJs } from '../../server/surveys/import.ts';
import { publishInstrument } from '../../server/surveys/service.ts';
import { readTranslations } from '../../server/surveys/translations.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { fixturesDir } from '../helpers/surveys.ts';

const casesDir = join(fixturesDir, 'surveyjs-cases');
const cases = readdirSync(casesDir)
  .filter((f) => f.endsWith('.json'))
  .sort();

/**
 * Why each refused case is refused: the problem code and a fragment of the message naming the culprit. None is
 * today: names that are not codes get one, custom properties are kept (see import-rewrite.test.ts).
 */
const refused: Record<string, { code: string; names: string }> = {};

/** The names each case had to recode, as written by its author → the code import gave them. */
const recoded: Record<string, Record<string, string>> = {
  '01-product-feedback-multipage.json': { 'recommend friends': 'recommend_friends' },
  '10-triggers-visible-other.json': { 'Hot hatch': 'hot_hatch', 'Pony car': 'pony_car' },
  '15-quiz-timer-american-history.json': { civilwar: 'civilwar_2' },
  '20-tagbox-bound-to-paneldynamic.json': { 'relatives-source': 'relatives_source' },
};

function idOf(file: string) {
  return `case-${file.slice(0, 2)}`;
}

describe('importing SurveyJS definitions written elsewhere', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'svar-import-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const paths = () => ({
    projectRoot: root,
    surveysDir: join(root, 'surveys'),
    localesDir: join(root, 'locales'),
  });

  it('has all 24 cases', () => {
    expect(cases).toHaveLength(24);
  });

  it.each(cases)('%s imports and passes the check, or is refused precisely', (file) => {
    const json = JSON.parse(readFileSync(join(casesDir, file), 'utf8'));
    const run = () =>
      importSurveyJs({
        json,
        file,
        instrumentId: idOf(file),
        surveysDir: paths().surveysDir,
        localesDir: paths().localesDir,
      });
    const expected = refused[file];
    if (expected) {
      let error: unknown;
      try {
        run();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ImportRefused);
      const problem = (error as ImportRefused).problems.find(
        (p) => p.code === expected.code && p.message.includes(expected.names),
      );
      expect(problem, JSON.stringify((error as ImportRefused).problems.slice(0, 3))).toBeDefined();
      expect(problem?.location).toMatch(/\S/);
      return;
    }
    const result = run();
    expect(result.questions).toBeGreaterThan(0);
    for (const [sourceName, code] of Object.entries(recoded[file] ?? {}))
      expect(result.codes, sourceName).toContainEqual(expect.objectContaining({ sourceName, code }));
    const problems = checkInstrument(paths().surveysDir, idOf(file), paths().localesDir, root)
      // Languages a survey was only partly translated into stay incomplete; everything else must pass.
      .filter((p) => p.code !== 'missing_translation');
    expect(problems).toEqual([]);
  });

  it('splits localized strings into draft translation files', () => {
    // 12: English source with German and French; 03: German survey whose "default" strings are English.
    const de = readTranslations(paths().localesDir, 'de', 'case-12');
    expect(Object.values(de).length).toBeGreaterThan(0);
    expect(Object.values(de).every((e) => e.status === 'draft')).toBe(true);
    const en = readTranslations(paths().localesDir, 'en', 'case-03');
    expect(Object.keys(en).length).toBeGreaterThan(0);
  });

  it('keeps the custom properties of the scored cases and reports them', () => {
    const json = JSON.parse(readFileSync(join(casesDir, '17-rand36-health-survey.json'), 'utf8'));
    const r = importSurveyJs({ json, file: '17.json', instrumentId: 'case-17-again', ...paths() });
    expect(r.customProperties).toEqual({ radiogroup: ['domain'], choiceitem: ['score'] });
    const module = JSON.parse(
      readFileSync(join(paths().surveysDir, 'case-17-again', 'modules', 'main.json'), 'utf8'),
    );
    const first = module.pages[0].elements[0];
    expect(first.domain).toBeDefined();
    expect(first.choices[0].score).toBeDefined();
    // check accepts exactly the declared ones: drop `score` from the declaration and it is an error again.
    const check = () =>
      checkInstrument(paths().surveysDir, 'case-17-again', paths().localesDir, root).filter(
        (p) => p.code !== 'missing_translation',
      );
    expect(check()).toEqual([]);
    const instrumentFile = join(paths().surveysDir, 'case-17-again', 'instrument.json');
    const instrument = JSON.parse(readFileSync(instrumentFile, 'utf8'));
    instrument.settings.svarCustomProperties.choiceitem = [];
    writeFileSync(instrumentFile, JSON.stringify(instrument));
    expect(check()).toContainEqual(
      expect.objectContaining({ code: 'surveyjs_error', message: expect.stringContaining("'score'") }),
    );
  });

  it('reports a question without a name instead of dropping it', () => {
    const json = {
      pages: [
        {
          elements: [
            { type: 'text', title: 'Nameless' },
            { type: 'text', name: 'ok' },
          ],
        },
      ],
    };
    let error: unknown;
    try {
      importSurveyJs({ json, file: 'x.json', instrumentId: 'nameless', ...paths() });
    } catch (e) {
      error = e;
    }
    expect((error as ImportRefused).problems.map((p) => p.code)).toContain('missing_name');
  });

  describe.each(backends())('publishing the imported cases on $name', (backend) => {
    let t: TestDatabase;
    beforeAll(async () => {
      if (!backend.skip) t = await backend.open();
    });
    afterAll(async () => t?.close());

    it.skipIf(backend.skip)(
      'publishes every accepted case',
      async () => {
        const accepted = cases.filter((c) => !refused[c]);
        expect(accepted.length).toBe(24);
        for (const file of accepted) {
          const r = await publishInstrument(t.db, paths(), idOf(file), { kind: 'cli' });
          expect(r, file).toMatchObject({ version: 1, created: true });
        }
      },
      240_000,
    );
  });
});
