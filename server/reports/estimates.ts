// A wave's design-based estimates, overall and by domain, on exactly what the export holds (load.ts).
import type { Db } from '../db/connect.ts';
import type { Cell } from '../exports/columns.ts';
import type { Dataset } from '../exports/dataset.ts';
import { loadDataset } from '../exports/load.ts';
import * as exportQueries from '../exports/queries.ts';
import { requireWave } from '../fieldwork/wave-lock.ts';
import { ConflictError } from '../http/errors.ts';
import type { Codebook } from '../surveys/codebook.ts';
import { waveStratumPopulations, weightingStratum } from './design.ts';
import { type Code, resolveBy, resolveVariable, type VariableSpec } from './estimates-columns.ts';
import { type EstimateRow, estimateGroups, type Group, type MissingRow } from './estimates-groups.ts';
import { DesignError, type StratifiedDesign, stratifiedDesign } from './estimation.ts';

export { estimateBreakdowns } from './estimates-columns.ts';
export type { EstimateRow, Figure, MissingRow } from './estimates-groups.ts';

/**
 * A stratum with one respondent has no variance estimate of its own; it contributes none (R survey's
 * "remove", = "certainty" there) and the result names it. A stratum everyone answered in contributes 0 anyway.
 */
export const lonelyPsuRule = 'remove';

export interface EstimateRequest {
  variable: string;
  by?: string | null;
  labelLocale?: string;
  /** A municipality user's own code: only domains inside its municipality (Oslo: its districts), same design. */
  municipalityCode?: string | null;
}

export interface WaveEstimates {
  /** `smallCellK`: the wave's suppression threshold for municipality users (ADR 6). */
  wave: { id: string; name: string; mode: 'census' | 'sample'; status: string; smallCellK: number };
  variable: string;
  label: string;
  kind: VariableSpec['kind'];
  by: string | null;
  weights: 'nr_weight' | 'design_weight';
  design: {
    /** What the strata are: the sampling's strata column, or the municipality in a census. */
    strata: string;
    fpc: 'N_h';
    lonelyPsu: typeof lonelyPsuRule;
    lonelyStrata: string[];
    /** Strata of the frame where no one responded: the estimates do not represent them. */
    emptyStrata: string[];
  };
  respondents: number;
  rows: EstimateRow[];
  missing: MissingRow[];
  notes: string[];
  suppressionApplied: boolean;
}

type Wave = Awaited<ReturnType<typeof requireWave>>;

export async function waveEstimates(db: Db, waveId: string, req: EstimateRequest): Promise<WaveEstimates> {
  const wave = await requireWave(db, waveId);
  const locale = req.labelLocale ?? 'nb';
  const { dataset } = await loadDataset(db, [waveId], { labelLocale: locale, quality: false });
  const spec = resolveVariable(
    dataset.columns,
    req.variable,
    locale,
    await missingOptionsOf(db, waveId, req.variable),
  );
  const strataColumn = wave.mode === 'census' ? 'municipality_code' : (samplingOf(wave).strata ?? null);
  const by = req.by ? resolveBy(dataset.columns, req.by, strataColumn, locale) : null;
  const names =
    spec.kind === 'multiple'
      ? [...spec.columns, ...spec.missing].map((c) => c.column.name)
      : [spec.column.name];
  const data = await readRespondents(dataset, wave, names, by?.column ?? null);
  const sizes = await waveStratumPopulations(db, wave);
  const notes: string[] = [];
  const useNr = data.nrWeight.every((w) => w !== null);
  if (!useNr)
    notes.push(
      'No non-response adjusted weights yet (they are set when the wave closes): design weights are used, ' +
        'so the figures describe the respondents so far, not adjusted for non-response.',
    );
  let design: StratifiedDesign;
  try {
    design = stratifiedDesign({
      strata: data.stratum,
      weights: useNr ? (data.nrWeight as number[]) : data.designWeight,
      populationSizes: sizes,
      lonelyPsu: lonelyPsuRule,
    });
  } catch (err) {
    if (err instanceof DesignError) throw new ConflictError(err.code, `The wave's design: ${err.message}.`);
    throw err;
  }
  if (design.lonelyStrata.length)
    notes.push(
      `One respondent only in stratum ${design.lonelyStrata.join(', ')}: it adds nothing to the standard ` +
        'errors (R survey: survey.lonely.psu = "remove"), which may understate them.',
    );
  const answered = new Set(data.stratum);
  const emptyStrata = [...sizes.keys()].filter((s) => !answered.has(s)).sort();
  const scope = data.stratum
    .map((_, i) => i)
    .filter((i) => !req.municipalityCode || (data.municipality[i] ?? '').startsWith(req.municipalityCode));
  const groups: Group[] = [{ key: null, label: null, rows: scope }];
  if (by) {
    const byKey = new Map<Code, number[]>();
    for (const i of scope) {
      const v = data.by[i];
      if (v === null || v === undefined) continue; // as svyby: no group for a missing breakdown value
      const rows = byKey.get(v);
      if (rows) rows.push(i);
      else byKey.set(v, [i]);
    }
    for (const key of [...byKey.keys()].sort(by.order))
      groups.push({ key: String(key), label: by.labelOf(key), rows: byKey.get(key)! });
  }
  const { rows, missing } = estimateGroups(design, spec, data.values, groups, locale);
  return {
    wave: {
      id: wave.id,
      name: wave.name,
      mode: wave.mode,
      status: wave.status,
      smallCellK: wave.small_cell_k,
    },
    variable: req.variable,
    label: spec.label,
    kind: spec.kind,
    by: by?.name ?? null,
    weights: useNr ? 'nr_weight' : 'design_weight',
    design: {
      strata: wave.mode === 'census' ? 'municipality' : (strataColumn ?? 'none'),
      fpc: 'N_h',
      lonelyPsu: lonelyPsuRule,
      lonelyStrata: design.lonelyStrata,
      emptyStrata,
    },
    respondents: scope.length,
    rows,
    missing,
    notes,
    suppressionApplied: false,
  };
}

