// A wave runs its year's theme modules (issue 14): the municipal survey's 2027 wave asks the core modules plus
// settlement and interpreting, and nothing else — not on the page, not in saves, not at submit, not in delegation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codebookRows } from '../../server/exports/codebook-export.ts';
import { loadDataset } from '../../server/exports/load.ts';
import { addUnits, openWave } from '../../server/fieldwork/service.ts';
import { publishInstrument } from '../../server/surveys/service.ts';
import { createStaff, jsonRequest, logInAs, makeApp, TestClock } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { municipalWorkspace } from '../helpers/municipal-workspace.ts';

type Json = Record<string, any>;
const cli = { kind: 'cli' } as const;
const core = ['part-a', 'core', 'imdi-services'];
const wave2027 = [...core, 'theme-settlement', 'theme-interpreters'];

describe.each(backends())('a wave runs its year theme modules on $name', (backend) => {
  let t: TestDatabase;
  let paths: ReturnType<typeof municipalWorkspace>;
  // 9 January 2027: the waves, scheduled for 4 January, are open.
  const clock = new TestClock(new Date('2027-01-09T09:00:00Z'));
  let app: ReturnType<typeof makeApp>;
  let staff: { cookie: string; csrfToken: string };

  const createWave = async (extra: Json) => {
    const res = await app.request(
      '/api/v1/waves',
      jsonRequest(
        'POST',
        {
          instrumentId: 'municipal-survey',
          version: 1,
          name: 'Kommuneundersøkelsen 2027',
          mode: 'census',
          locales: ['nb', 'nn'],
          allowDraftLocales: true,
          opensAt: '2027-01-04T07:00:00Z',
          ...extra,
        },
        { cookie: staff.cookie, 'x-csrf-token': staff.csrfToken },
      ),
    );
    return { status: res.status, body: (await res.json()) as Json };
  };
  /** An open wave of one municipality (Bergen): the chief executive's token. */
  const openedWave = async (extra: Json = {}) => {
    const created = await createWave(extra);
    expect(created.body).toMatchObject({ wave: {} });
    const wave = created.body.wave;
    await addUnits(t.db, wave.id, [{ externalId: '4601', municipalityCode: '4601' }]);
    const [link] = await openWave(t.db, wave.id, cli, clock.now());
    return { wave, token: link!.token };
  };
  const request = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await app.request(`/api/v1/${path}`, body === undefined ? {} : jsonRequest(method, body));
    return { status: res.status, body: (await res.json()) as Json };
  };
  const waveCount = async () =>
    Number(
      (
        await t.db
          .selectFrom('wave')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    if (backend.skip) return;
    t = await backend.open();
    paths = municipalWorkspace();
    app = makeApp(t, { clock, config: paths });
    await publishInstrument(t.db, paths, 'municipal-survey', cli);
    const admin = await createStaff(t.db, { role: 'admin' });
    staff = await logInAs(app, admin.email, admin.password);
  }, 120_000);
  afterAll(async () => {
    paths?.remove();
    await t?.close();
  });

  it.skipIf(backend.skip)(
    'a 2027 wave stores, shows and offers only the core and its two themes',
    async () => {
      const { wave, token } = await openedWave();
      expect(wave.modules).toEqual(wave2027);
      const view = await request('GET', `respond/${token}`);
      expect(view.status).toBe(200);
      expect(view.body.modules).toEqual(wave2027);
      const sections = (view.body.sections as Json[]).map((s) => s.name);
      expect(sections).toEqual(
        expect.arrayContaining(['b_settlement', 't_settle_depth', 't_interp_figures']),
      );
      expect(sections.filter((s) => /^t_(uam|vol|intro)/.test(s))).toEqual([]);

      // Delegation offers only the wave's sections, to the chief executive and in the staff overview.
      const colleague = { name: 'Kari', email: 'kari@bergen.kommune.no', locale: 'nb' };
      const refused = await request('POST', `respond/${token}/delegations`, {
        ...colleague,
        sections: ['t_vol_cooperation'],
      });
      expect(refused).toMatchObject({ status: 422, body: { code: 'unknown_section' } });
      const delegated = await request('POST', `respond/${token}/delegations`, {
        ...colleague,
        sections: ['t_settle_depth'],
      });
      expect(delegated.status).toBe(201);
      const overview = await app.request(`/api/v1/waves/${wave.id}/delegations`, {
        headers: { cookie: staff.cookie },
      });
      const names = ((await overview.json()) as Json).sections.map((s: Json) => s.name);
      expect(names).toContain('t_interp_use');
      expect(names).not.toContain('t_vol_cooperation');
      expect(names).not.toContain('t_intro_depth');
      const progress = await app.request(`/api/v1/waves/${wave.id}/progress?by=section`, {
        headers: { cookie: staff.cookie },
      });
      const counted = ((await progress.json()) as Json).rows.map((r: Json) => r.section);
      expect(counted).toEqual(names);

      // A theme answer outside the wave is refused and nothing of the save is stored; the wave's themes are taken.
      const outside = await request('POST', `respond/${token}/answers`, {
        answers: { m_pol_priority: 3, m_vol_cooperates: 1 },
      });
      expect(outside).toMatchObject({ status: 422, body: { code: 'question_not_in_wave' } });
      expect(outside.body.invalid_params).toEqual([
        { name: 'm_vol_cooperates', reason: expect.stringContaining('theme-volunteering') },
      ]);
      expect((await request('GET', `respond/${token}`)).body.answers).toEqual({});
      const inside = await request('POST', `respond/${token}/answers`, {
        answers: { m_pol_priority: 3, m_intro_result_targets: 2, m_interp_assignments: 120 },
      });
      expect(inside.status).toBe(200);

      // Submit: the required question of theme-volunteering, not run, does not block it.
      const sent = await request('POST', `respond/${token}/submit`, { confirmSectionsNotDone: true });
      expect(sent.status).toBe(200);
      const stored = await t.db
        .selectFrom('response')
        .select(['status', 'answers'])
        .where('wave_id', '=', wave.id)
        .executeTakeFirstOrThrow();
      expect(stored.status).toBe('completed');
      expect(stored.answers).toMatchObject({ m_interp_assignments: 120 });

      // The export keeps the columns of the themes not run, empty, and its codebook says which waves asked what.
      const { dataset, history } = await loadDataset(t.db, [wave.id], { labelLocale: 'nb', quality: false });
      const rows: unknown[][] = [];
      for await (const batch of dataset.batches()) rows.push(...batch);
      const cell = (name: string) => rows[0]![dataset.columns.findIndex((c) => c.name === name)];
      expect(dataset.columns.some((c) => c.name === 'm_vol_cooperates')).toBe(true);
      expect(cell('m_vol_cooperates')).toBeNull();
      expect(cell('m_interp_assignments')).toBe(120);
      const codebook = new Map(codebookRows(dataset, history).map((r) => [r.name, r]));
      expect(codebook.get('m_vol_cooperates')?.waves).toEqual([]);
      expect(codebook.get('m_interp_assignments')?.waves).toEqual([wave.name]);
    },
  );

  it.skipIf(backend.skip)(
    'an override runs the chosen theme, whose required question then counts',
    async () => {
      const { wave, token } = await openedWave({ themes: ['theme-volunteering'] });
      expect(wave.modules).toEqual([...core, 'theme-volunteering']);
      const view = await request('GET', `respond/${token}`);
      const sections = (view.body.sections as Json[]).map((s) => s.name);
      expect(sections).toContain('t_vol_cooperation');
      expect(sections).not.toContain('t_settle_depth');
      expect(
        (await request('POST', `respond/${token}/answers`, { answers: { m_tset_housing_plan: 1 } })).body
          .code,
      ).toBe('question_not_in_wave');
      await request('POST', `respond/${token}/answers`, {
        answers: { m_pol_priority: 3, m_intro_result_targets: 2 },
      });
      // The negative control: here the volunteering page is asked, so its required question blocks the submit.
      const blocked = await request('POST', `respond/${token}/submit`, {});
      expect(blocked.status).toBe(422);
      expect(blocked.body.invalid_params.map((p: Json) => p.name)).toEqual(['m_vol_cooperates']);
      await request('POST', `respond/${token}/answers`, { answers: { m_vol_cooperates: 2 } });
      expect((await request('POST', `respond/${token}/submit`, {})).status).toBe(200);
    },
  );

  it.skipIf(backend.skip)('the console is told the themes of the year before creating the wave', async () => {
    const preview = async (opensAt: string) => {
      const query = `instrumentId=municipal-survey&version=1&opensAt=${opensAt}`;
      const res = await app.request(`/api/v1/wave-themes?${query}`, { headers: { cookie: staff.cookie } });
      return { status: res.status, body: (await res.json()) as Json };
    };
    expect(await preview('2027-01-04T07:00:00Z')).toMatchObject({
      status: 200,
      body: { year: 2027, modules: wave2027, themes: ['theme-settlement', 'theme-interpreters'] },
    });
    expect((await preview('2029-01-08T07:00:00Z')).body.themes).toEqual([
      'theme-settlement',
      'theme-unaccompanied-minors',
    ]);
    const refused = await preview('2031-01-06T07:00:00Z');
    expect(refused).toMatchObject({ status: 422, body: { code: 'wave_year_not_in_rotation' } });
    // The version's themes come with the plan and with a refusal alike, for the console to offer them.
    const offered = (await preview('2027-01-04T07:00:00Z')).body.themeModules as string[];
    expect(offered).toEqual(
      expect.arrayContaining(['theme-settlement', 'theme-interpreters', 'theme-unaccompanied-minors']),
    );
    expect(offered.every((m) => m.startsWith('theme-'))).toBe(true);
    expect(refused.body.themeModules).toEqual(offered);
  });

  it.skipIf(backend.skip)(
    'a bad override or a year without a plan entry is refused and creates nothing',
    async () => {
      const before = await waveCount();
      const coreAsTheme = await createWave({ themes: ['core'] });
      expect(coreAsTheme).toMatchObject({ status: 422, body: { code: 'wave_themes_invalid' } });
      expect(coreAsTheme.body.invalid_params[0].reason).toContain('its themes: theme-settlement');
      expect((await createWave({ themes: ['theme-nothing'] })).body.code).toBe('wave_themes_invalid');
      expect((await createWave({ themes: [] })).status).toBe(422);
      const year = await createWave({ opensAt: '2031-01-06T07:00:00Z' });
      expect(year).toMatchObject({ status: 422, body: { code: 'wave_year_not_in_rotation' } });
      expect(await waveCount()).toBe(before);
      // With the themes given, a year the plan does not name is fine.
      const chosen = await createWave({ opensAt: '2031-01-06T07:00:00Z', themes: ['theme-intro-programme'] });
      expect(chosen.status).toBe(201);
      expect(chosen.body.wave.modules).toEqual([...core, 'theme-intro-programme']);
    },
  );
});
