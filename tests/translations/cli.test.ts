// `svar translations review <instrument> <version>` as a translator runs it: the published version's matrix.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runSvar } from '../helpers/processes.ts';
import { type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

vi.setConfig({ testTimeout: 180_000 });

describe('svar translations review on pglite (an embedded data folder)', () => {
  let w: SurveyWorkspace;
  let data: string;
  let env: Record<string, string>;
  beforeAll(() => {
    w = surveyWorkspace();
    data = mkdtempSync(join(tmpdir(), 'svar-translations-cli-'));
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

  it('prints the matrix of a published version, and refuses a version that is no number', async () => {
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
});
