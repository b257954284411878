// Publishing immutable versions: idempotent, history-safe question codes, diffs, and the API that serves them.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { diffVersions, publishInstrument } from '../../server/surveys/service.ts';
import { createStaff, logInAs, makeApp } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { miniArabic, miniModule, type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

const cli = { kind: 'cli' } as const;

describe.each(backends())('publishing instruments on $name', (backend) => {
  let t: TestDatabase;
  let w: SurveyWorkspace;
  beforeAll(async () => {
    if (!backend.skip) t = await backend.open();
  });
  afterAll(async () => t?.close());
  beforeEach(async () => {
    w = surveyWorkspace();
    if (!backend.skip) {
      // Versions are immutable by trigger: a fresh instrument id per test instead of deleting.
      const id = `mini-${Math.random().toString(36).slice(2, 8)}`;
      const { renameSync } = await import('node:fs');
      renameSync(`${w.surveysDir}/mini-survey`, `${w.surveysDir}/${id}`);
      for (const l of ['nn', 'ar'])
        renameSync(
          `${w.localesDir}/${l}/surveys/mini-survey.json`,
          `${w.localesDir}/${l}/surveys/${id}.json`,
        );
      w.editJson(`surveys/${id}/instrument.json`, (i) => (i.id = id));
      instrument = id;
    }
  });
  afterEach(() => w.remove());
  let instrument = '';
  const mod = () => miniModule.replace('mini-survey', instrument);

  it.skipIf(backend.skip)(
    'publishes version 1, and publishing the same content again is a no-op',
    async () => {
      const first = await publishInstrument(t.db, w, instrument, cli);
      expect(first).toMatchObject({ version: 1, created: true });
      expect(first.contentHash).toMatch(/^[0-9a-f]{64}$/);
      const again = await publishInstrument(t.db, w, instrument, cli);
      expect(again).toMatchObject({ version: 1, created: false, contentHash: first.contentHash });
      const rows = await t.db
        .selectFrom('instrument_version')
        .select('version')
        .where('instrument_id', '=', instrument)
        .execute();
      expect(rows).toHaveLength(1);
    },
  );

  it.skipIf(backend.skip)(
    'refuses a changed wording under an old code, unless declared a minor edit',
    async () => {
      await publishInstrument(t.db, w, instrument, cli);
      w.editJson(mod(), (m) => (m.pages[0].elements[0].title = 'Hvor fornøyd er du med programmet?'));
      const err = await publishInstrument(t.db, w, instrument, cli).catch((e) => e);
      expect(err.code).toBe('code_reused_with_changes');
      expect(err.invalidParams[0].name).toContain('q_sat');
      expect(
        await t.db
          .selectFrom('instrument_version')
          .select('version')
          .where('instrument_id', '=', instrument)
          .execute(),
      ).toHaveLength(1);

      // Changed answer codes are refused the same way.
      w.editJson(mod(), (m) => {
        m.pages[0].elements[0].title = 'Hvor fornøyd er du?';
        m.pages[0].elements[0].choices[2].value = 99;
      });
      expect((await publishInstrument(t.db, w, instrument, cli).catch((e) => e)).code).toBe(
        'code_reused_with_changes',
      );

      w.editJson(mod(), (m) => {
        m.pages[0].elements[0].choices[2].value = 98;
        m.pages[0].elements[0].title = 'Hvor fornøyd er du med programmet?';
        m.minorEdits = { q_sat: 'Clarified what is rated; same meaning' };
      });
      const v2 = await publishInstrument(t.db, w, instrument, cli);
      expect(v2).toMatchObject({ version: 2, created: true });
      expect(v2.changelog).toContainEqual({
        kind: 'minor_edit',
        code: 'q_sat',
        note: 'Clarified what is rated; same meaning',
      });
    },
  );

  it.skipIf(backend.skip)(
    'lets a new code replace an old one, and never reuse the old one for something else',
    async () => {
      await publishInstrument(t.db, w, instrument, cli);
      w.editJson(mod(), (m) => {
        m.pages[0].elements[1].name = 'q_why2';
        m.pages[0].elements[1].title = 'Hva kan bli bedre?';
      });
      // Translations of the replaced question are gone: publishing does not wait for them.
      const v2 = await publishInstrument(t.db, w, instrument, cli);
      expect(v2.version).toBe(2);
      expect(v2.diff).toMatchObject({ added: ['q_why2'], removed: ['q_why'] });
      w.editJson(mod(), (m) => {
        m.pages[0].elements.push({ type: 'text', name: 'q_why', title: 'Noe helt annet' });
      });
      expect((await publishInstrument(t.db, w, instrument, cli).catch((e) => e)).code).toBe(
        'code_reused_with_changes',
      );
    },
  );

  it.skipIf(backend.skip)('diffs two versions per question, per language', async () => {
    await publishInstrument(t.db, w, instrument, cli);
    w.editJson(
      miniArabic.replace('mini-survey', instrument),
      (tr) => (tr['q_sat.title'].text = 'هل أنت راضٍ؟'),
    );
    w.editJson(mod(), (m) => (m.pages[0].elements[1].visibleIf = '{q_sat} <= 1'));
    await publishInstrument(t.db, w, instrument, cli);
    const diff = await diffVersions(t.db, instrument, 1, 2);
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    const sat = diff.changed.find((c) => c.code === 'q_sat')!;
    expect(sat.changes).toContainEqual({
      field: 'title',
      locale: 'ar',
      from: 'ما مدى رضاك؟',
      to: 'هل أنت راضٍ؟',
    });
    const why = diff.changed.find((c) => c.code === 'q_why')!;
    expect(why.changes).toContainEqual({ field: 'visibleIf', from: '{q_sat} = 1', to: '{q_sat} <= 1' });
  });

  it.skipIf(backend.skip)(
    'refuses to publish an instrument that fails the check, storing nothing',
    async () => {
      w.editJson(mod(), (m) => (m.pages[0].elements[1].visibleIf = '{nothing} = 1'));
      const err = await publishInstrument(t.db, w, instrument, cli).catch((e) => e);
      expect(err.code).toBe('instrument_check_failed');
      expect(err.invalidParams[0].reason).toContain('broken_expression');
      expect(await t.db.selectFrom('instrument').select('id').where('id', '=', instrument).execute()).toEqual(
        [],
      );
    },
  );

  it.skipIf(backend.skip)('serves a version in a language, its codebook and diffs over the API', async () => {
    await publishInstrument(t.db, w, instrument, cli);
    const app = makeApp(t);
    const analyst = await createStaff(t.db, { role: 'analyst' });
    const { cookie } = await logInAs(app, analyst.email, analyst.password);
    const get = (path: string) => app.request(path, { headers: { cookie } });

    expect((await app.request(`/api/v1/instruments/${instrument}/versions/1`)).status).toBe(401);
    const ar = await get(`/api/v1/instruments/${instrument}/versions/1?locale=ar`);
    expect(ar.status).toBe(200);
    const body = (await ar.json()) as Record<string, any>;
    expect(body).toMatchObject({ version: 1, locale: 'ar', dir: 'rtl' });
    expect(body.definition.locale).toBe('ar');
    expect(body.definition.pages[0].elements[0].title).toMatchObject({
      default: 'Hvor fornøyd er du?',
      ar: 'ما مدى رضاك؟',
    });
    expect(body.locales.map((l: { locale: string }) => l.locale)).toEqual(['nb', 'nn', 'ar']);

    const latest = (await (await get(`/api/v1/instruments/${instrument}/versions/latest`)).json()) as Record<
      string,
      any
    >;
    expect(latest).toMatchObject({ version: 1, locale: 'nb', dir: 'ltr' });

    const bad = await get(`/api/v1/instruments/${instrument}/versions/1?locale=xx`);
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { code: string }).code).toBe('unknown_locale');
    expect((await get(`/api/v1/instruments/${instrument}/versions/9`)).status).toBe(404);
    expect((await get(`/api/v1/instruments/${instrument}/versions/zero`)).status).toBe(422);

    const codebook = (await (
      await get(`/api/v1/instruments/${instrument}/versions/1/codebook`)
    ).json()) as Record<string, any>;
    const sat = codebook.variables.find((v: { code: string }) => v.code === 'q_sat');
    expect(sat).toMatchObject({
      valueType: 'code',
      required: true,
      labels: { nb: 'Hvor fornøyd er du?', ar: 'ما مدى رضاك؟' },
    });
    expect(sat.values).toContainEqual({
      value: 98,
      labels: { nb: 'Vet ikke', nn: 'Veit ikkje', ar: 'لا أعرف' },
      missing: 'dont_know',
    });

    const list = (await (await get('/api/v1/instruments')).json()) as {
      instruments: Record<string, unknown>[];
    };
    expect(list.instruments).toContainEqual(expect.objectContaining({ id: instrument, latestVersion: 1 }));
  });
});
