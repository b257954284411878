// An open wave of the fixture instrument with a few units, and their links, for respondent tests.
import { renameSync } from 'node:fs';
import type { Db } from '../../server/db/connect.ts';
import { addUnits, createWave, openWave } from '../../server/fieldwork/service.ts';
import { publishInstrument } from '../../server/surveys/service.ts';
import type { SurveyWorkspace } from './surveys.ts';

let counter = 0;

/** Publishes the fixture instrument under a fresh id (versions are immutable, ids are forever). */
export async function publishMini(db: Db, w: SurveyWorkspace): Promise<string> {
  counter += 1;
  const id = `mini-${Date.now().toString(36)}-${counter}`;
  renameSync(`${w.surveysDir}/mini-survey`, `${w.surveysDir}/${id}`);
  for (const l of ['nn', 'ar'])
    renameSync(`${w.localesDir}/${l}/surveys/mini-survey.json`, `${w.localesDir}/${l}/surveys/${id}.json`);
  w.editJson(`surveys/${id}/instrument.json`, (i) => (i.id = id));
  await publishInstrument(db, w, id, { kind: 'cli' });
  return id;
}

/** Publishes the fixture under a fresh id (versions are immutable), opens a census wave and returns its links. */
export async function openMiniWave(
  db: Db,
  w: SurveyWorkspace,
  opts: { units?: { externalId: string; preferredLocale?: string }[]; locales?: string[]; now?: Date } = {},
) {
  const id = await publishMini(db, w);
  const wave = await createWave(
    db,
    {
      instrumentId: id,
      version: 1,
      name: 'Test wave',
      mode: 'census',
      locales: opts.locales ?? ['nb', 'nn', 'ar'],
      allowDraftLocales: true,
    },
    { kind: 'cli' },
  );
  await addUnits(
    db,
    wave.id,
    opts.units ?? [{ externalId: 'p1', preferredLocale: 'ar' }, { externalId: 'p2' }, { externalId: 'p3' }],
  );
  const links = await openWave(db, wave.id, { kind: 'cli' }, opts.now ?? new Date('2026-11-25T12:00:00Z'));
  return {
    instrumentId: id,
    wave,
    links,
    token: (externalId: string) => links.find((l) => l.externalId === externalId)!.token,
  };
}
