// `svar surveys archive` and `svar surveys publish --from`: a published version written to the instrument's
// versions folder exactly as stored, and a fresh database given the same history before the sources publish on.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runSvar } from '../helpers/processes.ts';
import { miniModule, type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

vi.setConfig({ testTimeout: 180_000 });

describe('svar surveys archive and publish --from on pglite', () => {
  let w: SurveyWorkspace;
  let data: string;
  const env = (db: string) => ({
    SVAR_DATA_DIR: join(data, db),
    SVAR_SURVEYS_DIR: w.surveysDir,
    SVAR_LOCALES_DIR: w.localesDir,
  });
  const json = async (args: string[], db: string) => {
    const r = await runSvar([...args, '--json'], env(db));
    return { code: r.code, body: JSON.parse(r.stdout || '{}'), stderr: r.stderr };
  };
  beforeAll(() => {
    w = surveyWorkspace();
    data = mkdtempSync(join(tmpdir(), 'svar-archive-cli-'));
  });
  afterAll(() => {
    w.remove();
    rmSync(data, { recursive: true, force: true });
  });

  it('archives a version once, then gives a fresh database that version before the sources', async () => {
    await runSvar(['surveys', 'publish'], env('first'));
    const file = join(w.surveysDir, 'mini-survey', 'versions', '1.json');
    const archived = await json(['surveys', 'archive', 'mini-survey', '1'], 'first');
    expect(archived.body).toMatchObject({ version: 1, file, written: true });
    expect(existsSync(file)).toBe(true);
    // Immutable: the same version again writes nothing.
    expect((await json(['surveys', 'archive', 'mini-survey', '1'], 'first')).body.written).toBe(false);

    // The sources move on; a fresh database takes version 1 from the archive, then the sources as version 2.
    w.editJson(miniModule, (m) =>
      m.pages[0].elements.push({ type: 'comment', name: 'q_more', title: 'Mer?' }),
    );
    const fromArchive = await json(['surveys', 'publish', '--from', file], 'second');
    expect(fromArchive.body.published).toEqual([expect.objectContaining({ version: 1, created: true })]);
    const again = await json(['surveys', 'publish', '--from', file], 'second');
    expect(again.body.published[0]).toMatchObject({ version: 1, created: false });
    const sources = await json(['surveys', 'publish', 'mini-survey'], 'second');
    expect(sources.body.published[0]).toMatchObject({ version: 2, created: true });
    expect((await json(['surveys', 'diff', 'mini-survey', '1', '2'], 'second')).body.added).toEqual([
      'q_more',
    ]);
    // For people: each added or removed code with its question text.
    const text = await runSvar(['surveys', 'diff', 'mini-survey', '1', '2'], env('second'));
    expect(text.stdout).toMatch(/^\+ q_more +Mer\?$/m);
  });

  it('refuses an archive edited by hand, storing nothing', async () => {
    const file = join(w.surveysDir, 'mini-survey', 'versions', '1.json');
    const edited = join(data, 'edited.json');
    const archive = JSON.parse(readFileSync(file, 'utf8'));
    archive.changelog[0].note = 'rewritten';
    writeFileSync(edited, JSON.stringify(archive));
    const r = await json(['surveys', 'publish', '--from', edited], 'third');
    expect(r.code).not.toBe(0);
    expect(r.body.error.code).toBe('archive_changed');
    const versions = await json(['surveys', 'publish', '--from', file], 'third');
    expect(versions.body.published[0]).toMatchObject({ version: 1, created: true });
  });
});
