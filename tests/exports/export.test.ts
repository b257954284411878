// Exports on both databases: the shape (one row per response, system columns, flattened answers), no contact
// data or tokens in any format, access by role, the audit entry, waves aligned by code, and streaming over HTTP.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memorySink } from '../../server/exports/dataset.ts';
import { exportFormats } from '../../server/exports/formats.ts';
import { type ExportRequest, prepareExport } from '../../server/exports/service.ts';
import { addUnits, closeWave, createWave, openWave } from '../../server/fieldwork/service.ts';
import { saveAnswers, submitResponse } from '../../server/responses/service.ts';
import { createStaff, jsonRequest, logInAs, makeApp, TestClock } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { openMiniWave } from '../helpers/fieldwork.ts';
import { openMunicipalWave } from '../helpers/municipal.ts';
import { type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

const operator = {
  principal: { role: 'operator' as const, municipalityCode: null },
  actor: { kind: 'cli' as const },
};
const now = new Date('2026-11-26T09:00:00Z');

async function csvOf(t: TestDatabase, req: Partial<ExportRequest> & { waveIds: string[] }, who = operator) {
  const prepared = await prepareExport(t.db, { format: 'csv', labelLocale: 'nb', ...req }, who, now);
  const sink = memorySink();
  await prepared.write(sink);
  return parse(sink.text(), { columns: true, bom: true, delimiter: req.csv?.delimiter ?? ',' }) as Record<
    string,
    string
  >[];
}

describe.each(backends())('exports on $name', (backend) => {
  let t: TestDatabase;
  let w: SurveyWorkspace;
  let fw: Awaited<ReturnType<typeof openMiniWave>>;
  beforeAll(async () => {
    if (backend.skip) return;
    t = await backend.open();
    w = surveyWorkspace();
    fw = await openMiniWave(t.db, w, {
      units: [{ externalId: 'p1', preferredLocale: 'ar' }, { externalId: 'p2' }, { externalId: 'p3' }],
    });
    const at = new Date('2026-11-26T08:00:00Z');
    await saveAnswers(
      t.db,
      fw.token('p1'),
      {
        answers: { q_sat: 1, q_why: '=HYPERLINK("http://x")', q_months: 14, q_topics: [1, 3] },
        locale: 'ar',
      },
      { now: at },
    );
    await submitResponse(t.db, fw.token('p1'), { now: new Date('2026-11-26T08:10:00Z') });
    await saveAnswers(
      t.db,
      fw.token('p2'),
      { answers: { q_sat: 98, q_topics: [] }, page: 'p2' },
      { now: at },
    );
  });
  afterAll(async () => {
    w?.remove();
    await t?.close();
  });

  it.skipIf(backend.skip)(
    'one row per response, system columns, multi-select as 0/1 columns, formulas neutralised',
    async () => {
      const rows = await csvOf(t, { waveIds: [fw.wave.id] });
      expect(rows).toHaveLength(2);
      const names = Object.keys(rows[0]!);
      expect(names.slice(0, 18)).toEqual([
        'response_id',
        'wave',
        'instrument_version',
        'status',
        'stratum',
        'municipality',
        'county',
        'design_weight',
        'nr_weight',
        'design_stratum',
        'design_stratum_size',
        'locale',
        'locales_used',
        'device_class',
        'started_at',
        'last_saved_at',
        'completed_at',
        'duration_s',
      ]);
      expect(names).toEqual(
        expect.arrayContaining(['q_sat', 'q_why', 'q_months', 'q_topics_1', 'q_topics_2', 'q_topics_3']),
      );
      const p1 = rows.find((r) => r.status === 'completed')!;
      expect(p1).toMatchObject({
        q_sat: '1',
        q_months: '14',
        q_topics_1: '1',
        q_topics_2: '0',
        q_topics_3: '1',
        locale: 'ar',
        duration_s: '600',
        completed_at: '2026-11-26T08:10:00.000Z',
        design_weight: '1',
      });
      expect(p1.q_why!.startsWith("'=")).toBe(true);
      const p2 = rows.find((r) => r.status === 'in_progress')!;
      expect(p2).toMatchObject({ q_sat: '98', q_topics_1: '0', q_months: '', completed_at: '' });
      // Never a token, a name or an address; the response id is not the link.
      const text = JSON.stringify(rows);
      for (const l of fw.links) expect(text).not.toContain(l.token);
      expect(names.some((n) => /email|phone|token|name$/.test(n))).toBe(false);
    },
  );

  it.skipIf(backend.skip)(
    'CSV for Norwegian Excel: BOM and semicolons; value labels on request',
    async () => {
      const prepared = await prepareExport(
        t.db,
        {
          waveIds: [fw.wave.id],
          format: 'csv',
          labelLocale: 'nb',
          csv: { bom: true, delimiter: ';', valueLabels: true },
        },
        operator,
        now,
      );
      const sink = memorySink();
      await prepared.write(sink);
      expect(sink.bytes().subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      expect(sink.text().split('\n')[0]).toContain('response_id;wave;');
      const rows = parse(sink.text(), { columns: true, bom: true, delimiter: ';' }) as Record<
        string,
        string
      >[];
      expect(rows.map((r) => r.q_sat).sort()).toEqual(['Lite fornøyd', 'Vet ikke']);
    },
  );

  it.skipIf(backend.skip)(
    'every format is written for a participant wave and a municipal wave with a delegate, with no token or contact data',
    async () => {
      const wm = surveyWorkspace();
      const m = await openMunicipalWave(t.db, wm);
      wm.remove();
      const app = makeApp(t, { clock: new TestClock(now) });
      const created = await app.request(
        `/api/v1/respond/${m.token('4601')}/delegations`,
        jsonRequest('POST', {
          sections: ['s_work'],
          name: 'Kari Nordmann',
          email: 'kari@bergen.kommune.no',
          locale: 'nn',
        }),
      );
      const delegateToken = ((await created.json()) as { link: string }).link.split('/s/')[1]!;
      await app.request(
        `/api/v1/respond/${delegateToken}/answers`,
        jsonRequest('POST', { answers: { m_work_note: 'ኣብ ኖርወይ' } }),
      );
      const secrets = [
        ...fw.links.map((l) => l.token),
        m.token('4601'),
        delegateToken,
        'kari@bergen',
        'Kari Nordmann',
      ];
      for (const waveId of [fw.wave.id, m.wave.id])
        for (const format of exportFormats) {
          const prepared = await prepareExport(
            t.db,
            { waveIds: [waveId], format, labelLocale: 'nb' },
            operator,
            now,
          );
          const sink = memorySink();
          await prepared.write(sink);
          expect(sink.bytes().length, format).toBeGreaterThan(0);
          const bytes = sink.bytes().toString('latin1');
          const text = sink.bytes().toString('utf8');
          for (const secret of secrets) {
            expect(bytes, format).not.toContain(secret);
            expect(text, format).not.toContain(secret);
          }
        }
    },
  );

  it.skipIf(backend.skip)(
    'two waves of one instrument align by question code; a wave that did not ask a variable is empty there',
    async () => {
      // Another instrument's wave (each fixture publish is a new instrument) cannot go with this one.
      const w2 = surveyWorkspace();
      const second = await openMiniWave(t.db, w2, { units: [{ externalId: 'x1' }] });
      w2.remove();
      // A second wave of the SAME instrument: its published version again.
      const wave2 = await createWave(
        t.db,
        {
          instrumentId: fw.instrumentId,
          version: 1,
          name: 'Wave 2',
          mode: 'census',
          locales: ['nb', 'nn', 'ar'],
          allowDraftLocales: true,
        },
        { kind: 'cli' },
      );
      await addUnits(t.db, wave2.id, [{ externalId: 'z1' }]);
      const [link] = await openWave(t.db, wave2.id, { kind: 'cli' }, now);
      await saveAnswers(t.db, link!.token, { answers: { q_sat: 2 } }, { now });
      const rows = await csvOf(t, { waveIds: [fw.wave.id, wave2.id] });
      expect(rows.map((r) => r.wave).sort()).toEqual(['Test wave', 'Test wave', 'Wave 2']);
      expect(rows.find((r) => r.wave === 'Wave 2')!.q_sat).toBe('2');
      const other = await prepareExport(
        t.db,
        { waveIds: [fw.wave.id, second.wave.id], format: 'csv', labelLocale: 'nb' },
        operator,
        now,
      ).catch((e) => e);
      expect(other.code).toBe('waves_not_same_instrument');
    },
  );

  it.skipIf(backend.skip)(
    'a municipal wave: one row per municipality, who answered each section',
    async () => {
      const m = await openMunicipalWave(t.db, w);
      const app = makeApp(t, { clock: new TestClock(now) });
      const ce = m.token('4601');
      const created = await app.request(
        `/api/v1/respond/${ce}/delegations`,
        jsonRequest('POST', {
          sections: ['s_settle'],
          name: 'Kari',
          email: 'kari@bergen.kommune.no',
          locale: 'nn',
        }),
      );
      const { link, delegateId } = (await created.json()) as { link: string; delegateId: string };
      await app.request(
        `/api/v1/respond/${link.split('/s/')[1]}/answers`,
        jsonRequest('POST', { answers: { m_settled: 12 } }),
      );
      await app.request(
        `/api/v1/respond/${ce}/answers`,
        jsonRequest('POST', { answers: { m_priority: 2, m_participants: 5 } }),
      );
      const rows = await csvOf(t, { waveIds: [m.wave.id] });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        municipality: '4601',
        county: '46',
        design_stratum: '4601', // a census weights within municipalities
        design_stratum_size: '1',
        m_settled: '12',
        m_priority: '2',
        by_s_settle: `delegate:${delegateId}`,
        by_s_intro: 'chief_executive',
        by_s_work: '',
      });
      expect(JSON.stringify(rows)).not.toContain('kari@');
    },
  );

  it.skipIf(backend.skip)(
    'a municipality user exports only its own municipal response, never participant data; every export is audited',
    async () => {
      const m = await openMunicipalWave(t.db, w);
      const app = makeApp(t, { clock: new TestClock(now) });
      for (const code of ['4601', '5001'])
        await app.request(
          `/api/v1/respond/${m.token(code)}/answers`,
          jsonRequest('POST', { answers: { m_priority: 1 } }),
        );
      const bergen = await createStaff(t.db, { role: 'municipality', municipalityCode: '4601' });
      const session = await logInAs(app, bergen.email, bergen.password);
      const own = await app.request(`/api/v1/exports?waves=${m.wave.id}&format=csv`, {
        headers: { cookie: session.cookie },
      });
      expect(own.status).toBe(200);
      expect(own.headers.get('content-type')).toContain('text/csv');
      expect(own.headers.get('content-disposition')).toMatch(/attachment; filename=".+\.csv"/);
      const rows = parse(await own.text(), { columns: true }) as Record<string, string>[];
      expect(rows.map((r) => r.municipality)).toEqual(['4601']);
      const participants = await app.request(`/api/v1/exports?waves=${fw.wave.id}&format=csv`, {
        headers: { cookie: session.cookie },
      });
      expect(participants.status).toBe(403);
      expect(((await participants.json()) as { code: string }).code).toBe('no_participant_microdata');
      const analyst = await createStaff(t.db, { role: 'analyst' });
      const a = await logInAs(app, analyst.email, analyst.password);
      const sav = await app.request(`/api/v1/exports?waves=${fw.wave.id}&format=sav&labels=en`, {
        headers: { cookie: a.cookie },
      });
      expect(sav.status).toBe(200);
      expect(
        Buffer.from(await sav.arrayBuffer())
          .subarray(0, 4)
          .toString('latin1'),
      ).toBe('$FL2');
      const bad = await app.request(`/api/v1/exports?waves=${fw.wave.id}&format=pdf`, {
        headers: { cookie: a.cookie },
      });
      expect(bad.status).toBe(422);
      expect((await app.request(`/api/v1/exports?waves=${fw.wave.id}&format=csv`)).status).toBe(401);
      const audit = await t.db
        .selectFrom('audit_event')
        .select(['actor_id', 'details', 'subject_id'])
        .where('action', '=', 'export.requested')
        .where('actor_kind', '=', 'staff')
        .execute();
      expect(audit).toContainEqual(
        expect.objectContaining({
          actor_id: analyst.id,
          subject_id: fw.wave.id,
          details: expect.objectContaining({ format: 'sav', labels: 'en' }),
        }),
      );
      expect(
        audit.some((e) => e.actor_id === bergen.id && (e.details as { scope: string }).scope === '4601'),
      ).toBe(true);
    },
  );

  it.skipIf(backend.skip)('weights come out after the wave is closed', async () => {
    const w3 = surveyWorkspace();
    const closedWave = await openMiniWave(t.db, w3, { units: [{ externalId: 'c1' }, { externalId: 'c2' }] });
    w3.remove();
    await saveAnswers(t.db, closedWave.token('c1'), { answers: { q_sat: 2 } }, { now });
    await submitResponse(t.db, closedWave.token('c1'), { now });
    await closeWave(t.db, closedWave.wave.id, { kind: 'cli' }, now);
    const rows = await csvOf(t, { waveIds: [closedWave.wave.id] });
    expect(rows[0]).toMatchObject({ design_weight: '1', nr_weight: '2' });
  });
});
