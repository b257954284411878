// Closing a wave: no more answers, and each respondent's non-response adjusted weight, within adjustment classes
// the survey manager chooses (rules in server/fieldwork/nonresponse.ts), reported against N.
import { recordAudit } from '../audit/queries.ts';
import type { Db } from '../db/connect.ts';
import { ConflictError, ValidationError } from '../http/errors.ts';
import type { Actor } from '../staff/service.ts';
import * as cq from './close-queries.ts';
import { adjustNonresponse, type ClassCollapse, NonresponseError } from './nonresponse.ts';
import * as q from './queries.ts';
import { lockWave } from './wave-lock.ts';

export interface NonresponseReport {
  /** The adjustment classes: county, stratum, municipality, preferred_language or a frame column. */
  adjustBy: string;
  /** Whether adjustBy is the wave's default (not asked for). */
  defaulted: boolean;
  classes: number;
  respondents: number;
  /** N: Σ design weights of the selected units. */
  population: number;
  /** Σ non-response weights of the respondents, as stored; equals N unless nobody responded. */
  weightSum: number;
  /** Classes without respondents and who carries their weight: a county code, `all`, or nobody (null). */
  collapsed: ClassCollapse[];
}

/**
 * A sample adjusts within its strata. A census has none: the municipal survey (one unit per municipality, where
 * adjusting within the municipality would do nothing) adjusts within counties; a participant census within
 * municipalities, a class without respondents falling to its county, then to all.
 */
export function defaultAdjustBy(wave: { mode: string; unit_type: string }): string {
  if (wave.mode === 'sample') return 'stratum';
  return wave.unit_type === 'municipality' ? 'county' : 'municipality';
}

const builtIn = new Set(['county', 'stratum', 'municipality', 'preferred_language']);

function refuse(reason: string): never {
  throw new ValidationError(
    `Cannot adjust by this: ${reason}.`,
    [{ name: 'adjustBy', reason }],
    'adjust_by_invalid',
  );
}

export async function closeWave(
  db: Db,
  waveId: string,
  actor: Actor,
  now: Date,
  opts: { adjustBy?: string | null } = {},
) {
  return db.transaction().execute(async (trx) => {
    const current = await lockWave(trx, waveId, {
      allow: ['draft', 'open'],
      refuse: { closed: { code: 'wave_closed', message: 'The wave is closed already.' } },
    });
    const asked = opts.adjustBy === 'municipality_code' ? 'municipality' : opts.adjustBy?.trim() || null;
    const adjustBy = asked ?? defaultAdjustBy(current);
    if (adjustBy === 'stratum' && current.mode === 'census')
      refuse('a census has no strata; adjust by county, municipality or a frame column');
    if (!builtIn.has(adjustBy) && !(await cq.frameHasColumn(trx, waveId, adjustBy)))
      refuse(`no selected unit has a value in the frame column ${adjustBy}`);
    let adjustment: ReturnType<typeof adjustNonresponse>;
    try {
      adjustment = adjustNonresponse(await cq.listAdjustmentCells(trx, waveId, adjustBy));
    } catch (err) {
      if (err instanceof NonresponseError) throw new ConflictError(err.code, err.message);
      throw err;
    }
    await cq.applyNonresponseFactors(trx, waveId, adjustBy, adjustment.factors);
    const report: NonresponseReport = {
      adjustBy,
      defaulted: asked === null,
      classes: adjustment.classes,
      respondents: adjustment.respondents,
      population: adjustment.population,
      weightSum: await cq.sumNonresponseWeights(trx, waveId),
      collapsed: adjustment.collapsed,
    };
    await cq.setNonresponseAdjustment(trx, waveId, report);
    const wave = await q.setWaveStatus(trx, waveId, 'closed', now);
    await recordAudit(trx, {
      actor,
      action: 'wave.closed',
      subject: { kind: 'wave', id: waveId },
      details: { nonresponseAdjustment: report },
    });
    return { ...wave, nonresponse_adjustment: report };
  });
}
