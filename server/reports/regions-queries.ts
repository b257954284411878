// SQL of the regional report: the frame columns of a wave's selected units (never contact data), with the
// response each unit gave, for breakdowns by any column of the frame.
import type { Executor } from '../audit/queries.ts';

export function listUnitAttributes(db: Executor, waveId: string) {
  return db
    .selectFrom('frame_unit')
    .leftJoin('response', 'response.frame_unit_id', 'frame_unit.id')
    .select(['frame_unit.attributes', 'response.id as response_id', 'response.status as response_status'])
    .where('frame_unit.wave_id', '=', waveId)
    .where('frame_unit.selected', '=', true)
    .execute();
}
