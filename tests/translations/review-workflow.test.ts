// The translation review workflow over HTTP: the matrix, edits as drafts, review then approval by someone else,
// bulk changes that are all or nothing, comments, and a language a wave may offer once it is all approved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWave } from '../../server/fieldwork/service.ts';
import { createApiToken } from '../../server/staff/service.ts';
import { publishInstrument } from '../../server/surveys/service.ts';
import { createStaff, makeApp } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { publishMini } from '../helpers/fieldwork.ts';
import { type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

const cli = { kind: 'cli' } as const;

describe.each(backends())('translation review on $name', (backend) => {
  let t: TestDatabase;
  let w: SurveyWorkspace;
  let app: ReturnType<typeof makeApp>;
  let id = '';
  const token: Record<'anna' | 'bo' | 'analyst', string> = { anna: '', bo: '', analyst: '' };

  beforeAll(async () => {
    if (backend.skip) return;
    t = await backend.open();
    w = surveyWorkspace();
    app = makeApp(t);
    id = await publishMini(t.db, w);
    for (const [who, role] of [
      ['anna', 'translator'],
      ['bo', 'translator'],
      ['analyst', 'analyst'],
    ] as const) {
      const user = await createStaff(t.db, { role });
      token[who] = (await createApiToken(t.db, { staffUserId: user.id, name: who }, cli, new Date())).token;
    }
  });
  afterAll(async () => {
    w?.remove();
    await t?.close();
  });

  async function call(who: keyof typeof token, method: string, path: string, body?: unknown) {
    const res = await app.request(`/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token[who]}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as any };
  }
  const matrix = async (version = 1) => (await call('anna', 'GET', `/translations/${id}/${version}`)).body;
  const arabic = (m: any) => m.languages.find((l: any) => l.locale === 'ar');
  const strings = async (query = '', version = 1) =>
    (await call('anna', 'GET', `/translations/${id}/${version}/ar${query}`)).body;
  const events = async () => (await t.db.selectFrom('translation_event').select('id').execute()).length;
  const offerArabic = (version: number) =>
    createWave(t.db, { instrumentId: id, version, name: 'Wave', mode: 'census', locales: ['ar'] }, cli);

  it.skipIf(backend.skip)('shows languages × modules with counts per status', async () => {
    const m = await matrix();
    expect(m.modules).toContain('core');
    expect(m.languages.map((l: any) => l.locale)).toEqual(['nn', 'ar']);
    const ar = arabic(m);
    expect(ar).toMatchObject({ dir: 'rtl', offerable: false, waitingForNextVersion: 0 });
    expect(ar.counts).toEqual({ missing: 0, stale: 0, draft: m.total, reviewed: 0, approved: 0 });
    expect(ar.modules.core.draft).toBeGreaterThan(0);
    expect(m.languages[0]).toMatchObject({ locale: 'nn', offerable: true });
    expect(m.languages[0].counts.approved).toBe(m.total);
    // Today's machine drafts: a wave that is not a pilot cannot offer Arabic.
    await expect(offerArabic(1)).rejects.toMatchObject({ code: 'wave_languages_invalid' });
  });

  it.skipIf(backend.skip)('refuses bad input with a problem and changes nothing', async () => {
    const before = await events();
    const empty = await call('anna', 'PATCH', `/translations/${id}/1/ar/strings/q_why.title`, { text: '  ' });
    expect([empty.status, empty.body.code]).toEqual([422, 'validation_failed']);
    const unknownKey = await call('anna', 'PATCH', `/translations/${id}/1/ar/strings/nope.title`, {
      text: 'x',
    });
    expect([unknownKey.status, unknownKey.body.code]).toEqual([404, 'string_not_found']);
    const locale = await call('anna', 'GET', `/translations/${id}/1/pl`);
    expect([locale.status, locale.body.code]).toEqual([422, 'unknown_locale']);
    const version = await call('anna', 'GET', `/translations/${id}/9`);
    expect([version.status, version.body.code]).toEqual([404, 'version_not_found']);
    const status = await call('anna', 'POST', `/translations/${id}/1/ar/status`, {
      keys: [],
      status: 'approved',
    });
    expect([status.status, status.body.code]).toEqual([422, 'validation_failed']);
    const filter = await call('anna', 'GET', `/translations/${id}/1/ar?status=done`);
    expect([filter.status, filter.body.code]).toEqual([422, 'validation_failed']);
    expect(await events()).toBe(before);
  });

  it.skipIf(backend.skip)('lets a translator do this and nothing else; other roles may not', async () => {
    for (const [method, path] of [
      ['GET', '/instruments'],
      ['GET', '/waves'],
      ['GET', '/exports'],
      ['GET', '/staff/users'],
    ]) {
      expect((await call('anna', method!, path!)).status, path).toBe(403);
    }
    expect((await call('anna', 'GET', '/auth/me')).body.user.role).toBe('translator');
    expect((await call('analyst', 'GET', `/translations/${id}/1`)).status).toBe(403);
    expect((await call('analyst', 'GET', '/translations/instruments')).status).toBe(403);
    const list = await call('anna', 'GET', '/translations/instruments');
    expect(list.body.instruments).toContainEqual({ id, title: 'Liten undersøkelse', versions: [1] });
  });

  it.skipIf(backend.skip)(
    'approves by review then approval; a fully approved language may be offered',
    async () => {
      const keys = (await strings()).strings.map((s: any) => s.key);
      const early = await call('bo', 'POST', `/translations/${id}/1/ar/status`, { keys, status: 'approved' });
      expect([early.status, early.body.code]).toEqual([409, 'translation_status_refused']);
      expect(early.body.invalid_params).toHaveLength(keys.length);
      expect(
        (await call('anna', 'POST', `/translations/${id}/1/ar/status`, { keys, status: 'reviewed' })).status,
      ).toBe(200);
      expect(arabic(await matrix()).counts.reviewed).toBe(keys.length);
      // Nobody edited the machine drafts, so the reviewer may approve them too.
      expect(
        (await call('anna', 'POST', `/translations/${id}/1/ar/status`, { keys, status: 'approved' })).status,
      ).toBe(200);
      const ar = arabic(await matrix());
      expect(ar).toMatchObject({ offerable: true, waitingForNextVersion: 0 });
      expect(ar.counts.approved).toBe(keys.length);
      const wave = await offerArabic(1);
      expect(wave.id).toBeTruthy();
      const listed = (await strings('?status=approved&module=core')).strings[0];
      expect(listed.history.map((h: any) => h.status)).toEqual(['reviewed', 'approved']);
    },
  );

  it.skipIf(backend.skip)(
    'an edit is a draft its editor cannot approve; it reaches the next version',
    async () => {
      const key = 'q_why.title';
      const edit = await call('anna', 'PATCH', `/translations/${id}/1/ar/strings/${key}`, {
        text: 'لماذا تقول ذلك؟',
      });
      expect(edit.body).toMatchObject({ key, status: 'draft' });
      expect(arabic(await matrix())).toMatchObject({ offerable: false });
      await expect(offerArabic(1)).rejects.toMatchObject({ code: 'wave_languages_invalid' });
      expect(
        (await call('anna', 'POST', `/translations/${id}/1/ar/status`, { keys: [key], status: 'reviewed' }))
          .status,
      ).toBe(200);

      const before = await events();
      const own = await call('anna', 'POST', `/translations/${id}/1/ar/status`, {
        keys: [key],
        status: 'approved',
      });
      expect([own.status, own.body.code]).toEqual([409, 'translation_status_refused']);
      expect(own.body.invalid_params[0]).toMatchObject({
        name: key,
        reason: expect.stringContaining('someone else'),
      });
      expect(await events()).toBe(before);
      expect(
        (await call('bo', 'POST', `/translations/${id}/1/ar/status`, { keys: [key], status: 'approved' }))
          .status,
      ).toBe(200);

      // Version 1 is immutable: all approved, but one text is not what it carries, so it still may not be offered.
      const ar = arabic(await matrix());
      expect(ar).toMatchObject({ offerable: false, waitingForNextVersion: 1 });
      expect(ar.counts.approved).toBe((await matrix()).total);
      await expect(offerArabic(1)).rejects.toMatchObject({ code: 'wave_languages_invalid' });

      const next = await publishInstrument(t.db, w, id, cli);
      expect(next).toMatchObject({ version: 2, created: true });
      const v2 = await t.db
        .selectFrom('instrument_version')
        .select(['definition', 'locales'])
        .where('instrument_id', '=', id)
        .where('version', '=', 2)
        .executeTakeFirstOrThrow();
      expect(JSON.stringify(v2.definition)).toContain('لماذا تقول ذلك؟');
      expect(v2.locales.find((l) => l.locale === 'ar')).toMatchObject({ status: 'approved', complete: true });
      expect(arabic(await matrix(2))).toMatchObject({ offerable: true, waitingForNextVersion: 0 });
      expect((await offerArabic(2)).id).toBeTruthy();
      const history = (await strings('?status=approved', 2)).strings.find((s: any) => s.key === key).history;
      expect(history.map((h: any) => [h.action, h.status])).toContainEqual(['edited', 'draft']);
    },
  );

  it.skipIf(backend.skip)('keeps comments per string with their author', async () => {
    const bad = await call('bo', 'POST', `/translations/${id}/2/ar/comments`, {
      key: 'q_why.title',
      body: '',
    });
    expect(bad.status).toBe(422);
    const res = await call('bo', 'POST', `/translations/${id}/2/ar/comments`, {
      key: 'q_why.title',
      body: 'Mer muntlig enn kilden?',
    });
    expect(res.status).toBe(201);
    const s = (await strings('', 2)).strings.find((x: any) => x.key === 'q_why.title');
    expect(s.comments).toEqual([expect.objectContaining({ body: 'Mer muntlig enn kilden?', version: 2 })]);
    expect(s.comments[0].by).toMatch(/^Test translator/);
  });

  it.skipIf(backend.skip)(
    'marks a string stale when its source wording changed in a later version',
    async () => {
      w.editJson(`surveys/${id}/modules/core.json`, (m) => {
        m.pages[0].elements[1].name = 'q_why2';
        m.pages[0].title = 'Om selve programmet';
      });
      expect(await publishInstrument(t.db, w, id, cli)).toMatchObject({ version: 3, created: true });
      const s3 = await strings('?status=stale', 3);
      expect(s3.strings.map((s: any) => s.key)).toEqual(['page:p1.title']);
      expect(s3.strings[0]).toMatchObject({ source: 'Om selve programmet', text: 'عن البرنامج' });
      expect(s3.counts.missing).toBe(1);
      const fix = await call('anna', 'PATCH', `/translations/${id}/3/ar/strings/page:p1.title`, {
        text: 'عن البرنامج نفسه',
      });
      expect(fix.status).toBe(200);
      expect((await strings('?status=stale', 3)).strings).toEqual([]);
    },
  );
});
