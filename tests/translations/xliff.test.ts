// XLIFF download and upload of one language of a version: valid XLIFF 2.0/2.1, changed strings become drafts, and a
// file for another language or other source wording is refused whole.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../server/staff/service.ts';
import { createStaff, makeApp } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { publishMini } from '../helpers/fieldwork.ts';
import { fixturesDir, type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

const hasXmllint = spawnSync('sh', ['-c', 'command -v xmllint']).status === 0;
if (!hasXmllint && process.env.CI === 'true') throw new Error('xmllint is missing: run npm run setup:system');

describe.each(backends())('translation XLIFF on $name', (backend) => {
  let t: TestDatabase;
  let w: SurveyWorkspace;
  let app: ReturnType<typeof makeApp>;
  let id = '';
  let bearer = '';
  beforeAll(async () => {
    if (backend.skip) return;
    t = await backend.open();
    w = surveyWorkspace();
    app = makeApp(t);
    id = await publishMini(t.db, w);
    const user = await createStaff(t.db, { role: 'translator' });
    bearer = (await createApiToken(t.db, { staffUserId: user.id, name: 'cat' }, { kind: 'cli' }, new Date()))
      .token;
  });
  afterAll(async () => {
    w?.remove();
    await t?.close();
  });

  const auth = () => ({ authorization: `Bearer ${bearer}` });
  const download = async () => {
    const res = await app.request(`/api/v1/translations/${id}/1/ar/xliff`, { headers: auth() });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/xliff+xml');
    return res.text();
  };
  const upload = async (xml: string, type = 'application/xliff+xml') => {
    const res = await app.request(`/api/v1/translations/${id}/1/ar/xliff`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': type },
      body: xml,
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const rows = async () => (await t.db.selectFrom('translation_string').selectAll().execute()).length;

  it.skipIf(backend.skip || !hasXmllint)(
    'downloads a file valid against XLIFF 2.0 and 2.1 core',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'svar-xliff-'));
      try {
        const file = join(dir, 'ar.xlf');
        writeFileSync(file, await download());
        for (const v of ['xliff-2.0', 'xliff-2.1']) {
          const schema = join(fixturesDir, 'schemas', v, 'xliff_core_2.0.xsd');
          expect(() =>
            execFileSync('xmllint', ['--nonet', '--noout', '--schema', schema, file], { stdio: 'pipe' }),
          ).not.toThrow();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it.skipIf(backend.skip)(
    'refuses another language, other source wording and junk, changing nothing',
    async () => {
      const xml = await download();
      expect(xml).toContain('trgLang="ar"');
      const wrong = await upload(xml.replace('trgLang="ar"', 'trgLang="nn"'));
      expect([wrong.status, wrong.body.code]).toEqual([422, 'xliff_wrong_language']);
      const moved = await upload(xml.replace('<source>Hvorfor?</source>', '<source>Hvorfor det?</source>'));
      expect([moved.status, moved.body.code]).toEqual([422, 'xliff_source_mismatch']);
      expect(moved.body.invalid_params[0].name).toBe('q_why.title');
      const junk = await upload('<xliff trgLang="ar"><oops');
      expect([junk.status, junk.body.code]).toEqual([422, 'xliff_invalid']);
      const json = await upload(xml, 'application/json');
      expect([json.status, json.body.code]).toEqual([415, 'unsupported_media_type']);
      expect(await rows()).toBe(0);
    },
  );

  it.skipIf(backend.skip)('an unchanged file changes nothing; a changed target becomes a draft', async () => {
    const xml = await download();
    expect((await upload(xml)).body).toMatchObject({ changed: 0 });
    expect(await rows()).toBe(0);
    const edited = xml.replace('<target>لماذا؟</target>', '<target>لماذا تقول ذلك؟</target>');
    expect((await upload(edited)).body).toMatchObject({ changed: 1 });
    const res = await app.request(`/api/v1/translations/${id}/1/ar?status=draft`, { headers: auth() });
    const s = ((await res.json()) as any).strings.find((x: any) => x.key === 'q_why.title');
    expect(s).toMatchObject({ text: 'لماذا تقول ذلك؟', status: 'draft' });
    expect(s.history.map((h: any) => h.action)).toEqual(['imported']);
    expect(await download()).toContain('<target>لماذا تقول ذلك؟</target>');
  });
});
