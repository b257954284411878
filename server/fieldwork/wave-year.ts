// A wave created without an opening date took its themes from the rotation plan of the year it was created in. Its
// texts' years follow the year it is opened in (wave-variables.ts), so a wave created in December and opened in
// January would ask about the new year with the old year's themes. When such a wave opens in another year, it takes
// that year's themes instead, before any link exists: a link's cached view of its wave's modules never changes
// afterwards (responses/links.ts). Themes chosen by hand, or a wave with an opening date, are left as they are.
import type { Transaction } from 'kysely';
import { recordAudit } from '../audit/queries.ts';
import type { Database } from '../db/schema.ts';
import { ValidationError } from '../http/errors.ts';
import { findVersionDefinition } from '../responses/queries.ts';
import type { Actor } from '../staff/service.ts';
import type { SurveyPaths } from '../surveys/service.ts';
import { referenceYearOf } from '../surveys/wave-variables.ts';
import { modulesOfWave, readThemePlan } from './wave-modules.ts';

interface LockedWave {
  id: string;
  status: string;
  instrument_id: string;
  instrument_version_id: string;
  opens_at: Date | null;
  modules: string[] | null;
  modules_year: number | null;
}

/** The themes of the year the wave opens in, when that is not the year they were taken for; null: unchanged. */
export async function themesForOpeningYear(
  trx: Transaction<Database>,
  wave: LockedWave,
  paths: SurveyPaths | undefined,
  actor: Actor,
  now: Date,
): Promise<{ year: number; modules: string[] | null } | null> {
  if (!paths || wave.status !== 'draft' || wave.opens_at !== null || wave.modules_year === null) return null;
  // No opening date: its reference year is the year it opens in, now.
  const year = referenceYearOf({ opensAt: null, openedAt: null }, now);
  if (year === wave.modules_year) return null;
  const definition = await findVersionDefinition(trx, wave.instrument_version_id);
  let modules: string[] | null;
  try {
    modules = modulesOfWave(definition, readThemePlan(paths, wave.instrument_id), {}, now).modules;
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    throw new ValidationError(
      `The wave took ${wave.modules_year}'s themes when it was created and would open in ${year}, whose plan ` +
        'cannot give it themes. Add the year to the rotation plan, or create the wave again with its opening ' +
        'date or its themes.',
      err.invalidParams ?? [],
      err.code,
    );
  }
  await trx.updateTable('wave').set({ modules, modules_year: year }).where('id', '=', wave.id).execute();
  await recordAudit(trx, {
    actor,
    action: 'wave.themes_for_opening_year',
    subject: { kind: 'wave', id: wave.id },
    details: { createdFor: wave.modules_year, year, from: wave.modules, to: modules },
  });
  return { year, modules };
}
