// Saves that arrive together are written as one statement (server/responses/save-batch.ts). Each must end exactly
// as if written alone: every save of a batch stored with its own revision, saves to one unit applied in the order
// they arrived, and one save that fails failing alone, its batch's others stored.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tokenHashOf } from '../../server/responses/links.ts';
import type { MergeSave } from '../../server/responses/queries.ts';
import { SaveBatcher } from '../../server/responses/save-batch.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { openMiniWave } from '../helpers/fieldwork.ts';
import { type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

const units = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];

describe.each(backends())('batched saves on $name', (backend) => {
  let t: TestDatabase;
  let w: SurveyWorkspace;
  let fw: Awaited<ReturnType<typeof openMiniWave>>;
  beforeAll(async () => {
    if (!backend.skip) t = await backend.open();
  });
  afterAll(async () => t?.close());
  beforeEach(async () => {
    if (backend.skip) return;
    w = surveyWorkspace();
    fw = await openMiniWave(t.db, w, {
      units: units.map((externalId) => ({ externalId })),
      now: new Date(Date.now() - 60_000),
    });
  });
  afterEach(() => w?.remove());

  const unitIds = async () =>
    new Map(
      (
        await t.db
          .selectFrom('frame_unit')
          .select(['id', 'external_id'])
          .where('wave_id', '=', fw.wave.id)
          .execute()
      ).map((u) => [u.external_id, u.id]),
    );
  const call = (unit: string, unitId: string, answers: Record<string, unknown>): MergeSave => ({
    tokenHash: tokenHashOf(fw.token(unit)),
    link: 'invitation',
    now: new Date(),
    locale: null,
    answers,
    bases: {},
    sections: [],
    page: undefined,
    by: 'respondent',
    device: 'phone',
    seq: null,
    deviceClass: null,
    unitId,
  });
  const stored = async () =>
    new Map(
      (
        await t.db
          .selectFrom('response')
          .innerJoin('frame_unit', 'frame_unit.id', 'response.frame_unit_id')
          .select(['frame_unit.external_id', 'response.answers', 'response.answer_meta'])
          .where('response.wave_id', '=', fw.wave.id)
          .execute()
      ).map((r) => [r.external_id, r]),
    );

  it.skipIf(backend.skip)(
    'writes the saves that queue behind a batch together, each with its own revision, one unit in arrival order',
    async () => {
      const ids = await unitIds();
      // One batch at a time: the first save goes alone, the rest queue behind it and go as one statement.
      const batcher = new SaveBatcher(t.db, 1);
      const alone = call('p1', ids.get('p1')!, { q_sat: 1 });
      const batched = call('p2', ids.get('p2')!, { q_sat: 2 });
      const saves = [
        batcher.save(alone),
        batcher.save(batched),
        ...units.slice(2).map((u, i) => batcher.save(call(u, ids.get(u)!, { q_sat: i + 3 }))),
        batcher.save(call('p6', ids.get('p6')!, { q_sat: 98 })),
      ];
      const revs = await Promise.all(saves);
      expect(revs.every((r) => r !== null)).toBe(true);
      expect(new Set(revs).size).toBe(revs.length);
      const rows = await stored();
      expect(rows.get('p1')!.answers).toEqual({ q_sat: 1 });
      expect(rows.get('p2')!.answers).toEqual({ q_sat: 2 });
      // p6 saved twice in the same batch: the later save is the answer, and its revision the one recorded.
      expect(rows.get('p6')!.answers).toEqual({ q_sat: 98 });
      expect(Number(rows.get('p6')!.answer_meta.q_sat!.rev)).toBe(Number(revs.at(-1)));
      // The time each save records is the same text alone and in a batch: the ISO time it was sent with.
      expect(rows.get('p1')!.answer_meta.q_sat!.at).toBe(alone.now.toISOString());
      expect(rows.get('p2')!.answer_meta.q_sat!.at).toBe(batched.now.toISOString());
    },
  );

  it.skipIf(backend.skip)('a save that fails fails alone; the rest of its batch is stored', async () => {
    const ids = await unitIds();
    const batcher = new SaveBatcher(t.db, 1);
    const first = batcher.save(call('p1', ids.get('p1')!, { q_sat: 1 }));
    // A NUL cannot be stored in jsonb: the database refuses the whole statement, and with it the batch.
    const bad = batcher.save(call('p2', ids.get('p2')!, { q_comment: 'a\u0000b' }));
    const good = units.slice(2).map((u) => batcher.save(call(u, ids.get(u)!, { q_sat: 3 })));
    await expect(bad).rejects.toThrow();
    expect(await first).not.toBeNull();
    expect((await Promise.all(good)).every((r) => r !== null)).toBe(true);
    const rows = await stored();
    expect(rows.has('p2')).toBe(false);
    for (const u of units.slice(2)) expect(rows.get(u)!.answers).toEqual({ q_sat: 3 });
  });

  it.skipIf(backend.skip)('a refused save in a batch is refused alone (a revoked link)', async () => {
    const ids = await unitIds();
    await t.db
      .updateTable('invitation')
      .set({ revoked_at: new Date() })
      .where('token_hash', '=', tokenHashOf(fw.token('p3')))
      .execute();
    const batcher = new SaveBatcher(t.db, 1);
    const results = await Promise.all(units.map((u) => batcher.save(call(u, ids.get(u)!, { q_sat: 2 }))));
    expect(results.map((r) => r === null)).toEqual(units.map((u) => u === 'p3'));
    expect([...(await stored()).keys()].sort()).toEqual(units.filter((u) => u !== 'p3'));
  });
});
