// Delegation by link, on both databases: the chief executive delegates sections, delegates answer only theirs
// (the server refuses anything else), everyone writes into one response, and saves are ordered by the server.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jsonRequest, makeApp, TestClock } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { openMunicipalWave } from '../helpers/municipal.ts';
import { startSmtp } from '../helpers/smtp.ts';
import { type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

type Json = Record<string, any>;

/** The small municipal fixture, with a required question and a condition on Part A in a delegable section. */
async function openDelegationWave(t: TestDatabase, w: SurveyWorkspace, mode: 'census' | 'sample' = 'census') {
  const opened = await openMunicipalWave(t.db, w, {
    mode,
    edit: (m) => {
      m.pages[1].elements[1].isRequired = true; // m_housing, in s_settle
      m.pages[3].elements[0].visibleIf = '{m_priority} = 2'; // m_work_note (s_work) depends on Part A
    },
  });
  return { wave: opened.wave, ce: opened.token };
}

describe.each(backends())('delegation by link on $name', (backend) => {
  let t: TestDatabase;
  let w: SurveyWorkspace;
  let clock: TestClock;
  let app: ReturnType<typeof makeApp>;
  let fw: Awaited<ReturnType<typeof openDelegationWave>>;
  let ce: string;

  beforeAll(async () => {
    if (!backend.skip) t = await backend.open();
  });
  afterAll(async () => {
    w?.remove();
    await t?.close();
  });
  beforeEach(async () => {
    if (backend.skip) return;
    w?.remove();
    w = surveyWorkspace();
    clock = new TestClock(new Date('2026-11-26T08:00:00Z'));
    app = makeApp(t, { clock, config: { localesDir: `${process.cwd()}/locales` } });
    fw = await openDelegationWave(t, w);
    ce = fw.ce('4601');
  });

  const post = async (path: string, body: unknown, a = app) => {
    const res = await a.request(`/api/v1/respond/${path}`, jsonRequest('POST', body));
    return { status: res.status, body: (await res.json()) as Json };
  };
  const get = async (path: string, a = app) => {
    const res = await a.request(`/api/v1/respond/${path}`);
    return { status: res.status, body: (await res.json()) as Json };
  };
  const tokenOf = (link: string) => link.split('/s/')[1]!;
  const delegate = async (sections: string[], name: string, locale = 'nn', token = ce) => {
    const res = await post(`${token}/delegations`, {
      sections,
      name,
      email: `${name.toLowerCase()}@bergen.kommune.no`,
      locale,
    });
    expect(res.status).toBe(201);
    return { id: res.body.delegateId as string, token: tokenOf(res.body.link) };
  };
  const stored = () =>
    t.db
      .selectFrom('response')
      .innerJoin('frame_unit', 'frame_unit.id', 'response.frame_unit_id')
      .selectAll('response')
      .where('frame_unit.wave_id', '=', fw.wave.id)
      .where('frame_unit.external_id', '=', '4601')
      .executeTakeFirst();

  it.skipIf(backend.skip)(
    'the chief executive sees every section, delegates two, and the delegate sees only its own',
    async () => {
      const open = await get(ce);
      expect(open.status).toBe(200);
      expect(open.body).toMatchObject({ role: 'chief_executive', readOnly: false, delegateId: null });
      expect(open.body.sections.map((s: Json) => [s.name, s.status, s.delegation])).toEqual([
        ['s_settle', 'not_started', null],
        ['s_intro', 'not_started', null],
        ['s_work', 'not_started', null],
      ]);
      const created = await post(`${ce}/delegations`, {
        sections: ['s_settle', 's_intro'],
        name: 'Kari Nordmann',
        email: 'kari@bergen.kommune.no',
        locale: 'nn',
        message: 'Kan du ta desse?',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ sections: ['s_settle', 's_intro'], mailed: false });
      expect(created.body.link).toMatch(/^http:\/\/localhost:\d+\/s\/[A-Za-z0-9_-]{43}$/);
      const kari = tokenOf(created.body.link);
      // Stored only as a hash.
      const row = await t.db
        .selectFrom('delegate')
        .select('token_hash')
        .where('id', '=', created.body.delegateId)
        .executeTakeFirstOrThrow();
      expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.token_hash).not.toContain(kari);

      const view = await get(kari);
      expect(view.body).toMatchObject({
        role: 'delegate',
        locale: 'nn',
        delegateId: created.body.delegateId,
        municipalityName: 'Bergen kommune',
      });
      expect(view.body.definition.pages.map((p: Json) => p.name)).toEqual(['s_settle', 's_intro']);
      expect(view.body.sections.map((s: Json) => s.name)).toEqual(['s_settle', 's_intro']);
      expect(view.body.sections[0].delegation).not.toHaveProperty('email');
      const overview = (await get(`${ce}/sections`)).body.sections as Json[];
      expect(overview[0]!.delegation).toMatchObject({
        name: 'Kari Nordmann',
        email: 'kari@bergen.kommune.no',
        locale: 'nn',
      });
      expect(overview[2]!.delegation).toBeNull();
      const audit = await t.db
        .selectFrom('audit_event')
        .select(['action', 'actor_id'])
        .where('action', 'like', 'delegation.%')
        .execute();
      expect(audit).toContainEqual({ action: 'delegation.created', actor_id: 'chief_executive' });
    },
  );

  it.skipIf(backend.skip)(
    'refuses every request of a delegate outside its sections, reading and writing, and changes nothing',
    async () => {
      const kari = await delegate(['s_settle'], 'Kari');
      const ola = await delegate(['s_work'], 'Ola', 'nb');
      expect((await post(`${ce}/answers`, { answers: { m_priority: 2 } })).status).toBe(200);
      const before = await stored();
      const refused = [
        await post(`${kari.token}/answers`, { answers: { m_priority: 1 } }), // Part A
        await post(`${kari.token}/answers`, { answers: { m_work_note: 'not mine' } }), // Ola's section
        await post(`${kari.token}/answers`, { answers: { m_settled: 4, m_participants: 3 } }), // one of them not delegated
        await post(`${ola.token}/answers`, { answers: { m_settled: 9 } }),
      ];
      for (const r of refused) {
        expect(r.status).toBe(403);
        expect(r.body.code).toBe('outside_delegation');
      }
      const after = await stored();
      expect(after!.answers).toEqual(before!.answers);
      expect(after!.answer_meta).toEqual(before!.answer_meta);

      const readOutside = await get(`${kari.token}/answers?codes=m_settled,m_priority`);
      expect(readOutside.status).toBe(403);
      expect(readOutside.body).toMatchObject({ code: 'outside_delegation', codes: ['m_priority'] });
      expect((await get(`${kari.token}/answers?codes=m_settled`)).status).toBe(200);
      const all = await get(`${kari.token}/answers`);
      expect(Object.keys(all.body.answers)).toEqual([]);
      // Only the chief executive delegates, takes back and submits; only a delegate marks done, its own sections.
      for (const [path, body] of [
        [`${kari.token}/submit`, { confirmSectionsNotDone: true }],
        [`${kari.token}/delegations`, { sections: ['s_intro'], name: 'X', email: 'x@x.no', locale: 'nb' }],
        [`${kari.token}/delegations/take-back`, { sections: ['s_work'] }],
      ] as const) {
        const r = await post(path, body);
        expect(r.status).toBe(403);
        expect(r.body.code).toBe('chief_executive_only');
      }
      expect(
        (await post(`${kari.token}/sections/done`, { sections: ['s_work'], done: true })).body.code,
      ).toBe('outside_delegation');
      expect((await post(`${ce}/sections/done`, { sections: ['s_settle'], done: true })).status).toBe(403);
      // The chief executive reads everything but cannot write into a delegated section.
      const ceWrite = await post(`${ce}/answers`, { answers: { m_settled: 3 } });
      expect(ceWrite.status).toBe(403);
      expect(ceWrite.body).toMatchObject({ code: 'section_delegated', sections: ['s_settle'] });
      expect((await stored())!.answers).toEqual(before!.answers);
      // A condition on Part A still evaluates for Ola: the value it names comes along, read-only.
      const olaView = await get(ola.token);
      expect(olaView.body.context).toEqual({ m_priority: 2 });
      expect(olaView.body.answers).toEqual({});
    },
  );

  it.skipIf(backend.skip)(
    'parallel saves from the chief executive and two delegates all land, each with its provenance',
    async () => {
      const kari = await delegate(['s_settle', 's_intro'], 'Kari');
      const ola = await delegate(['s_work'], 'Ola', 'nb');
      const saves = [
        ...Array.from({ length: 10 }, (_, i) =>
          post(`${ce}/answers`, { answers: { m_priority: 1 + (i % 2) }, device: 'ce-pc' }),
        ),
        ...Array.from({ length: 10 }, (_, i) =>
          post(`${kari.token}/answers`, { answers: { m_settled: i }, device: 'kari' }),
        ),
        ...Array.from({ length: 10 }, (_, i) =>
          post(`${kari.token}/answers`, { answers: { m_participants: i }, device: 'kari' }),
        ),
        ...Array.from({ length: 10 }, (_, i) =>
          post(`${ola.token}/answers`, { answers: { m_work_note: `note ${i}` }, device: 'ola' }),
        ),
      ];
      const results = await Promise.all(saves);
      expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
      const r = (await stored())!;
      expect(Object.keys(r.answers).sort()).toEqual([
        'm_participants',
        'm_priority',
        'm_settled',
        'm_work_note',
      ]);
      expect(r.answer_meta.m_priority!.by).toBe('chief_executive');
      expect(r.answer_meta.m_settled!.by).toBe(`delegate:${kari.id}`);
      expect(r.answer_meta.m_work_note!.by).toBe(`delegate:${ola.id}`);
      // Revisions are the server's and unique per save (not ordered: a save may take its number, then wait for the
      // row lock). Each stored answer carries the revision of the save that set it, and that save's value.
      const sent = saves.length;
      const revs = results.map((x) => Object.values(x.body.revs as Record<string, number>)[0]!);
      expect(new Set(revs).size).toBe(sent);
      const bodies = [
        ...Array.from({ length: 10 }, (_, i) => ({ m_priority: 1 + (i % 2) })),
        ...Array.from({ length: 10 }, (_, i) => ({ m_settled: i })),
        ...Array.from({ length: 10 }, (_, i) => ({ m_participants: i })),
        ...Array.from({ length: 10 }, (_, i) => ({ m_work_note: `note ${i}` })),
      ] as Record<string, unknown>[];
      for (const code of ['m_priority', 'm_settled', 'm_participants', 'm_work_note']) {
        const winner = results.findIndex((x) => x.body.revs[code] === r.answer_meta[code]!.rev);
        expect(winner, code).toBeGreaterThanOrEqual(0);
        expect(r.answers[code]).toEqual(bodies[winner]![code]);
      }
    },
  );

  it.skipIf(backend.skip)(
    'a genuine same-question conflict yields exactly one 409 with the current value and who set it',
    async () => {
      const first = await post(`${ce}/answers`, { answers: { m_priority: 1 }, device: 'pc' });
      const base = first.body.revs.m_priority as number;
      // Two people on the chief executive's link (two devices), both changing the answer they saw.
      const [a, b] = await Promise.all([
        post(`${ce}/answers`, { answers: { m_priority: 2 }, bases: { m_priority: base }, device: 'phone' }),
        post(`${ce}/answers`, {
          answers: { m_priority: 1, m_settled: 5 },
          bases: { m_priority: base },
          device: 'tablet',
        }),
      ]);
      // Both changed the same question from the same revision: one wins, the other is told; the value that
      // stayed equal to the stored one never conflicts, so the tablet's save conflicts only if the phone won.
      const statuses = [a.status, b.status].sort();
      const r = (await stored())!;
      if (r.answers.m_priority === 2) {
        expect(statuses).toEqual([200, 409]);
        const conflict = (a.status === 409 ? a : b).body;
        expect(conflict.code).toBe('answer_conflict');
        expect(conflict.conflicts).toEqual([
          expect.objectContaining({
            code: 'm_priority',
            value: 2,
            by: 'chief_executive',
            byRole: 'chief_executive',
          }),
        ]);
        expect(r.answers.m_settled).toBeUndefined(); // nothing of the refused save was stored
      } else {
        expect(statuses).toEqual([200, 409]);
      }
      // Keeping one's own: save again from the revision the conflict reported.
      const loser = a.status === 409 ? a : b;
      const keep = await post(`${ce}/answers`, {
        answers: { m_priority: 2 },
        bases: { m_priority: loser.body.conflicts[0].rev },
        device: 'x',
      });
      expect(keep.status).toBe(200);
      // The same device's own retry (an older base) never conflicts with itself.
      const retry = await post(`${ce}/answers`, {
        answers: { m_priority: 1 },
        bases: { m_priority: base },
        device: 'x',
      });
      expect(retry.status).toBe(200);
    },
  );

  it.skipIf(backend.skip)('a device whose clock runs hours ahead cannot freeze an answer', async () => {
    const ahead = Date.parse('2026-11-26T08:00:00Z') + 6 * 3600_000;
    const fast = await post(`${ce}/answers`, {
      answers: { m_priority: 1 },
      clientTime: ahead,
      device: 'fast',
    });
    expect(fast.status).toBe(200);
    // Another device, having seen that answer, corrects it with an honest (earlier) clock: it lands.
    const fix = await post(`${ce}/answers`, {
      answers: { m_priority: 2 },
      bases: { m_priority: fast.body.revs.m_priority },
      clientTime: ahead - 5 * 3600_000,
      device: 'honest',
    });
    expect(fix.status).toBe(200);
    expect((await stored())!.answers.m_priority).toBe(2);
    const view = await get(ce);
    expect(view.body.revs.m_priority).toBe(fix.body.revs.m_priority);
  });

  it.skipIf(backend.skip)(
    'a re-delegated or taken-back section stops working at once, also in a process that cached the link',
    async () => {
      const other = makeApp(t, { clock, config: { localesDir: `${process.cwd()}/locales` } });
      const kari = await delegate(['s_settle', 's_intro'], 'Kari');
      // The other process has seen (and cached) Kari's link.
      expect((await post(`${kari.token}/answers`, { answers: { m_settled: 1 } }, other)).status).toBe(200);
      const per = await delegate(['s_settle'], 'Per', 'nb');
      const lost = await post(`${kari.token}/answers`, { answers: { m_settled: 2 } }, other);
      expect(lost.status).toBe(403);
      expect(lost.body.code).toBe('outside_delegation');
      expect((await post(`${kari.token}/answers`, { answers: { m_participants: 7 } }, other)).status).toBe(
        200,
      );
      // Per's page starts from what Kari left (her answer's revision), so his change is not a conflict.
      const perView = await get(per.token, other);
      expect(perView.body.answers).toEqual({ m_settled: 1 });
      const perSave = await post(
        `${per.token}/answers`,
        { answers: { m_settled: 3 }, bases: perView.body.revs },
        other,
      );
      expect(perSave.status).toBe(200);
      // Taking back Kari's last section ends her link entirely.
      expect((await post(`${ce}/delegations/take-back`, { sections: ['s_intro'] })).body).toEqual({
        sections: ['s_intro'],
      });
      expect((await post(`${kari.token}/answers`, { answers: { m_participants: 8 } }, other)).body.code).toBe(
        'link_not_valid',
      );
      expect((await get(kari.token, other)).status).toBe(404);
      const r = (await stored())!;
      expect(r.answers).toMatchObject({ m_settled: 3, m_participants: 7 });
      // The chief executive may now answer the section taken back, from what Kari left there.
      const ceView = await get(ce);
      expect(
        (await post(`${ce}/answers`, { answers: { m_participants: 9 }, bases: ceView.body.revs })).status,
      ).toBe(200);
      const kariRow = await t.db
        .selectFrom('delegate')
        .select('revoked_at')
        .where('id', '=', kari.id)
        .executeTakeFirstOrThrow();
      expect(kariRow.revoked_at).not.toBeNull();
      const revokedEvents = await t.db
        .selectFrom('audit_event')
        .select('details')
        .where('action', '=', 'delegate.revoked')
        .execute();
      expect(revokedEvents.map((e) => e.details)).toContainEqual({
        delegateId: kari.id,
        reason: 'taken_back',
      });
    },
  );

  it.skipIf(backend.skip)(
    'done, reopen and submit: confirmation for unfinished sections, then every link is read-only',
    async () => {
      const kari = await delegate(['s_settle'], 'Kari');
      const ola = await delegate(['s_work'], 'Ola', 'nb');
      await post(`${kari.token}/answers`, { answers: { m_settled: 12, m_housing: 1 } });
      const done = await post(`${kari.token}/sections/done`, { sections: ['s_settle'], done: true });
      expect(done.status).toBe(200);
      expect(done.body.sections[0]).toMatchObject({ name: 's_settle', status: 'done' });
      expect(
        (await post(`${kari.token}/sections/done`, { sections: ['s_settle'], done: false })).body.sections[0]
          .status,
      ).toBe('in_progress');
      await post(`${kari.token}/sections/done`, { sections: ['s_settle'], done: true });
      await post(`${ce}/answers`, { answers: { m_priority: 2 } });
      const unconfirmed = await post(`${ce}/submit`, {});
      expect(unconfirmed.status).toBe(409);
      expect(unconfirmed.body).toMatchObject({
        code: 'sections_not_done',
        sections: [{ name: 's_work', delegateName: 'Ola' }],
      });
      const submitted = await post(`${ce}/submit`, { confirmSectionsNotDone: true });
      expect(submitted.status).toBe(200);
      for (const token of [ce, kari.token, ola.token]) {
        const view = await get(token);
        expect(view.body).toMatchObject({ status: 'completed', readOnly: true });
        expect(view.body.definition).not.toBeNull();
      }
      expect((await get(kari.token)).body.answers).toEqual({ m_settled: 12, m_housing: 1 });
      expect((await post(`${kari.token}/answers`, { answers: { m_settled: 1 } })).body.code).toBe(
        'response_completed',
      );
      expect((await post(`${ola.token}/sections/done`, { sections: ['s_work'], done: true })).body.code).toBe(
        'response_completed',
      );
      expect((await post(`${ce}/delegations/take-back`, { sections: ['s_work'] })).body.code).toBe(
        'response_completed',
      );
      const actions = (
        await t.db
          .selectFrom('audit_event')
          .select('action')
          .where('subject_id', '=', (await stored())!.frame_unit_id)
          .execute()
      ).map((a) => a.action);
      expect(actions).toEqual(
        expect.arrayContaining([
          'delegation.created',
          'delegation.done',
          'delegation.reopened',
          'response.submitted',
        ]),
      );
    },
  );

  it.skipIf(backend.skip)(
    'a required question in a delegated section blocks the submit unless its section was confirmed as unfinished',
    async () => {
      await delegate(['s_settle'], 'Kari');
      await post(`${ce}/answers`, { answers: { m_priority: 1 } });
      await post(`${ce}/delegations/take-back`, { sections: ['s_settle'] });
      const missing = await post(`${ce}/submit`, {});
      expect(missing.status).toBe(422);
      expect(missing.body.invalid_params.map((p: Json) => p.name)).toEqual(['m_housing']);
    },
  );

  it.skipIf(backend.skip)('validates delegation requests and changes nothing when refusing', async () => {
    const bad = [
      { sections: [], name: 'A', email: 'a@b.no', locale: 'nb' },
      { sections: ['a_lead'], name: 'A', email: 'a@b.no', locale: 'nb' }, // Part A is not delegable
      { sections: ['s_settle'], name: 'A', email: 'not-an-address', locale: 'nb' },
      { sections: ['s_settle'], name: 'A', email: 'a@b.no', locale: 'ar' }, // not offered by the wave
      { sections: ['s_settle'], name: 'A', email: 'a@b.no', locale: 'nb', extra: 1 },
    ];
    for (const body of bad) expect((await post(`${ce}/delegations`, body)).status).toBe(422);
    expect(
      await t.db.selectFrom('delegate').select('id').where('wave_id', '=', fw.wave.id).execute(),
    ).toEqual([]);
  });

  it.skipIf(backend.skip)('works the same in a sample wave, with an Oslo district as the unit', async () => {
    const sample = await openDelegationWave(t, w, 'sample');
    const district = sample.ce('030101');
    const kari = await delegate(['s_intro'], 'Kari', 'nb', district);
    expect((await post(`${kari.token}/answers`, { answers: { m_participants: 4 } })).status).toBe(200);
    expect((await post(`${kari.token}/sections/done`, { sections: ['s_intro'], done: true })).status).toBe(
      200,
    );
    expect((await post(`${district}/answers`, { answers: { m_priority: 2, m_housing: 1 } })).status).toBe(
      200,
    );
    expect((await post(`${district}/submit`, {})).status).toBe(200);
    const row = await t.db
      .selectFrom('response')
      .innerJoin('frame_unit', 'frame_unit.id', 'response.frame_unit_id')
      .select(['response.answers', 'response.answer_meta', 'response.status', 'frame_unit.design_weight'])
      .where('frame_unit.wave_id', '=', sample.wave.id)
      .where('frame_unit.external_id', '=', '030101')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'completed', design_weight: 1 });
    expect(row.answers).toEqual({ m_participants: 4, m_priority: 2, m_housing: 1 });
    expect(row.answer_meta.m_participants!.by).toBe(`delegate:${kari.id}`);
    expect(row.answer_meta.m_priority!.by).toBe('chief_executive');
  });

  it.skipIf(backend.skip)(
    'mails the delegate link in the chosen language when SMTP is configured',
    async () => {
      const smtp = await startSmtp();
      const received = smtp.received;
      try {
        const mailing = makeApp(t, {
          clock,
          config: { localesDir: `${process.cwd()}/locales`, smtpUrl: smtp.url },
        });
        const res = await post(
          `${ce}/delegations`,
          {
            sections: ['s_work'],
            name: 'Kari',
            email: 'kari@bergen.kommune.no',
            locale: 'nn',
            message: 'Takk!',
          },
          mailing,
        );
        expect(res.status).toBe(201);
        expect(res.body.mailed).toBe(true);
        expect(received).toHaveLength(1);
        expect(received[0]!.to).toEqual(['kari@bergen.kommune.no']);
        const raw = received[0]!.raw.replace(/=\r\n/g, '');
        expect(raw).toContain(tokenOf(res.body.link));
        expect(raw).toMatch(/lang=3D"nn"|lang="nn"/);
        // The address is never kept with the answers or in the audit log.
        const audit = await t.db.selectFrom('audit_event').select('details').execute();
        expect(JSON.stringify(audit)).not.toContain('kari@bergen.kommune.no');
      } finally {
        await smtp.close();
      }
    },
  );

  it.skipIf(backend.skip)(
    'caps new delegate links per municipality and day, so a leaked link cannot mail the world',
    async () => {
      for (let i = 0; i < 50; i += 1) await delegate(['s_work'], `P${i}`, 'nb');
      const capped = await post(`${ce}/delegations`, {
        sections: ['s_work'],
        name: 'One more',
        email: 'x@y.no',
        locale: 'nb',
      });
      expect(capped.status).toBe(429);
      expect(capped.body.code).toBe('too_many_requests');
      // The other municipality is not affected; and the day after, it works again.
      expect((await delegate(['s_work'], 'Other', 'nb', fw.ce('030101'))).id).toBeTruthy();
      clock.advance(24 * 3600_000 + 1);
      expect((await delegate(['s_work'], 'Tomorrow', 'nb')).id).toBeTruthy();
    },
  );
});