/** A multi-select's choices that are missing codes, from the version's codebook (value → meaning). */
async function missingOptionsOf(db: Db, waveId: string, code: string): Promise<Record<string, string>> {
  const [version] = await exportQueries.findWavesWithVersion(db, [waveId]);
  const variable = (version?.codebook as Codebook | null)?.variables.find((v) => v.code === code);
  const out: Record<string, string> = {};
  for (const v of variable?.values ?? [])
    if (v.missing) out[String(v.value).replace(/[^A-Za-z0-9_]/g, '_')] = v.missing;
  return out;
}

function samplingOf(wave: Wave): { strata?: string | null } {
  return (wave.sampling ?? {}) as { strata?: string | null };
}

const stratumOf = (wave: Wave, stratum: string | null, municipality: string | null) =>
  weightingStratum(wave.mode, stratum, municipality);

interface Respondents {
  stratum: string[];
  municipality: (string | null)[];
  nrWeight: (number | null)[];
  designWeight: number[];
  by: (Code | null)[];
  /** One array per variable column. */
  values: (Code | null)[][];
}

const codeOf = (c: Cell | undefined): Code | null =>
  c === null || c === undefined || c instanceof Date ? null : c;

/** Only completed responses are respondents; partial ones stay in the export but not in the estimates. */
async function readRespondents(dataset: Dataset, wave: Wave, names: string[], byColumn: string | null) {
  const at = (name: string) => dataset.columns.findIndex((c) => c.name === name);
  const [status, stratum, municipality, nr, dw] = [
    'status',
    'stratum',
    'municipality',
    'nr_weight',
    'design_weight',
  ].map(at) as [number, number, number, number, number];
  const by = byColumn ? at(byColumn) : -1;
  const columns = names.map(at);
  const out: Respondents = {
    stratum: [],
    municipality: [],
    nrWeight: [],
    designWeight: [],
    by: [],
    values: names.map(() => []),
  };
  for await (const batch of dataset.batches())
    for (const row of batch) {
      if (row[status] !== 'completed') continue;
      const m = (row[municipality] as string | null) ?? null;
      const h = stratumOf(wave, (row[stratum] as string | null) ?? null, m);
      out.stratum.push(h);
      out.municipality.push(m);
      out.nrWeight.push((row[nr] as number | null) ?? null);
      out.designWeight.push((row[dw] as number | null) ?? 1);
      // The weighting stratum, also for a census (where the export's stratum column is empty).
      out.by.push(byColumn === 'stratum' ? h : by >= 0 ? codeOf(row[by]) : null);
      for (const [j, c] of columns.entries()) out.values[j]!.push(codeOf(row[c]));
    }
  return out;
}
