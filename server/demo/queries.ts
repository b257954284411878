// All SQL of the demo: finding its waves by name (that is how it knows what it made before), removing a synthetic
// wave an interrupted run left half-built, and counting what the synthetic wave holds for the summary.
import type { Executor } from '../audit/queries.ts';

export function findWaveByName(db: Executor, instrumentId: string, name: string) {
  return db
    .selectFrom('wave')
    .select(['id', 'status'])
    .where('instrument_id', '=', instrumentId)
    .where('name', '=', name)
    .orderBy('created_at')
    .executeTakeFirst();
}

/** Frame units, invitations and responses go with it (on delete cascade). */
export async function deleteWave(db: Executor, waveId: string): Promise<void> {
  await db.deleteFrom('wave').where('id', '=', waveId).execute();
}

export async function countFrame(db: Executor, waveId: string) {
  const row = await db
    .selectFrom('frame_unit')
    .select((eb) => [
      eb.fn.countAll<string>().as('units'),
      eb.fn.count<string>('id').filterWhere('selected', '=', true).as('sampled'),
    ])
    .where('wave_id', '=', waveId)
    .executeTakeFirstOrThrow();
  return { units: Number(row.units), sampled: Number(row.sampled) };
}

export async function countResponses(db: Executor, waveId: string) {
  const rows = await db
    .selectFrom('response')
    .select(['status', 'locale', (eb) => eb.fn.countAll<string>().as('n')])
    .where('wave_id', '=', waveId)
    .groupBy(['status', 'locale'])
    .execute();
  return rows.map((r) => ({ status: r.status, locale: r.locale, n: Number(r.n) }));
}
