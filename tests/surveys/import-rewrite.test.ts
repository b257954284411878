// Import gives names that are not codes a code and rewrites every reference: each kind of place a SurveyJS
// definition can name a question, in every language, leaving string literals that only look like names alone.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInstrument } from '../../server/surveys/check.ts';
import { buildCodebook } from '../../server/surveys/codebook.ts';
import { ImportRefused, importSurveyJs } from '../../server/surveys/import.ts';
import { codeFromName } from '../../server/surveys/import-codes.ts';
import { rewriteExpression, rewriteText } from '../../server/surveys/import-rewrite.ts';
import { readTranslations } from '../../server/surveys/translations.ts';

const renames = new Map([
  ['recommend friends', 'recommend_friends'],
  ['first name', 'first_name'],
]);

describe('deriving a code from a name', () => {
  it('transliterates, lower-cases and joins words with _', () => {
    expect(codeFromName('Hot hatch')).toBe('hot_hatch');
    expect(codeFromName('relatives-source')).toBe('relatives_source');
    expect(codeFromName('Størrelse på hæl')).toBe('storrelse_pa_hael');
    expect(codeFromName('Größe (cm)?')).toBe('grosse_cm');
    expect(codeFromName('1st choice')).toBe('q_1st_choice');
    expect(codeFromName('Were you seen within 15 minutes of your scheduled appointment time?')).toHaveLength(
      64,
    );
  });
});

describe('rewriting one expression or text', () => {
  it('renames variables and leaves a string literal that looks like a name alone', () => {
    const out = rewriteExpression("{recommend friends} > 3 and {other} = 'recommend friends'", renames);
    expect(out).toContain('{recommend_friends} > 3');
    expect(out).toContain("'recommend friends'");
    expect(out).not.toContain('{recommend friends}');
  });

  it('renames the parts of a path and a name passed to displayValue', () => {
    expect(rewriteExpression('{relatives[0].first name} notempty', renames)).toBe(
      '{relatives[0].first_name} notempty',
    );
    expect(rewriteExpression('{panel.first name} notempty', renames)).toBe('{panel.first_name} notempty');
    expect(rewriteExpression("displayValue('recommend friends', 3)", renames)).toBe(
      "displayValue('recommend_friends', 3)",
    );
  });

  it('leaves an expression without a renamed name exactly as written', () => {
    expect(rewriteExpression("{a}='x'  and {b}   notempty", renames)).toBe("{a}='x'  and {b}   notempty");
  });

  it('renames placeholders in text, keeping unknown ones and the rest of the text', () => {
    expect(rewriteText('You gave {recommend friends} of {max}, {Recommend Friends}!', renames)).toBe(
      'You gave {recommend_friends} of {max}, {recommend_friends}!',
    );
  });
});

function definition() {
  return {
    title: { default: 'Feedback about {recommend friends}', nb: 'Tilbakemelding om {recommend friends}' },
    completedHtml: { default: '<p>Thanks: {recommend friends}</p>', nb: '<p>Takk: {recommend friends}</p>' },
    calculatedValues: [{ name: 'doubled', expression: '{recommend friends} * 2' }],
    triggers: [
      { type: 'setvalue', expression: '{recommend friends} > 8', setToName: 'shared value', setValue: 'fan' },
      { type: 'copyvalue', expression: '{first name} notempty', fromName: 'first name', setToName: 'nick' },
      { type: 'skip', expression: '{recommend friends} < 2', gotoName: 'Why low' },
      {
        type: 'runexpression',
        expression: 'true',
        runExpression: '{recommend friends} + 1',
        setToName: 'nick',
      },
      // The old way: the question in `name`, the questions it shows in `questions`; `value` is an answer.
      {
        type: 'visible',
        name: 'recommend friends',
        operator: 'equal',
        value: 'Why low',
        questions: ['Why low'],
      },
    ],
    pages: [
      {
        name: 'p1',
        elements: [
          { type: 'rating', name: 'recommend friends', title: { default: 'Recommend?', nb: 'Anbefale?' } },
          {
            type: 'comment',
            name: 'Why low',
            visibleIf: "{recommend friends} < 5 and {shared value} <> 'recommend friends'",
            enableIf: '{recommend friends} notempty',
            requiredIf: '{recommend friends} < 3',
            title: { default: 'Why {recommend friends}?', nb: 'Hvorfor {recommend friends}?' },
            validators: [{ type: 'expression', expression: '{recommend friends} >= 0', text: 'Never' }],
          },
          { type: 'text', name: 'first name', defaultValueExpression: "displayValue('recommend friends')" },
          { type: 'text', name: 'nick', valueName: 'shared value' },
          { type: 'dropdown', name: 'echo', choicesFromQuestion: 'first name', choices: [] },
          { type: 'html', html: { default: 'You said {first name}', nb: 'Du sa {first name}' } },
        ],
      },
    ],
  };
}

