// The staff side of delegation: the overview per municipality and progress per section, for each role, and the
// purge of delegates' names and e-mails with the wave's other contacts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeWave, createWave, purgeContacts } from '../../server/fieldwork/service.ts';
import { createStaff, logInAs, makeApp } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { publishMini } from '../helpers/fieldwork.ts';
import { addDelegate, openMunicipalWave, putResponse } from '../helpers/municipal.ts';
import { type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

type Section = {
  name: string;
  status: string;
  answered: number;
  questions: number;
  delegation: Record<string, unknown> | null;
};
type Unit = { externalId: string; name: string | null; response: string; sections: Section[] };
type Overview = { sections: { name: string; title: string }[]; units: Unit[] };

const at = new Date('2026-11-26T09:00:00Z');

describe.each(backends())('staff overview of delegation on $name', (backend) => {
  let t: TestDatabase;
  let w: SurveyWorkspace;
  let app: ReturnType<typeof makeApp>;
  let waveId: string;
  let participantWaveId: string;
  let kari: string;
  const cookies: Record<string, string> = {};

  const get = async (path: string, who: string) => {
    const res = await app.request(path, { headers: { cookie: cookies[who]! } });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const overview = async (who: string) =>
    (await get(`/api/v1/waves/${waveId}/delegations`, who)).body as Overview;

  beforeAll(async () => {
    if (backend.skip) return;
    t = await backend.open();
    w = surveyWorkspace();
    app = makeApp(t);
    const { wave, unitId } = await openMunicipalWave(t.db, w);
    waveId = wave.id;
    // Gamle Oslo: Kari holds two sections and has finished one; the chief executive answered Part A.
    kari = await addDelegate(t.db, wave, unitId('030101'), {
      name: 'Kari Nordmann',
      email: 'kari@oslo.kommune.no',
      locale: 'nn',
      sections: ['s_settle', 's_intro'],
      done: ['s_settle'],
      at,
    });
    await putResponse(t.db, wave, unitId('030101'), { m_priority: 2, m_settled: 12, m_participants: 3 });
    // Grünerløkka answered one section itself and submitted; Bergen delegated one section and has no response yet.
    await putResponse(t.db, wave, unitId('030102'), { m_participants: 5 }, 'completed');
    await addDelegate(t.db, wave, unitId('4601'), {
      name: 'Ola Berge',
      email: 'ola@bergen.kommune.no',
      locale: 'nb',
      sections: ['s_work'],
      at,
    });

    const participant = await createWave(
      t.db,
      {
        instrumentId: await publishMini(t.db, w),
        version: 1,
        name: 'P',
        mode: 'census',
        locales: ['nb', 'nn'],
      },
      { kind: 'cli' },
    );
    participantWaveId = participant.id;

    const staff = {
      admin: await createStaff(t.db, { role: 'admin' }),
      analyst: await createStaff(t.db, { role: 'analyst' }),
      oslo: await createStaff(t.db, { role: 'municipality', municipalityCode: '0301' }),
      stavanger: await createStaff(t.db, { role: 'municipality', municipalityCode: '1103' }),
    };
    for (const [who, s] of Object.entries(staff))
      cookies[who] = (await logInAs(app, s.email, s.password)).cookie;
  });
  afterAll(async () => {
    w?.remove();
    await t?.close();
  });

  it.skipIf(backend.skip)(
    'shows an admin every municipality, its sections and its delegates by name',
    async () => {
      const o = await overview('admin');
      expect(o.sections).toEqual([
        { name: 's_settle', title: 'Bosetting' },
        { name: 's_intro', title: 'Introduksjonsprogrammet' },
        { name: 's_work', title: 'Arbeid' },
      ]);
      expect(o.units.map((u) => [u.externalId, u.name, u.response])).toEqual([
        ['030101', 'Gamle Oslo', 'in_progress'],
        ['030102', 'Grünerløkka', 'completed'],
        ['4601', 'Bergen kommune', 'none'],
        ['5001', 'Trondheim', 'none'],
      ]);
      const [gamle, gruner, bergen, trondheim] = o.units as [Unit, Unit, Unit, Unit];
      expect(gamle.sections.map((s) => [s.name, s.status, s.answered, s.questions])).toEqual([
        ['s_settle', 'done', 1, 2],
        ['s_intro', 'in_progress', 1, 1],
        ['s_work', 'not_started', 0, 1],
      ]);
      expect(gamle.sections[0]!.delegation).toEqual({
        delegateId: kari,
        delegatedAt: at.toISOString(),
        doneAt: at.toISOString(),
        locale: 'nn',
        name: 'Kari Nordmann',
        email: 'kari@oslo.kommune.no',
      });
      expect(gamle.sections[1]!.delegation).toMatchObject({ delegateId: kari, doneAt: null });
      expect(gamle.sections[2]!.delegation).toBeNull();
      expect(gruner.sections.map((s) => s.status)).toEqual(['not_started', 'in_progress', 'not_started']);
      expect(bergen.sections[2]!.delegation).toMatchObject({
        name: 'Ola Berge',
        email: 'ola@bergen.kommune.no',
      });
      expect(trondheim.sections.every((s) => s.status === 'not_started' && !s.delegation)).toBe(true);
    },
  );

  it.skipIf(backend.skip)(
    'gives analysts no names or e-mails, and a municipality user only its own',
    async () => {
      const analyst = await overview('analyst');
      expect(analyst.units).toHaveLength(4);
      const d = analyst.units[0]!.sections[0]!.delegation!;
      expect(d).toMatchObject({ delegateId: kari, locale: 'nn' });
      expect(d).not.toHaveProperty('name');
      expect(d).not.toHaveProperty('email');
      expect(JSON.stringify(analyst)).not.toMatch(/Nordmann|Ola Berge|@/);

      const oslo = await overview('oslo');
      expect(oslo.units.map((u) => u.externalId)).toEqual(['030101', '030102']);
      expect(oslo.units[0]!.sections[0]!.delegation).not.toHaveProperty('email');
      expect(JSON.stringify(oslo)).not.toMatch(/Nordmann|@/);
      expect((await overview('stavanger')).units).toEqual([]);
    },
  );

  it.skipIf(backend.skip)(
    'refuses a participant wave, an unknown wave and anyone not logged in',
    async () => {
      const participant = await get(`/api/v1/waves/${participantWaveId}/delegations`, 'admin');
      expect(participant.status).toBe(409);
      expect(participant.body.code).toBe('wave_not_municipal');
      const unknown = await get('/api/v1/waves/00000000-0000-4000-8000-000000000000/delegations', 'analyst');
      expect(unknown.status).toBe(404);
      expect((await app.request(`/api/v1/waves/${waveId}/delegations`)).status).toBe(401);
    },
  );

  it.skipIf(backend.skip)('counts progress per section; other breakdowns are unchanged', async () => {
    const all = await get(`/api/v1/waves/${waveId}/progress?by=section`, 'analyst');
    expect(all.body.by).toBe('section');
    expect(
      all.body.rows.map((r: Record<string, unknown>) => [
        r.section,
        r.invited,
        r.delegated,
        r.notStarted,
        r.inProgress,
        r.done,
        r.completed,
      ]),
    ).toEqual([
      ['s_settle', 4, 1, 2, 0, 1, 1],
      ['s_intro', 4, 1, 2, 1, 0, 1],
      ['s_work', 4, 1, 3, 0, 0, 1],
    ]);
    const oslo = await get(`/api/v1/waves/${waveId}/progress?by=section`, 'oslo');
    expect(
      oslo.body.rows.map((r: { invited: number; completed: number }) => [r.invited, r.completed]),
    ).toEqual([
      [2, 1],
      [2, 1],
      [2, 1],
    ]);
    const total = await get(`/api/v1/waves/${waveId}/progress`, 'analyst');
    expect(total.body).toMatchObject({
      by: 'total',
      rows: [{ group: 'total', invited: 4, started: 2, completed: 1 }],
    });
    const participant = await get(`/api/v1/waves/${participantWaveId}/progress?by=section`, 'analyst');
    expect(participant.status).toBe(409);
    expect(participant.body.code).toBe('wave_not_municipal');
  });

  it.skipIf(backend.skip)("purges delegates' names and e-mails with the wave's contacts", async () => {
    await closeWave(t.db, waveId, { kind: 'cli' }, new Date('2026-12-20T00:00:00Z'));
    const purged = await purgeContacts(t.db, waveId, { kind: 'cli' });
    expect(purged).toMatchObject({ waveId, purgedDelegates: 2 });
    const left = await t.db
      .selectFrom('delegate_contact')
      .innerJoin('delegate', 'delegate.id', 'delegate_contact.delegate_id')
      .select('delegate_contact.delegate_id')
      .where('delegate.wave_id', '=', waveId)
      .execute();
    expect(left).toEqual([]);
    const d = (await overview('admin')).units[0]!.sections[0]!.delegation;
    expect(d).toMatchObject({ delegateId: kari, name: null, email: null });
  });
});
