// All SQL for waves, frame units and invitations.
import type { ExpressionBuilder } from 'kysely';
import type { Executor } from '../audit/queries.ts';
import type { Database } from '../db/schema.ts';

/** Whether the frame unit of the row has been sent any link: the invited count of progress and reports. */
export function invitedUnit(eb: ExpressionBuilder<Database, 'frame_unit'>) {
  return eb.exists(
    eb
      .selectFrom('invitation')
      .select('invitation.id')
      .whereRef('invitation.frame_unit_id', '=', 'frame_unit.id'),
  );
}

export function insertWave(
  db: Executor,
  row: {
    instrumentId: string;
    versionId: string;
    name: string;
    mode: 'census' | 'sample';
    unitType: 'participant' | 'municipality';
    locales: string[];
    allowDraftLocales: boolean;
    opensAt: Date | null;
    closesAt: Date | null;
    smallCellK?: number | undefined;
    /** Null or absent: every module of the version. */
    modules?: string[] | null;
    /** The plan year of `modules` when the opening year may still change it (wave-year.ts). */
    modulesYear?: number | null;
  },
) {
  return db
    .insertInto('wave')
    .values({
      instrument_id: row.instrumentId,
      instrument_version_id: row.versionId,
      name: row.name,
      mode: row.mode,
      unit_type: row.unitType,
      locales: row.locales,
      allow_draft_locales: row.allowDraftLocales,
      opens_at: row.opensAt,
      closes_at: row.closesAt,
      modules: row.modules ?? null,
      modules_year: row.modulesYear ?? null,
      ...(row.smallCellK !== undefined ? { small_cell_k: row.smallCellK } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findWave(db: Executor, id: string) {
  return db.selectFrom('wave').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertFrameUnits(
  db: Executor,
  waveId: string,
  units: {
    externalId: string;
    municipalityCode: string | null;
    preferredLocale: string | null;
    attributes: Record<string, string>;
  }[],
) {
  if (units.length === 0) return [];
  return db
    .insertInto('frame_unit')
    .values(
      units.map((u) => ({
        wave_id: waveId,
        external_id: u.externalId,
        municipality_code: u.municipalityCode,
        preferred_locale: u.preferredLocale,
        attributes: JSON.stringify(u.attributes),
      })),
    )
    .returning(['id', 'external_id'])
    .execute();
}

/** A census selects every unit with design weight 1. */
export async function selectAllUnits(db: Executor, waveId: string): Promise<void> {
  await db
    .updateTable('frame_unit')
    .set({ selected: true, inclusion_probability: 1, design_weight: 1 })
    .where('wave_id', '=', waveId)
    .execute();
}

export function setWaveStatus(db: Executor, id: string, status: 'open' | 'closed', at: Date) {
  return db
    .updateTable('wave')
    .set(status === 'open' ? { status, opened_at: at } : { status, closed_at: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listWaves(db: Executor) {
  return db
    .selectFrom('wave')
    .innerJoin('instrument_version', 'instrument_version.id', 'wave.instrument_version_id')
    .select([
      'wave.id',
      'wave.name',
      'wave.instrument_id',
      'instrument_version.version',
      'wave.mode',
      'wave.status',
      'wave.locales',
      'wave.opens_at',
      'wave.closes_at',
      'wave.created_at',
    ])
    .orderBy('wave.created_at', 'desc')
    .execute();
}

export async function upsertContact(
  db: Executor,
  frameUnitId: string,
  c: { name: string | null; email: string | null; phone: string | null },
  at: Date,
): Promise<void> {
  await db
    .insertInto('unit_contact')
    .values({ frame_unit_id: frameUnitId, name: c.name, email: c.email, phone: c.phone, updated_at: at })
    .onConflict((oc) =>
      oc
        .column('frame_unit_id')
        .doUpdateSet({ name: c.name, email: c.email, phone: c.phone, updated_at: at }),
    )
    .execute();
}

export async function setWaveSampling(db: Executor, waveId: string, sampling: unknown): Promise<void> {
  await db
    .updateTable('wave')
    .set({ sampling: JSON.stringify(sampling) })
    .where('id', '=', waveId)
    .execute();
}

/** Per selected unit: its response state (reminder rounds, the fact sheets' response rates). */
export function listSelectedUnitStates(db: Executor, waveId: string) {
  return db
    .selectFrom('frame_unit')
    .leftJoin('response', 'response.frame_unit_id', 'frame_unit.id')
    .select((eb) => [
      'frame_unit.id',
      'frame_unit.municipality_code',
      'frame_unit.preferred_locale',
      'frame_unit.stratum',
      'frame_unit.design_weight',
      'frame_unit.opted_out_at',
      'response.id as response_id',
      'response.status as response_status',
      'response.locale as response_locale',
      eb
        .exists(
          eb
            .selectFrom('invitation')
            .select('invitation.id')
            .whereRef('invitation.frame_unit_id', '=', 'frame_unit.id')
            .where('invitation.opened_at', 'is not', null),
        )
        .as('opened'),
      invitedUnit(eb).as('invited'),
    ])
    .where('frame_unit.wave_id', '=', waveId)
    .where('frame_unit.selected', '=', true)
    .execute();
}

export async function deleteContactsOfWave(db: Executor, waveId: string): Promise<number> {
  const r = await db
    .deleteFrom('unit_contact')
    .where('frame_unit_id', 'in', (eb) =>
      eb.selectFrom('frame_unit').select('id').where('wave_id', '=', waveId),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Deletes the names and addresses of a wave's delegates (municipal survey); their links and answers stay. */
export async function deleteDelegateContactsOfWave(db: Executor, waveId: string): Promise<number> {
  const r = await db
    .deleteFrom('delegate_contact')
    .where('delegate_id', 'in', (eb) => eb.selectFrom('delegate').select('id').where('wave_id', '=', waveId))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function revokeLiveInvitations(db: Executor, frameUnitId: string, at: Date): Promise<void> {
  await db
    .updateTable('invitation')
    .set({ revoked_at: at })
    .where('frame_unit_id', '=', frameUnitId)
    .where('revoked_at', 'is', null)
    .execute();
}
