// Submit off the event loop (issue 12): survey-core's pass runs in a worker pool outside the row lock, the event
// loop keeps serving meanwhile, and a submit completes only answers it validated, whatever saves land during it.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/connect.ts';
import { setSectionsDone } from '../../server/delegation/queries.ts';
import { syntheticAnswers } from '../../server/demo/synthetic-answers.ts';
import { createRng } from '../../server/fieldwork/sampling.ts';
import { addUnits, createWave, openWave } from '../../server/fieldwork/service.ts';
import type { AppError } from '../../server/http/errors.ts';
import { saveAnswers, submitResponse } from '../../server/responses/service.ts';
import {
  closeSubmitValidation,
  type SubmitValidator,
  submitValidator,
  validateOnEventLoop,
} from '../../server/responses/validation-pool.ts';
import { getVersion, publishInstrument } from '../../server/surveys/service.ts';
import { jsonRequest, makeApp, TestClock } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { openMiniWave } from '../helpers/fieldwork.ts';
import { addDelegate, openMunicipalWave } from '../helpers/municipal.ts';
import { realPaths, type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

const now = new Date('2026-11-26T08:00:00Z');
const pool = submitValidator(1);

/** The pool's validator, running `meanwhile(n)` while the n-th validation is in the pool (before its commit). */
function racing(meanwhile: (n: number) => Promise<void>) {
  const v = Object.assign(
    (async (check) => {
      v.calls += 1;
      const verdict = pool(check);
      await meanwhile(v.calls);
      return verdict;
    }) as SubmitValidator,
    { calls: 0 },
  );
  return v;
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: AppError) => e,
  );

/** A census wave of the real participant survey (~50 ms per survey-core pass), each unit saved with full answers. */
async function participantWave(db: Db, units: number) {
  const published = await publishInstrument(db, realPaths, 'participant-survey', { kind: 'cli' });
  const wave = await createWave(
    db,
    {
      instrumentId: 'participant-survey',
      version: published.version,
      name: 'Pool',
      mode: 'census',
      locales: ['nb', 'nn', 'ar'],
      allowDraftLocales: true,
    },
    { kind: 'cli' },
  );
  await addUnits(
    db,
    wave.id,
    Array.from({ length: units }, (_, i) => ({ externalId: `u${i}`, preferredLocale: 'ar' })),
  );
  const links = await openWave(db, wave.id, { kind: 'cli' }, new Date('2026-11-25T12:00:00Z'));
  const { definition } = await getVersion(db, 'participant-survey', published.version);
  const rng = createRng('submit-pool');
  for (const link of links) {
    const pages = syntheticAnswers(
      definition,
      { municipalityCode: '0301', locale: 'ar', satisfaction: 3 },
      rng,
    );
    await saveAnswers(
      db,
      link.token,
      { answers: Object.assign({}, ...pages.map((p) => p.answers)), locale: 'ar' },
      { now },
    );
  }
  return links.map((l) => l.token);
}

