// An open municipal-survey wave of a small fixture instrument (Part A and three delegable sections), and delegates
// and answers put straight into the database, for tests of the staff side of delegation.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../server/db/connect.ts';
import { insertDelegate, insertDelegations, setSectionsDone } from '../../server/delegation/queries.ts';
import { drawWaveSample } from '../../server/fieldwork/sample.ts';
import { addUnits, createWave, openWave } from '../../server/fieldwork/service.ts';
import { hashSecretToken, newSecretToken } from '../../server/security/secret-token.ts';
import { publishInstrument } from '../../server/surveys/service.ts';
import { fixturesDir, type SurveyWorkspace } from './surveys.ts';

const cli = { kind: 'cli' } as const;
let counter = 0;

/** Two Oslo districts (names from the reference list), Bergen (name from the frame) and Trondheim. */
export const municipalUnits = [
  { externalId: '030101', municipalityCode: '030101' },
  { externalId: '030102', municipalityCode: '030102' },
  { externalId: '4601', municipalityCode: '4601', attributes: { municipality_name: 'Bergen kommune' } },
  { externalId: '5001', municipalityCode: '5001' },
];

/**
 * Publishes the fixture under a fresh id (versions are immutable), opens a census (or sample of all) wave of
 * `municipalUnits`; `edit` changes the fixture's module first (a required question, a condition…).
 */
export async function openMunicipalWave(
  db: Db,
  w: SurveyWorkspace,
  opts: { now?: Date; mode?: 'census' | 'sample'; edit?: (module: Record<string, any>) => void } = {},
) {
  counter += 1;
  const id = `muni-${Date.now().toString(36)}-${counter}`;
  cpSync(join(fixturesDir, 'delegation/surveys/muni-mini'), join(w.surveysDir, id), { recursive: true });
  cpSync(
    join(fixturesDir, 'delegation/locales/nn/surveys/muni-mini.json'),
    join(w.localesDir, 'nn/surveys', `${id}.json`),
  );
  w.editJson(`surveys/${id}/instrument.json`, (i) => (i.id = id));
  if (opts.edit) w.editJson(`surveys/${id}/modules/core.json`, opts.edit);
  await publishInstrument(db, w, id, cli);
  const mode = opts.mode ?? 'census';
  const wave = await createWave(
    db,
    { instrumentId: id, version: 1, name: 'Kommuneundersøkelsen (test)', mode, locales: ['nb', 'nn'] },
    cli,
  );
  const units = await addUnits(db, wave.id, municipalUnits);
  if (mode === 'sample')
    await drawWaveSample(db, wave.id, { size: municipalUnits.length, seed: 'test' }, cli);
  const links = await openWave(db, wave.id, cli, opts.now ?? new Date('2026-11-25T12:00:00Z'));
  const unitId = (externalId: string) => units.find((u) => u.external_id === externalId)!.id;
  /** The chief executive's link of a unit. */
  const token = (externalId: string) => links.find((l) => l.externalId === externalId)!.token;
  return { instrumentId: id, wave, unitId, token };
}

/** A delegate with a link, holding these sections of one municipality; `done` sections are marked done. */
export async function addDelegate(
  db: Db,
  wave: { id: string },
  frameUnitId: string,
  d: { name: string; email: string; locale: string; sections: string[]; done?: string[]; at: Date },
): Promise<string> {
  const delegateId = await insertDelegate(db, {
    waveId: wave.id,
    frameUnitId,
    tokenHash: hashSecretToken(newSecretToken()),
    locale: d.locale,
    name: d.name,
    email: d.email,
    at: d.at,
  });
  await insertDelegations(db, { waveId: wave.id, frameUnitId, delegateId, sections: d.sections, at: d.at });
  if (d.done?.length) await setSectionsDone(db, delegateId, d.done, d.at);
  return delegateId;
}

/** The municipality's one response row, as saves leave it. */
export async function putResponse(
  db: Db,
  wave: { id: string; instrument_version_id: string },
  frameUnitId: string,
  answers: Record<string, unknown>,
  status: 'in_progress' | 'completed' = 'in_progress',
): Promise<void> {
  await db
    .insertInto('response')
    .values({
      wave_id: wave.id,
      frame_unit_id: frameUnitId,
      instrument_version_id: wave.instrument_version_id,
      locale: 'nb',
      status,
      answers: JSON.stringify(answers),
      completed_at: status === 'completed' ? new Date() : null,
    })
    .execute();
}
