// `svar wave create` runs the rotation plan's themes for the wave's year, takes `--themes` instead, and refuses a
// bad choice (or a year the plan does not name) plainly, creating nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { municipalWorkspace } from '../helpers/municipal-workspace.ts';
import { runSvar } from '../helpers/processes.ts';

vi.setConfig({ testTimeout: 240_000 });

describe('svar wave create with a rotation plan on pglite', () => {
  let w: ReturnType<typeof municipalWorkspace>;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    w = municipalWorkspace();
    dir = mkdtempSync(join(tmpdir(), 'svar-themes-cli-'));
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

  const create = (...extra: string[]) =>
    runSvar(
      [
        'wave',
        'create',
        '--instrument',
        'municipal-survey',
        '--version',
        '1',
        '--name',
        'Kommuneundersøkelsen',
        '--locales',
        'nb,nn',
        '--allow-draft-languages',
        ...extra,
      ],
      env,
    );

  it('prints the modules of the year, takes --themes, and refuses a bad choice', async () => {
    expect((await runSvar(['surveys', 'publish', 'municipal-survey'], env)).code).toBe(0);
    const planned = await create('--opens', '2028-01-03T07:00:00Z');
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain(
      'Modules: part-a core imdi-services theme-intro-programme theme-volunteering',
    );

    const refused = await create('--opens', '2028-01-03T07:00:00Z', '--themes', 'core,theme-settlement');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('not theme modules of this version: core');
    const unplanned = await create('--opens', '2031-01-06T07:00:00Z', '--json');
    expect(unplanned.code).toBe(2);
    expect(JSON.parse(unplanned.stdout).error.code).toBe('wave_year_not_in_rotation');

    const chosen = await create('--opens', '2031-01-06T07:00:00Z', '--themes', 'theme-settlement', '--json');
    expect(chosen.code).toBe(0);
    expect(JSON.parse(chosen.stdout).modules).toEqual([
      'part-a',
      'core',
      'imdi-services',
      'theme-settlement',
    ]);
    const waves = JSON.parse((await runSvar(['wave', 'list', '--json'], env)).stdout);
    expect(waves).toHaveLength(2);
  });
});