describe.each(backends())('submit validated in a worker pool on $name', (backend) => {
  let t: TestDatabase;
  let w: SurveyWorkspace;
  let fw: Awaited<ReturnType<typeof openMiniWave>>;
  beforeAll(async () => {
    if (!backend.skip) t = await backend.open();
  });
  afterAll(async () => {
    await closeSubmitValidation();
    await t?.close();
  });
  beforeEach(async () => {
    if (backend.skip) return;
    w = surveyWorkspace();
    fw = await openMiniWave(t.db, w, {
      units: ['p1', 'p2', 'p3', ...Array.from({ length: 8 }, (_, i) => `r${i}`)].map((externalId) => ({
        externalId,
      })),
    });
  });
  afterEach(() => w?.remove());

  const stored = (externalId: string) =>
    t.db
      .selectFrom('response')
      .innerJoin('frame_unit', 'frame_unit.id', 'response.frame_unit_id')
      .select(['response.status', 'response.answers'])
      .where('frame_unit.external_id', '=', externalId)
      .where('frame_unit.wave_id', '=', fw.wave.id)
      .executeTakeFirstOrThrow();
  const save = (token: string, answers: Record<string, unknown>) =>
    saveAnswers(t.db, token, { answers }, { now });

  it.skipIf(backend.skip)(
    'validates again when a save changed the answers during the validation',
    async () => {
      const token = fw.token('p1');
      await save(token, { q_sat: 2, q_why: 'written before changing my mind' });
      const validate = racing(async (n) => {
        if (n === 1) await save(token, { q_sat: 1 }); // q_why is shown again: it must be kept, not cleared
      });
      await submitResponse(t.db, token, { now, validate });
      expect(validate.calls).toBe(2);
      expect(await stored('p1')).toEqual({
        status: 'completed',
        answers: { q_sat: 1, q_why: 'written before changing my mind' },
      });
    },
  );

  it.skipIf(backend.skip)('refuses when the answers saved during the validation are incomplete', async () => {
    const token = fw.token('p1');
    await save(token, { q_sat: 2 });
    const validate = racing(async (n) => {
      if (n === 1) await save(token, { q_sat: null });
    });
    const err = await refusal(submitResponse(t.db, token, { now, validate }));
    expect(err).toMatchObject({ status: 422, code: 'missing_answers' });
    expect(err!.invalidParams!.map((p) => p.name)).toEqual(['q_sat']);
    expect(await stored('p1')).toEqual({ status: 'in_progress', answers: {} });
  });

  it.skipIf(backend.skip)(
    'answers 409 answers_changed when every validation is overtaken by a save',
    async () => {
      const token = fw.token('p1');
      await save(token, { q_sat: 2 });
      const validate = racing((n) => save(token, { q_months: n }).then(() => {}));
      expect(await refusal(submitResponse(t.db, token, { now, validate }))).toMatchObject({
        status: 409,
        code: 'answers_changed',
      });
      expect(validate.calls).toBe(3);
      expect(await stored('p1')).toEqual({ status: 'in_progress', answers: { q_sat: 2, q_months: 3 } });
    },
  );

  it.skipIf(backend.skip)(
    'validates again when a delegated section skipped as unfinished is marked done during the validation',
    async () => {
      const muni = await openMunicipalWave(t.db, w, {
        edit: (m) => {
          m.pages[1].elements[1].isRequired = true; // m_housing, in s_settle
        },
      });
      const token = muni.token('4601');
      const kari = await addDelegate(t.db, muni.wave, muni.unitId('4601'), {
        name: 'Kari',
        email: 'kari@example.no',
        locale: 'nb',
        sections: ['s_settle'],
        at: now,
      });
      await save(token, { m_priority: 1 });
      const validate = racing(async (n) => {
        if (n === 1) await setSectionsDone(t.db, kari, ['s_settle'], now); // done, yet m_housing is missing
      });
      const err = await refusal(submitResponse(t.db, token, { now, confirmSectionsNotDone: true, validate }));
      expect(validate.calls).toBe(2);
      expect(err).toMatchObject({ status: 422, code: 'missing_answers' });
      expect(err!.invalidParams!.map((p) => p.name)).toEqual(['m_housing']);
    },
  );

  it.skipIf(backend.skip)(
    'a save racing a submit over HTTP is either in the sent answers or refused',
    async () => {
      const app = makeApp(t, { clock: new TestClock(now), config: { submitWorkers: 1 } });
      const units = Array.from({ length: 8 }, (_, i) => `r${i}`);
      const tokens = units.map((u) => fw.token(u));
      for (const token of tokens) await save(token, { q_sat: 2 });
      await Promise.all(
        tokens.map(async (token, i) => {
          // Staggered, so some saves land before the submit reads, some during its validation, some after.
          const submit = app.request(`/api/v1/respond/${token}/submit`, jsonRequest('POST', {}));
          await new Promise((r) => setTimeout(r, i * 3));
          const saved = await app.request(
            `/api/v1/respond/${token}/answers`,
            jsonRequest('POST', { answers: { q_sat: 98 } }),
          );
          const sent = await submit;
          expect(sent.status).toBe(200);
          expect([200, 409]).toContain(saved.status);
          // Acknowledged before the submit committed: it is what was validated and sent; else the save was refused.
          const r = await stored(units[i]!);
          expect(r).toEqual({ status: 'completed', answers: { q_sat: saved.status === 200 ? 98 : 2 } });
        }),
      );
    },
  );

  it.skipIf(backend.skip)('keeps the event loop responsive while submits are validated', async () => {
    const tokens = await participantWave(t.db, 35);
    const app = makeApp(t, { clock: new TestClock(now), config: { submitWorkers: 1 } });
    const submit = (token: string) => app.request(`/api/v1/respond/${token}/submit`, jsonRequest('POST', {}));
    expect((await submit(tokens.pop()!)).status).toBe(200); // starts the pool's thread, reads the definition

    // The longest stall of the event loop while `run` runs. Each figure is the least of three tries, so a stall
    // of a busy machine (the scheduler, another process) has to strike every try to count; one made by a
    // validation on this thread strikes every try.
    const longestStall = async (run: () => Promise<unknown>) => {
      const stalls: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        const delay = monitorEventLoopDelay({ resolution: 1 });
        delay.enable();
        // The histogram's timer measures from its first tick: let it tick before the run may block the loop.
        await new Promise((r) => setTimeout(r, 5));
        await run();
        // Let the timer record a stall that lasted to the end of the run.
        await new Promise((r) => setTimeout(r, 5));
        delay.disable();
        stalls.push(delay.max / 1e6);
      }
      return Math.min(...stalls);
    };
    // Negative control: the pass on the event loop, one submit at a time, stalls it for a whole validation.
    const onLoop = await longestStall(() =>
      submitResponse(t.db, tokens.pop()!, { now, validate: validateOnEventLoop }),
    );
    // Ten submits arriving 20 ms apart, as at 50 submits/s, validated in the pool.
    const pooled = await longestStall(async () => {
      const statuses = await Promise.all(
        tokens.splice(0, 10).map(async (token, i) => {
          await new Promise((r) => setTimeout(r, i * 20));
          return (await submit(token)).status;
        }),
      );
      expect(statuses).toEqual(Array(10).fill(200));
    });
    expect(onLoop).toBeGreaterThan(25); // one survey-core pass of this survey: long enough to be seen
    expect(pooled).toBeLessThan(onLoop / 2);
  });

  it.skipIf(backend.skip)(
    'gives the same problems from the pool as from the pass on the event loop',
    async () => {
      const tokens = await participantWave(t.db, 2);
      const app = makeApp(t, { clock: new TestClock(now), config: { submitWorkers: 1 } });
      for (const token of tokens)
        await saveAnswers(t.db, token, { answers: { p_municipality: null } }, { now });
      const pooled = await app.request(
        `/api/v1/respond/${tokens[0]}/submit`,
        jsonRequest('POST', { locale: 'ar' }),
      );
      expect(pooled.status).toBe(422);
      const body = (await pooled.json()) as {
        code: string;
        invalid_params: { name: string; reason: string }[];
      };
      const onLoop = await refusal(
        submitResponse(t.db, tokens[1]!, { now, locale: 'ar', validate: validateOnEventLoop }),
      );
      expect(body.code).toBe('missing_answers');
      expect(onLoop).toMatchObject({ status: 422, code: 'missing_answers' });
      expect(body.invalid_params).toEqual(onLoop!.invalidParams);
      expect(body.invalid_params.map((p) => p.name)).toEqual(['p_municipality']);
      expect(body.invalid_params[0]!.reason).toMatch(/[\u0600-\u06FF]/); // survey-core's message, in Arabic
    },
  );
});
