// `svar wave delegations`, `svar wave progress --by section` and the purge of delegates' contacts, run as processes
// on an embedded data folder prepared in-process (delegations are made by chief executives, not by a command).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../server/db/connect.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { createWave } from '../../server/fieldwork/service.ts';
import { publishMini } from '../helpers/fieldwork.ts';
import { addDelegate, openMunicipalWave, putResponse } from '../helpers/municipal.ts';
import { runSvar } from '../helpers/processes.ts';
import { type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

vi.setConfig({ testTimeout: 240_000, hookTimeout: 120_000 });

describe('svar wave delegations on pglite (an embedded data folder)', () => {
  let w: SurveyWorkspace;
  let dir: string;
  let env: Record<string, string>;
  let waveId: string;
  let participantWaveId: string;
  beforeAll(async () => {
    w = surveyWorkspace();
    dir = mkdtempSync(join(tmpdir(), 'svar-delegation-cli-'));
    env = {
      SVAR_DATA_DIR: join(dir, 'data'),
      SVAR_SURVEYS_DIR: w.surveysDir,
      SVAR_LOCALES_DIR: w.localesDir,
    };
    const h = await openDatabase({ kind: 'pglite', dataDir: env.SVAR_DATA_DIR! });
    try {
      await migrateToLatest(h.db);
      const { wave, unitId } = await openMunicipalWave(h.db, w);
      waveId = wave.id;
      await addDelegate(h.db, wave, unitId('030101'), {
        name: 'Kari Nordmann',
        email: 'kari@oslo.kommune.no',
        locale: 'nn',
        sections: ['s_settle', 's_intro'],
        done: ['s_settle'],
        at: new Date('2026-11-26T09:00:00Z'),
      });
      await putResponse(h.db, wave, unitId('030101'), { m_settled: 12, m_participants: 3 });
      const participant = await createWave(
        h.db,
        {
          instrumentId: await publishMini(h.db, w),
          version: 1,
          name: 'P',
          mode: 'census',
          locales: ['nb', 'nn'],
        },
        { kind: 'cli' },
      );
      participantWaveId = participant.id;
    } finally {
      await h.close();
    }
  });
  afterAll(() => {
    w.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the overview as a table and as JSON, progress per section, and purges delegate contacts', async () => {
    const json = await runSvar(['wave', 'delegations', waveId, '--json'], env);
    expect(json.code).toBe(0);
    const o = JSON.parse(json.stdout);
    expect(o.units.map((u: { externalId: string }) => u.externalId)).toEqual([
      '030101',
      '030102',
      '4601',
      '5001',
    ]);
    // The operator sees what an admin sees.
    expect(o.units[0].sections[0]).toMatchObject({
      name: 's_settle',
      status: 'done',
      delegation: { name: 'Kari Nordmann', email: 'kari@oslo.kommune.no', locale: 'nn' },
    });

    const text = await runSvar(['wave', 'delegations', waveId], env);
    expect(text.stdout).toContain('   1  s_settle  Bosetting\n');
    expect(text.stdout).toMatch(/030101 {2}Gamle Oslo\s+in progress\s+✓→\s+…→\s+–\n/);
    expect(text.stdout).toMatch(/5001 {2}Trondheim\s+none\s+–\s+–\s+–\n/);
    expect(text.stdout).toContain(
      '030101  Gamle Oslo: s_settle, s_intro → Kari Nordmann <kari@oslo.kommune.no> (nn) since 2026-11-26',
    );

    const progress = await runSvar(['wave', 'progress', waveId, '--by', 'section', '--json'], env);
    expect(JSON.parse(progress.stdout)).toEqual([
      expect.objectContaining({ section: 's_settle', invited: 4, delegated: 1, done: 1, notStarted: 3 }),
      expect.objectContaining({ section: 's_intro', invited: 4, delegated: 1, inProgress: 1, notStarted: 3 }),
      expect.objectContaining({ section: 's_work', invited: 4, delegated: 0, notStarted: 4 }),
    ]);
    const progressText = await runSvar(['wave', 'progress', waveId, '--by', 'section'], env);
    expect(progressText.stdout).toMatch(/s_settle\s+4\s+1\s+3\s+0\s+1\s+0\n/);

    const refused = await runSvar(['wave', 'delegations', participantWaveId, '--json'], env);
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stdout).error.code).toBe('wave_not_municipal');

    expect((await runSvar(['wave', 'close', waveId], env)).code).toBe(0);
    const purged = await runSvar(['wave', 'purge-contacts', waveId], env);
    expect(purged.stdout).toContain('Purged 0 contact(s) and 1 delegate contact(s).');
    const after = JSON.parse((await runSvar(['wave', 'delegations', waveId, '--json'], env)).stdout);
    expect(after.units[0].sections[0].delegation).toMatchObject({ name: null, email: null });
  });
});
