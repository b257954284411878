// Drawing a wave's sample: stratified simple random sampling with a seeded, documented PRNG, stored with the
// wave so the same frame, settings and seed give the same sample on any machine.
import { recordAudit } from '../audit/queries.ts';
import type { Db } from '../db/connect.ts';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts';
import { municipalities2024 } from '../reference/municipalities.ts';
import type { Actor } from '../staff/service.ts';
import * as q from './queries.ts';
import {
  type AllocationMethod,
  type AllocationRow,
  allocate,
  drawSample,
  SamplingError,
} from './sampling.ts';

export interface SampleSettings {
  size: number;
  /** A frame column: municipality_code, county (from the municipality), preferred_language, or any extra column. */
  strata?: string | null;
  allocation?: AllocationMethod;
  minPerStratum?: number;
  seed?: string;
  /** Neyman: the spread per stratum (from a file), or the frame column holding it. */
  spreads?: Record<string, number>;
  spreadColumn?: string | null;
  /** Fixed allocation: n_h per stratum. */
  fixed?: Record<string, number>;
}

type Unit = Awaited<ReturnType<typeof q.listFrameUnits>>[number];

function stratumOf(u: Unit, column: string | null | undefined, counties: Map<string, string>): string {
  if (!column) return 'all';
  if (column === 'municipality_code') return u.municipality_code ?? '(none)';
  if (column === 'county') return counties.get((u.municipality_code ?? '').slice(0, 4)) ?? '(none)';
  if (column === 'preferred_language') return u.preferred_locale ?? '(none)';
  return u.attributes[column] ?? '(none)';
}

export async function drawWaveSample(db: Db, waveId: string, settings: SampleSettings, actor: Actor) {
  const wave = await q.findWave(db, waveId);
  if (!wave) throw new NotFoundError('No such wave.', 'wave_not_found');
  if (wave.mode !== 'sample')
    throw new ConflictError('wave_is_census', 'A census wave invites every unit: no sample to draw.');
  if (wave.status !== 'draft')
    throw new ConflictError('wave_not_draft', 'The sample is frozen once the wave is open.');
  const units = await q.listFrameUnits(db, waveId);
  const counties = new Map(municipalities2024().map((m) => [m.code, m.countyCode]));
  const strataOf = new Map(units.map((u) => [u.id, stratumOf(u, settings.strata, counties)]));
  const seed = settings.seed ?? `${waveId}`;
  const method = settings.allocation ?? 'proportional';
  const sizes = new Map<string, number>();
  // Neyman from a column: the stratum's spread, read from the first unit of the stratum that has one.
  const columnSpreads = new Map<string, number>();
  for (const u of units) {
    const s = strataOf.get(u.id)!;
    sizes.set(s, (sizes.get(s) ?? 0) + 1);
    if (settings.spreadColumn) {
      const v = Number(u.attributes[settings.spreadColumn]);
      if (Number.isFinite(v) && !columnSpreads.has(s)) columnSpreads.set(s, v);
    }
  }
  const strata = [...sizes].map(([stratum, size]) => ({
    stratum,
    size,
    spread: settings.spreads?.[stratum] ?? columnSpreads.get(stratum),
    fixed: settings.fixed?.[stratum],
  }));
  let table: AllocationRow[];
  let picks: ReturnType<typeof drawSample<{ id: string }>>['selected'];
  try {
    const allocation = allocate(strata, settings.size, method, {
      minPerStratum: settings.minPerStratum ?? 0,
    });
    const drawn = drawSample(
      units.map((u) => ({ id: u.external_id, unitId: u.id })),
      allocation,
      seed,
      (u) => strataOf.get(u.unitId)!,
    );
    table = drawn.table;
    picks = drawn.selected;
  } catch (err) {
    if (err instanceof SamplingError)
      throw new ValidationError(err.message, [{ name: 'sample', reason: err.message }], 'sampling_invalid');
    throw err;
  }
  const sampling = { ...settings, seed, allocation: method, table, drawnAt: new Date().toISOString() };
  await db.transaction().execute(async (trx) => {
    await q.setSelection(
      trx,
      waveId,
      picks.map((p) => ({
        frameUnitId: (p.unit as unknown as { unitId: string }).unitId,
        stratum: p.stratum,
        inclusionProbability: p.inclusionProbability,
        designWeight: p.designWeight,
      })),
      strataOf,
    );
    await q.setWaveSampling(trx, waveId, sampling);
    await recordAudit(trx, {
      actor,
      action: 'sample.drawn',
      subject: { kind: 'wave', id: waveId },
      details: { size: settings.size, method, seed },
    });
  });
  return { waveId, seed, allocation: method, table };
}
