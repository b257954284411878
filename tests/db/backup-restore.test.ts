// The README's backup and restore (scripts/backup.sh, scripts/restore.sh), run as an operator would: a database with
// a wave, links, answers and audit events is dumped, restored into another database, and that database holds the
// same rows, keeps its rules (the audit log stays append-only, revisions go on from where they were) and takes a
// respondent's next save. PostgreSQL only: the embedded database is backed up by copying its stopped folder.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { saveAnswers } from '../../server/responses/service.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { openMiniWave } from '../helpers/fieldwork.ts';
import { digest } from '../helpers/fuzz-state.ts';
import { projectRoot, type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

vi.setConfig({ testTimeout: 120_000 });

const postgres = backends().find((b) => b.name === 'postgres')!;
const script = (name: string, args: string[], databaseUrl: string | undefined) =>
  spawnSync('bash', [join(projectRoot, 'scripts', name), ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: databaseUrl ?? '' },
  });

describe.skipIf(postgres.skip)('backup and restore of a PostgreSQL database', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let w: SurveyWorkspace;
  let fw: Awaited<ReturnType<typeof openMiniWave>>;
  let dir: string;
  const urlOf = (t: TestDatabase) => (t.config.kind === 'postgres' ? t.config.url : '');

  beforeAll(async () => {
    source = await postgres.open();
    target = await postgres.open({ migrate: false });
    w = surveyWorkspace();
    dir = mkdtempSync(join(tmpdir(), 'svar-backup-'));
    fw = await openMiniWave(source.db, w, { now: new Date(Date.now() - 60_000) });
    await saveAnswers(source.db, fw.token('p1'), { answers: { q_sat: 2 }, page: 'p1' }, { now: new Date() });
  });
  afterAll(async () => {
    w?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await source?.close();
    await target?.close();
  });

  it('restores every row and rule, and the restored database takes the next save', async () => {
    const file = join(dir, 'svar.dump');
    const backup = script('backup.sh', [file], urlOf(source));
    expect(backup.status, backup.stderr).toBe(0);
    expect(existsSync(file)).toBe(true);

    const restore = script('restore.sh', [file], urlOf(target));
    expect(restore.status, restore.stderr).toBe(0);
    const before = await digest(source.db);
    expect(before.response).toMatch(/^1:/);
    // Row counts and an md5 of every row, table by table (the fuzz suite's digest).
    expect(await digest(target.db)).toEqual(before);

    // The audit log is still append-only in the copy.
    await expect(sql`update audit_event set action = 'x'`.execute(target.db)).rejects.toThrow();
    // Revisions go on from the source's: the next save's is above every revision stored.
    const maxRev = await sql<{ m: string }>`select max((m.value ->> 'rev')::bigint) as m
      from response, jsonb_each(answer_meta) m`.execute(target.db);
    const saved = await saveAnswers(
      target.db,
      fw.token('p2'),
      { answers: { q_sat: 1 } },
      { now: new Date() },
    );
    expect(saved.revs.q_sat).toBeGreaterThan(Number(maxRev.rows[0]!.m));

    // Restoring again over a database in use replaces it, all or nothing.
    const again = script('restore.sh', [file], urlOf(target));
    expect(again.status, again.stderr).toBe(0);
    expect(await digest(target.db)).toEqual(before);
  });

  it('says in one line what is missing, and changes nothing', async () => {
    const noUrl = script('restore.sh', [join(dir, 'svar.dump')], undefined);
    expect(noUrl.status).toBe(1);
    expect(noUrl.stderr.trim()).toBe(
      'DATABASE_URL is not set: say which PostgreSQL database to restore into',
    );
    const noFile = script('restore.sh', [join(dir, 'missing.dump')], urlOf(target));
    expect(noFile.status).toBe(1);
    expect(noFile.stderr.trim()).toBe(`no backup at ${join(dir, 'missing.dump')}`);
    const broken = join(dir, 'broken.dump');
    spawnSync('bash', ['-c', `head -c 2000 ${join(dir, 'svar.dump')} > ${broken}`]);
    const before = await digest(target.db);
    const bad = script('restore.sh', [broken], urlOf(target));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('pg_restore failed: the database is as it was before');
    expect(await digest(target.db)).toEqual(before);
  });
});
