// A survey manager's fieldwork from the command line: wave, frame, sample, open with a distribution list, progress.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runSvar } from '../helpers/processes.ts';
import { type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

vi.setConfig({ testTimeout: 240_000 });

describe('svar wave, frame and sample commands on pglite (an embedded data folder)', () => {
  let w: SurveyWorkspace;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    w = surveyWorkspace();
    dir = mkdtempSync(join(tmpdir(), 'svar-fieldwork-cli-'));
    env = {
      SVAR_DATA_DIR: join(dir, 'data'),
      SVAR_SURVEYS_DIR: w.surveysDir,
      SVAR_LOCALES_DIR: w.localesDir,
    };
  });
  afterAll(() => {
    w.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a sample wave from frame to progress', async () => {
    expect((await runSvar(['surveys', 'publish'], env)).code).toBe(0);
    const created = JSON.parse(
      (
        await runSvar(
          [
            'wave',
            'create',
            '--instrument',
            'mini-survey',
            '--version',
            '1',
            '--name',
            'CLI',
            '--mode',
            'sample',
            '--locales',
            'nb,nn',
            '--json',
          ],
          env,
        )
      ).stdout,
    );
    const id = created.id as string;
    const frame = join(dir, 'frame.csv');
    writeFileSync(
      frame,
      `\uFEFFexternal_id;municipality_code;preferred_language\n${Array.from({ length: 40 }, (_, i) => `u${i};${i % 2 ? '0301' : '4601'};nb`).join('\n')}\n`,
    );
    const imported = JSON.parse((await runSvar(['frame', 'import', id, frame, '--json'], env)).stdout);
    expect(imported).toMatchObject({ rows: 40, added: 40 });

    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'external_id;municipality_code\nx1;9999\n');
    const refused = await runSvar(['frame', 'import', id, bad, '--json'], env);
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stdout).error.invalid_params[0].name).toBe('line 2, municipality_code');

    const drawn = await runSvar(
      ['sample', 'draw', id, '--size', '10', '--strata', 'municipality_code', '--seed', 'abc'],
      env,
    );
    expect(drawn.stdout).toMatch(/0301\s+20\s+5\s+4\.000/);
    const again = JSON.parse(
      (
        await runSvar(
          ['sample', 'draw', id, '--size', '10', '--strata', 'municipality_code', '--seed', 'abc', '--json'],
          env,
        )
      ).stdout,
    );
    expect(again.table.map((r: { sampleSize: number }) => r.sampleSize)).toEqual([5, 5]);

    const list = join(dir, 'links.csv');
    const opened = JSON.parse(
      (await runSvar(['wave', 'open', id, '--distribution-list', list, '--json'], env)).stdout,
    );
    expect(opened.links).toBe(10);
    expect(readFileSync(list, 'utf8').split('\n').filter(Boolean)).toHaveLength(11);

    const progress = JSON.parse(
      (await runSvar(['wave', 'progress', id, '--by', 'municipality', '--json'], env)).stdout,
    );
    expect(progress.map((r: { group: string; invited: number }) => [r.group, r.invited])).toEqual([
      ['0301', 5],
      ['4601', 5],
    ]);
    const badBy = await runSvar(['wave', 'progress', id, '--by', 'planet'], env);
    expect(badBy.code).toBe(2);
  });
});