describe('importing a definition whose names are not codes', () => {
  let root: string;
  const paths = () => ({ surveysDir: join(root, 'surveys'), localesDir: join(root, 'locales') });
  const read = (file: string) => JSON.parse(readFileSync(join(root, 'surveys', 'named', file), 'utf8'));
  let result: ReturnType<typeof importSurveyJs>;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'svar-import-rewrite-'));
    result = importSurveyJs({ json: definition(), file: 'x.json', instrumentId: 'named', ...paths() });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reports every new code with the name as written', () => {
    expect(result.codes.map((c) => [c.sourceName, c.code, c.reason])).toEqual([
      ['recommend friends', 'recommend_friends', 'invalid_code'],
      ['Why low', 'why_low', 'invalid_code'],
      ['first name', 'first_name', 'invalid_code'],
      ['shared value', 'shared_value', 'invalid_value_name'],
      ['', 'html', 'missing_name'],
    ]);
  });

  it('rewrites a reference in each kind of place, and no answer value', () => {
    const [q, why, first, nick, echo, html] = read('modules/main.json').pages[0].elements;
    expect(q).toMatchObject({ name: 'recommend_friends', svarSourceName: 'recommend friends' });
    expect(why.visibleIf).toContain('{recommend_friends} < 5');
    expect(why.visibleIf).toContain("{shared_value} != 'recommend friends'");
    expect(why.enableIf).toBe('{recommend_friends} notempty');
    expect(why.requiredIf).toContain('{recommend_friends} < 3');
    expect(why.validators[0].expression).toContain('{recommend_friends} >= 0');
    expect(first.defaultValueExpression).toBe("displayValue('recommend_friends')");
    expect(nick.valueName).toBe('shared_value');
    expect(echo.choicesFromQuestion).toBe('first_name');
    expect(html.name).toBe('html');
    expect(html.html).toBe('You said {first_name}');

    const { settings, title } = read('instrument.json');
    expect(title).toBe('Feedback about {recommend_friends}');
    expect(settings.completedHtml).toBe('<p>Thanks: {recommend_friends}</p>');
    expect(settings.calculatedValues[0].expression).toContain('{recommend_friends} * 2');
    const [setValue, copyValue, skip, run, visible] = settings.triggers;
    expect(setValue).toMatchObject({ expression: '({recommend_friends} > 8)', setToName: 'shared_value' });
    expect(copyValue).toMatchObject({ expression: '{first_name} notempty', fromName: 'first_name' });
    expect(skip.gotoName).toBe('why_low');
    expect(run.runExpression).toContain('{recommend_friends} + 1');
    expect(visible).toMatchObject({ name: 'recommend_friends', value: 'Why low', questions: ['why_low'] });
  });

  it('rewrites placeholders in the translated texts too', () => {
    const nb = readTranslations(paths().localesDir, 'nb', 'named');
    expect(nb['why_low.title']?.text).toBe('Hvorfor {recommend_friends}?');
    expect(nb['survey.title']?.text).toBe('Tilbakemelding om {recommend_friends}');
    expect(Object.values(nb).some((e) => e.text.includes('{first name}'))).toBe(false);
  });

  it('passes the check and keeps the source name in the codebook', () => {
    const problems = checkInstrument(paths().surveysDir, 'named', paths().localesDir, root).filter(
      (p) => p.code !== 'missing_translation',
    );
    expect(problems).toEqual([]);
    const codebook = buildCodebook(
      { pages: read('modules/main.json').pages },
      { sourceLocale: 'en', locales: ['en'], missingCodes: {} },
    );
    expect(codebook.variables[0]).toMatchObject({
      code: 'recommend_friends',
      sourceName: 'recommend friends',
    });
    expect(codebook.variables.find((v) => v.code === 'echo')?.sourceName).toBeUndefined();
  });

  it.each([
    ['an unknown question', '{nobody} > 1', 'references unknown question(s) {nobody}'],
    ['a syntax error', '{recommend friends} >', 'does not parse'],
  ])('refuses an expression naming %s, naming the element', (_what, visibleIf, reason) => {
    const json = definition();
    Object.assign(json.pages[0]!.elements[1]!, { visibleIf });
    let error: unknown;
    try {
      importSurveyJs({ json, file: 'x.json', instrumentId: 'broken', ...paths() });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ImportRefused);
    expect((error as ImportRefused).problems).toContainEqual({
      location: '$.pages[0].elements[1].visibleIf',
      code: 'broken_expression',
      message: expect.stringContaining(`visibleIf of why_low`),
    });
    expect((error as ImportRefused).problems[0]?.message).toContain(reason);
  });
});
