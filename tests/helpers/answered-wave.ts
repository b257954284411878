// A closed participant wave in which every unit answered every question, as the demo's synthetic participants
// do (seeded, conditions honoured), with a chosen overall satisfaction per unit: what fact sheets and the
// console's reports need to show something real.
import type { DatabaseHandle } from '../../server/db/connect.ts';
import { syntheticAnswers } from '../../server/demo/synthetic-answers.ts';
import { createRng } from '../../server/fieldwork/sampling.ts';
import { addUnits, closeWave, createWave, openWave } from '../../server/fieldwork/service.ts';
import { saveAnswers, submitResponse } from '../../server/responses/service.ts';
import { getVersion, publishInstrument } from '../../server/surveys/service.ts';
import { realPaths } from './surveys.ts';

const cli = { kind: 'cli' } as const;

/**
 * Publishes the participant survey, opens a census wave with `satisfaction[code].length` units in each
 * municipality, answers and submits them all, and closes the wave. Returns the wave's id.
 */
export async function answeredParticipantWave(
  handle: DatabaseHandle,
  opts: { name: string; satisfaction: Record<string, number[]>; seed: string; now: Date; closedAt: Date },
): Promise<string> {
  await publishInstrument(handle.db, realPaths, 'participant-survey', cli);
  const wave = await createWave(
    handle.db,
    {
      instrumentId: 'participant-survey',
      version: 1,
      name: opts.name,
      mode: 'census',
      locales: ['nb', 'nn', 'en'],
      allowDraftLocales: true,
    },
    cli,
  );
  const units = Object.entries(opts.satisfaction).flatMap(([code, sats]) =>
    sats.map((sat, i) => ({ externalId: `${code}-${i}`, municipalityCode: code, sat })),
  );
  await addUnits(
    handle.db,
    wave.id,
    units.map((u) => ({ externalId: u.externalId, municipalityCode: u.municipalityCode })),
  );
  const links = await openWave(handle.db, wave.id, cli, opts.now);
  const { definition } = await getVersion(handle.db, 'participant-survey', 1);
  const rng = createRng(opts.seed);
  for (const u of units) {
    const token = links.find((l) => l.externalId === u.externalId)!.token;
    const who = { municipalityCode: u.municipalityCode, locale: 'nb', satisfaction: u.sat };
    const pages = syntheticAnswers(definition, who, rng);
    const answers = Object.assign({ p_municipality: u.municipalityCode }, ...pages.map((p) => p.answers));
    await saveAnswers(handle.db, token, { answers, locale: 'nb' }, { now: opts.now });
    await submitResponse(handle.db, token, { now: opts.now });
  }
  await closeWave(handle.db, wave.id, cli, opts.closedAt);
  return wave.id;
}
