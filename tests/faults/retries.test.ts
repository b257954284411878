// Networks duplicate, delay and reorder requests: the same save twice, an older save arriving after a newer one, a
// submit twice, a save after a submit, submits racing each other and saves. Each leaves exactly the right answers
// and status in the database. Order is the server's (ADR 5): a device's own counter orders only its own saves.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jsonRequest, makeApp, TestClock } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { openMiniWave } from '../helpers/fieldwork.ts';
import { type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

type Body = { code?: string; revs?: Record<string, number>; completedAt?: string };

describe.each(backends())('duplicated and reordered requests on $name', (backend) => {
  let t: TestDatabase;
  let w: SurveyWorkspace;
  let app: ReturnType<typeof makeApp>;
  let fw: Awaited<ReturnType<typeof openMiniWave>>;
  beforeAll(async () => {
    if (!backend.skip) t = await backend.open();
  });
  afterAll(async () => t?.close());
  beforeEach(async () => {
    if (backend.skip) return;
    w = surveyWorkspace();
    app = makeApp(t, { clock: new TestClock(new Date('2026-11-26T08:00:00Z')) });
    fw = await openMiniWave(t.db, w);
  });
  afterEach(() => w?.remove());

  const post = async (path: string, body: Record<string, unknown>) => {
    const res = await app.request(`/api/v1/respond/${path}`, jsonRequest('POST', body));
    return { status: res.status, body: (await res.json()) as Body };
  };
  const save = (unit: string, body: Record<string, unknown>) => post(`${fw.token(unit)}/answers`, body);
  const submit = (unit: string) => post(`${fw.token(unit)}/submit`, {});
  const stored = async (unit: string) =>
    t.db
      .selectFrom('response')
      .innerJoin('frame_unit', 'frame_unit.id', 'response.frame_unit_id')
      .select(['response.answers', 'response.status', 'response.completed_at', 'response.current_page'])
      .where('frame_unit.external_id', '=', unit)
      .where('frame_unit.wave_id', '=', fw.wave.id)
      .execute();

  it.skipIf(backend.skip)('the same save twice, even at once, stores it once', async () => {
    const body = { answers: { q_sat: 2, q_topics: [1, 3] }, device: 'phone', seq: 1, page: 'p2' };
    expect((await save('p1', body)).status).toBe(200);
    expect((await save('p1', body)).status).toBe(200);
    const together = await Promise.all([save('p1', body), save('p1', body)]);
    expect(together.map((r) => r.status)).toEqual([200, 200]);
    const rows = await stored('p1');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      answers: { q_sat: 2, q_topics: [1, 3] },
      status: 'in_progress',
      current_page: 'p2',
    });
    // Two units saving at once never mix.
    await Promise.all([save('p2', { answers: { q_sat: 1 } }), save('p3', { answers: { q_sat: 98 } })]);
    expect((await stored('p2'))[0]!.answers).toEqual({ q_sat: 1 });
    expect((await stored('p3'))[0]!.answers).toEqual({ q_sat: 98 });
  });

  it.skipIf(backend.skip)(
    'an older save arriving after a newer one of the same device keeps the newer answers',
    async () => {
      // The page sent #1, timed out, and sent its newer outbox as #2; the network delivers #2 first.
      const newer = { answers: { q_sat: 2, q_months: null }, device: 'phone', seq: 2, page: 'p2' };
      const older = {
        answers: { q_sat: 1, q_months: 12, q_topics: [2] },
        device: 'phone',
        seq: 1,
        page: 'p1',
      };
      expect((await save('p1', newer)).status).toBe(200);
      expect((await save('p1', older)).status).toBe(200);
      // q_sat and q_months keep #2 (q_months stays cleared); q_topics, which #2 did not touch, takes #1's value.
      expect(await stored('p1')).toMatchObject([
        { answers: { q_sat: 2, q_topics: [2] }, current_page: 'p2' },
      ]);
      // The language follows the page: #2 chose Arabic, a late #1 in nynorsk leaves it Arabic (but was used).
      expect((await save('p2', { ...newer, locale: 'ar' })).status).toBe(200);
      expect((await save('p2', { ...older, locale: 'nn' })).status).toBe(200);
      const language = await t.db
        .selectFrom('response')
        .innerJoin('frame_unit', 'frame_unit.id', 'response.frame_unit_id')
        .select(['response.locale', 'response.locales_used'])
        .where('frame_unit.external_id', '=', 'p2')
        .where('frame_unit.wave_id', '=', fw.wave.id)
        .executeTakeFirstOrThrow();
      expect(language).toEqual({ locale: 'ar', locales_used: ['ar', 'nn'] });
      // The same counter again is a retry of the same save: it applies (and changes nothing).
      expect((await save('p1', newer)).status).toBe(200);
      expect((await stored('p1'))[0]!.answers).toEqual({ q_sat: 2, q_topics: [2] });
      // The device's next save applies as usual; another device's counter orders nothing of this one's.
      expect((await save('p1', { answers: { q_sat: 98 }, device: 'phone', seq: 3 })).status).toBe(200);
      const view = (await (await app.request(`/api/v1/respond/${fw.token('p1')}`)).json()) as Body;
      const laptop = { answers: { q_sat: 1 }, bases: view.revs, device: 'laptop', seq: 0 };
      expect((await save('p1', laptop)).status).toBe(200);
      expect((await stored('p1'))[0]!.answers).toEqual({ q_sat: 1, q_topics: [2] });
    },
  );

  it.skipIf(backend.skip)(
    'a device whose counter started again (its storage cleared) is a new device',
    async () => {
      expect((await save('p2', { answers: { q_sat: 2 }, device: 'old-id', seq: 900 })).status).toBe(200);
      const view = (await (await app.request(`/api/v1/respond/${fw.token('p2')}`)).json()) as Body;
      const fresh = await save('p2', { answers: { q_sat: 1 }, bases: view.revs, device: 'new-id', seq: 1 });
      expect(fresh.status).toBe(200);
      expect((await stored('p2'))[0]!.answers).toEqual({ q_sat: 1 });
    },
  );

  it.skipIf(backend.skip)('a submit sent twice completes once; a save after it changes nothing', async () => {
    expect((await save('p1', { answers: { q_sat: 2, q_months: 4 }, device: 'phone', seq: 1 })).status).toBe(
      200,
    );
    const first = await submit('p1');
    expect(first.status).toBe(200);
    const [done] = await stored('p1');
    expect(done).toMatchObject({ status: 'completed', answers: { q_sat: 2, q_months: 4 } });
    // The retry (its answer lost on the way back) says so plainly; the page treats it as done.
    const again = await submit('p1');
    expect(again).toMatchObject({ status: 409, body: { code: 'response_completed' } });
    const late = await save('p1', { answers: { q_sat: 1, q_months: 30 }, device: 'phone', seq: 2 });
    expect(late).toMatchObject({ status: 409, body: { code: 'response_completed' } });
    expect(await stored('p1')).toEqual([{ ...done }]);
    expect((await stored('p1'))[0]!.completed_at).toEqual(new Date(first.body.completedAt!));
  });

  it.skipIf(backend.skip)('two submits racing: one completes, the other is told it is done', async () => {
    expect((await save('p2', { answers: { q_sat: 98 } })).status).toBe(200);
    const results = await Promise.all([submit('p2'), submit('p2'), submit('p2')]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('response_completed');
    expect(await stored('p2')).toMatchObject([{ status: 'completed', answers: { q_sat: 98 } }]);
  });

  it.skipIf(backend.skip)(
    'saves racing a submit: each acknowledged save is in the submitted answers, the rest are refused',
    async () => {
      expect((await save('p3', { answers: { q_sat: 2 }, device: 'phone', seq: 1 })).status).toBe(200);
      const saves = Array.from({ length: 12 }, (_, i) =>
        save('p3', { answers: { q_months: i + 1 }, device: 'phone', seq: i + 2 }),
      );
      const [sent, ...saved] = await Promise.all([submit('p3'), ...saves]);
      // A submit that kept seeing new answers says so rather than sending answers it did not validate.
      if (sent!.status !== 200)
        expect(sent).toMatchObject({ status: 409, body: { code: 'answers_changed' } });
      const [row] = await stored('p3');
      expect(row!.status).toBe(sent!.status === 200 ? 'completed' : 'in_progress');
      const acknowledged = saved.flatMap((r, i) => (r.status === 200 ? [i + 1] : []));
      for (const r of saved.filter((x) => x.status !== 200)) {
        expect(r).toMatchObject({ status: 409, body: { code: 'response_completed' } });
      }
      // The submitted answers hold the newest acknowledged save (all went to the same question), and nothing else.
      const months = row!.answers.q_months;
      if (acknowledged.length) expect(months).toBe(Math.max(...acknowledged));
      else expect(months).toBeUndefined();
      expect(row!.answers.q_sat).toBe(2);
    },
  );
});
