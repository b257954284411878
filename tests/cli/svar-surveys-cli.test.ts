// `svar surveys …` and `svar translations …` (status, review, XLIFF) as a survey manager and a translator run them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runSvar } from '../helpers/processes.ts';
import { fixturesDir, miniModule, type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

vi.setConfig({ testTimeout: 180_000 });

describe('svar surveys and translations commands on pglite (an embedded data folder)', () => {
  let w: SurveyWorkspace;
  let data: string;
  let env: Record<string, string>;
  beforeAll(() => {
    w = surveyWorkspace();
    data = mkdtempSync(join(tmpdir(), 'svar-surveys-cli-'));
    env = {
      SVAR_DATA_DIR: join(data, 'data'),
      SVAR_SURVEYS_DIR: w.surveysDir,
      SVAR_LOCALES_DIR: w.localesDir,
    };
  });
  afterAll(() => {
    w.remove();
    rmSync(data, { recursive: true, force: true });
  });

  it('check passes, then fails with file and location once something is wrong', async () => {
    const ok = await runSvar(['surveys', 'check', '--json'], env);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ instruments: ['mini-survey'], ok: true, diagnostics: [] });
    w.editJson(miniModule, (m) => (m.pages[0].elements[1].visibleIf = '{q_nope} = 1'));
    const bad = await runSvar(['surveys', 'check'], env);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(
      /modules\/core\.json: pages\[0\]\.elements\[1\]\.visibleIf: .*\{q_nope\}.*\[broken_expression\]/,
    );
    w.editJson(miniModule, (m) => (m.pages[0].elements[1].visibleIf = '{q_sat} = 1'));
  });

  it('publishes, is a no-op the second time, and diffs versions', async () => {
    const first = JSON.parse((await runSvar(['surveys', 'publish', '--json'], env)).stdout);
    expect(first.published[0]).toMatchObject({ instrumentId: 'mini-survey', version: 1, created: true });
    const again = JSON.parse((await runSvar(['surveys', 'publish', 'mini-survey', '--json'], env)).stdout);
    expect(again.published[0]).toMatchObject({ version: 1, created: false });
    w.editJson(miniModule, (m) =>
      m.pages[0].elements.push({ type: 'comment', name: 'q_more', title: 'Mer?' }),
    );
    await runSvar(['surveys', 'publish'], env);
    const diff = JSON.parse(
      (await runSvar(['surveys', 'diff', 'mini-survey', '1', '2', '--json'], env)).stdout,
    );
    expect(diff.added).toEqual(['q_more']);
    const unknown = await runSvar(['surveys', 'publish', 'no-such-survey', '--json'], env);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout).error.code).toBe('unknown_instrument');
  });

  it('reports translation status per language', async () => {
    const status = JSON.parse((await runSvar(['translations', 'status', '--json'], env)).stdout);
    const [mini] = status.instruments;
    const nn = mini.languages.find((l: { locale: string }) => l.locale === 'nn');
    // q_more was added above and is not translated yet.
    expect(nn).toMatchObject({ total: 14, missing: 1, approved: 13, complete: false });
  });

  it('prints the review matrix of a published version, and refuses a version that is no number', async () => {
    expect((await runSvar(['surveys', 'publish'], env)).code).toBe(0);
    const json = JSON.parse(
      (await runSvar(['translations', 'review', 'mini-survey', '1', '--json'], env)).stdout,
    );
    expect(
      json.languages.map((l: { locale: string; offerable: boolean }) => [l.locale, l.offerable]),
    ).toEqual([
      ['nn', true],
      ['ar', false],
    ]);
    const text = await runSvar(['translations', 'review', 'mini-survey', '1'], env);
    expect(text.stdout).toContain('mini-survey version 1: 13 strings');
    expect(text.stdout).toMatch(/ar\s+0\s+0\s+13\s+0\s+0\s+pilot only/);
    const bad = await runSvar(['translations', 'review', 'mini-survey', 'one'], env);
    expect(bad.code).toBe(2);
  });

  it('exports XLIFF for a translator and imports it back', async () => {
    const file = join(data, 'nn.xlf');
    expect((await runSvar(['translations', 'export', 'mini-survey', 'nn', '--out', file], env)).code).toBe(0);
    const xml = readFileSync(file, 'utf8');
    expect(xml).toContain('name="q_more.title"');
    writeFileSync(file, xml.replace('<source>Mer?</source>', '<source>Mer?</source><target>Meir?</target>'));
    const r = await runSvar(['translations', 'import', file, '--json'], env);
    expect(JSON.parse(r.stdout)).toMatchObject({ instrument: 'mini-survey', locale: 'nn', imported: 14 });
    const status = JSON.parse((await runSvar(['translations', 'status', '--json'], env)).stdout);
    const nn = status.instruments[0].languages.find((l: { locale: string }) => l.locale === 'nn');
    expect(nn).toMatchObject({ missing: 0, complete: true, draft: 1, approved: 13 });
  });

  it('imports a SurveyJS file written elsewhere, and refuses one it cannot take', async () => {
    const ok = await runSvar(
      [
        'surveys',
        'import',
        join(fixturesDir, 'surveyjs-cases', '12-localization-default-de-fr-multipage.json'),
        '--instrument',
        'os-survey',
        '--json',
      ],
      env,
    );
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      instrumentId: 'os-survey',
      sourceLocale: 'en',
      targetLocales: ['de', 'fr'],
    });
    // Names that are not codes get one now (tests/surveys/import-cases.test.ts); an expression that cannot
    // work is still refused, by import itself, naming the element and the property.
    const broken = join(data, 'broken.json');
    writeFileSync(
      broken,
      JSON.stringify({
        pages: [
          {
            name: 'p1',
            elements: [
              { type: 'text', name: 'age' },
              { type: 'comment', name: 'why', visibleIf: '{age} >' },
            ],
          },
        ],
      }),
    );
    const refused = await runSvar(['surveys', 'import', broken, '--instrument', 'broken', '--json'], env);
    expect(refused.code).toBe(2);
    const error = JSON.parse(refused.stdout).error;
    expect(error.code).toBe('import_refused');
    expect(error.invalid_params[0].reason).toContain('visibleIf');
  });
});
