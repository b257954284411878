// Drawing a wave's sample: stratum sizes and the selection in the database (memory-flat for a national frame),
// the allocation in JavaScript (a row per stratum). One transaction with the wave locked, so a draw racing an open
// either goes first or is refused, and the same frame, settings and seed give the same sample anywhere.
import { recordAudit } from '../audit/queries.ts';
import type { Db } from '../db/connect.ts';
import { ConflictError, ValidationError } from '../http/errors.ts';
import type { Actor } from '../staff/service.ts';
import { allowFrameSizedWork } from './frame-queries.ts';
import * as q from './queries.ts';
import { candidateCutOff, countStrata, isBuiltInStratumColumn, writeSelection } from './sample-queries.ts';
import { columnSpreads } from './sample-spreads.ts';
import {
  type AllocationMethod,
  allocate,
  allocationTable,
  EmptyStrataError,
  emptyStrataConsequence,
  SamplingError,
  selectionRule,
} from './sampling.ts';
import { lockWave } from './wave-lock.ts';

export interface SampleSettings {
  size: number;
  /** A frame column: municipality_code, county (from the municipality), preferred_language, or any extra column. */
  strata?: string | null;
  allocation?: AllocationMethod;
  /** At least this many units per stratum (or all of a smaller one); at least 1 unless allowEmptyStrata. */
  minPerStratum?: number;
  /** Lets a non-empty stratum get no unit: its units are then never represented and the weights sum short of N. */
  allowEmptyStrata?: boolean;
  seed?: string;
  /** Neyman: the spread per stratum (from a file), or the frame column holding it. */
  spreads?: Record<string, number>;
  spreadColumn?: string | null;
  /** Fixed allocation: n_h per stratum. */
  fixed?: Record<string, number>;
}

const frozen = { code: 'wave_not_draft', message: 'The sample is frozen once the wave is open.' };

export async function drawWaveSample(db: Db, waveId: string, settings: SampleSettings, actor: Actor) {
  const seed = settings.seed ?? waveId;
  const method = settings.allocation ?? 'proportional';
  return db.transaction().execute(async (trx) => {
    const wave = await lockWave(trx, waveId, { allow: ['draft'], refuse: { open: frozen, closed: frozen } });
    if (wave.mode !== 'sample')
      throw new ConflictError('wave_is_census', 'A census wave invites every unit: no sample to draw.');
    await allowFrameSizedWork(trx);
    // In code-unit order, so the allocation and its messages never depend on the database's collation.
    const sizes = (await countStrata(trx, waveId, settings.strata)).sort((a, b) =>
      a.stratum < b.stratum ? -1 : a.stratum > b.stratum ? 1 : 0,
    );
    refuseUnknownColumn(settings.strata, sizes);
    const fromColumn = settings.spreadColumn
      ? await columnSpreads(trx, waveId, settings.strata, settings.spreadColumn)
      : new Map<string, number>();
    const strata = sizes.map(({ stratum, size }) => ({
      stratum,
      size,
      spread: settings.spreads?.[stratum] ?? fromColumn.get(stratum),
      fixed: settings.fixed?.[stratum],
    }));
    const { table, empty } = allocationTable(strata, allocateOrRefuse(strata, method, settings));
    const population = sizes.reduce((a, s) => a + s.size, 0);
    // Frame changes lock the wave too; this is the last check that the sample written is the n allocated.
    const earlierDraw = wave.sampling !== null;
    if (
      (await writeSelection(trx, waveId, settings.strata, seed, table, candidateCutOff, earlierDraw)) !==
      settings.size
    )
      throw new ConflictError('frame_changed', 'The frame changed while the sample was drawn: draw again.');
    const warning = empty.length > 0 ? emptyStrataConsequence(empty, population) : null;
    const drawnAt = new Date().toISOString();
    const sampling = { ...settings, seed, allocation: method, selection: selectionRule, table, drawnAt };
    await q.setWaveSampling(trx, waveId, sampling);
    await recordAudit(trx, {
      actor,
      action: 'sample.drawn',
      subject: { kind: 'wave', id: waveId },
      details: { size: settings.size, method, seed, emptyStrata: empty.length },
    });
    return { waveId, seed, allocation: method, table, population, emptyStrata: empty, warning };
  });
}

/** A misspelt extra column would put every unit in "(none)", an unstratified draw that looks stratified. */
function refuseUnknownColumn(column: string | null | undefined, sizes: { stratum: string }[]) {
  if (column && !isBuiltInStratumColumn(column) && sizes.every((s) => s.stratum === '(none)'))
    throw new ValidationError(
      `No unit of the frame has a value in column ${column}: nothing to stratify by.`,
      [{ name: 'strata', reason: 'no unit has this column' }],
      'strata_column_unknown',
    );
}

/** allocate, its refusals as 422 problems: the empty strata listed one by one. */
function allocateOrRefuse(
  strata: Parameters<typeof allocate>[0],
  method: AllocationMethod,
  settings: SampleSettings,
) {
  try {
    return allocate(strata, settings.size, method, {
      minPerStratum: settings.minPerStratum ?? 0,
      allowEmptyStrata: settings.allowEmptyStrata ?? false,
    });
  } catch (err) {
    if (err instanceof EmptyStrataError)
      throw new ValidationError(
        err.message,
        err.strata.map((s) => ({
          name: `strata.${s.stratum}`,
          reason: `non-empty stratum of ${s.size} unit(s)`,
        })),
        err.code,
      );
    if (err instanceof SamplingError)
      throw new ValidationError(err.message, [{ name: 'sample', reason: err.message }], err.code);
    throw err;
  }
}
