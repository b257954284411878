// SQL of the staff view of delegation: a municipal wave's units with their response, and the pinned definition.
import { sql } from 'kysely';
import type { Executor } from '../audit/queries.ts';

export function findVersionDefinition(db: Executor, versionId: string) {
  return db
    .selectFrom('instrument_version')
    .select('definition')
    .where('id', '=', versionId)
    .executeTakeFirstOrThrow();
}

/**
 * The selected units of a wave with their response (status and answers), in order of external id; limited to one
 * municipality code and what starts with it (Oslo 0301 holds its districts 0301xx) when one is given.
 */
export function listUnitsWithResponse(
  db: Executor,
  waveId: string,
  opts: { municipalityCode: string | null },
) {
  return db
    .selectFrom('frame_unit')
    .leftJoin('response', 'response.frame_unit_id', 'frame_unit.id')
    .select((eb) => [
      'frame_unit.id',
      'frame_unit.external_id',
      'frame_unit.municipality_code',
      'frame_unit.attributes',
      'response.status as response_status',
      'response.answers',
      eb
        .exists(
          eb
            .selectFrom('invitation')
            .select('invitation.id')
            .whereRef('invitation.frame_unit_id', '=', 'frame_unit.id'),
        )
        .as('invited'),
    ])
    .where('frame_unit.wave_id', '=', waveId)
    .where('frame_unit.selected', '=', true)
    .$if(opts.municipalityCode !== null, (qb) =>
      qb.where(sql<boolean>`starts_with(frame_unit.municipality_code, ${opts.municipalityCode})`),
    )
    .orderBy('frame_unit.external_id')
    .execute();
}
