// All SQL for waves, frame units and invitations.
import type { Executor } from '../audit/queries.ts';

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

export function listSelectedUnitsWithoutInvitation(db: Executor, waveId: string) {
  return db
    .selectFrom('frame_unit')
    .select(['frame_unit.id', 'frame_unit.external_id', 'frame_unit.preferred_locale'])
    .where('frame_unit.wave_id', '=', waveId)
    .where('frame_unit.selected', '=', true)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('invitation')
            .select('invitation.id')
            .whereRef('invitation.frame_unit_id', '=', 'frame_unit.id')
            .where('invitation.revoked_at', 'is', null),
        ),
      ),
    )
    .orderBy('frame_unit.external_id')
    .execute();
}

export async function insertInvitations(
  db: Executor,
  rows: { waveId: string; frameUnitId: string; tokenHash: string; locale: string | null }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('invitation')
    .values(
      rows.map((r) => ({
        wave_id: r.waveId,
        frame_unit_id: r.frameUnitId,
        token_hash: r.tokenHash,
        locale: r.locale,
      })),
    )
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
