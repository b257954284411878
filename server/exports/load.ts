// Builds the dataset of an export: one or several waves of one instrument, their columns aligned by name (a time
// series reads straight: a variable a wave did not ask is empty there), and rows streamed from the database.
import type { Db } from '../db/connect.ts';
import { sectionMapOf } from '../delegation/sections.ts';
import { NotFoundError, ValidationError } from '../http/errors.ts';
import { waveStratumPopulations } from '../reports/design.ts';
import type { Codebook } from '../surveys/codebook.ts';
import { labelsOf } from '../surveys/codebook.ts';
import type { VariableHistory } from './codebook-export.ts';
import { answerColumns, type Cell, type ExportColumn } from './columns.ts';
import type { Dataset } from './dataset.ts';
import { qualityColumns, waveQualityStats } from './quality.ts';
import * as q from './queries.ts';
import { type RowContext, type SystemColumn, sectionColumns, systemColumns } from './system-columns.ts';

type Json = Record<string, unknown>;

export type { VariableHistory };

export interface LoadOptions {
  labelLocale: string;
  /** A municipality user's own code: only its units' responses (Oslo: its districts). */
  municipalityCode?: string | null;
  batchSize?: number;
  /** The data-quality flags (`qf_*`): every export has them; estimates and reports need not compute them. */
  quality?: boolean;
}

/** The instrument's missing codes, as the published codebook marks them. */
function missingCodesOf(codebook: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of (codebook as Codebook | null)?.variables ?? [])
    for (const value of v.values) if (value.missing) out[String(value.value)] = value.missing;
  return out;
}

/** N_h of each weighting stratum, so the export carries the design's finite-population correction. */
async function populationsOf(db: Db, w: { id: string; mode: 'census' | 'sample'; sampling: unknown }) {
  try {
    return await waveStratumPopulations(db, w);
  } catch {
    return new Map<string, number>(); // a sample not drawn yet has no responses either
  }
}

export async function loadDataset(
  db: Db,
  waveIds: string[],
  opts: LoadOptions,
): Promise<{ dataset: Dataset; history: VariableHistory }> {
  const unique = [...new Set(waveIds)];
  const found = await q.findWavesWithVersion(db, unique);
  const missing = unique.filter((id) => !found.some((w) => w.id === id));
  if (missing.length) throw new NotFoundError(`No such wave: ${missing.join(', ')}.`, 'wave_not_found');
  const instruments = new Set(found.map((w) => w.instrument_id));
  if (instruments.size > 1)
    throw new ValidationError(
      'Waves exported together must be of one instrument, so their variables align.',
      [{ name: 'waves', reason: [...instruments].join(', ') }],
      'waves_not_same_instrument',
    );
  // Oldest version first, so the newest wording (and order) wins for a code asked in several waves.
  const waves = unique.map((id) => found.find((w) => w.id === id)!).sort((a, b) => a.version - b.version);
  const byName = new Map<string, ExportColumn>();
  const asked = new Map<string, Set<string>>();
  const history: VariableHistory = { waves: {}, minorEdits: {} };
  for (const w of waves) {
    const cols = answerColumns(w.definition as Json, {
      sourceLocale: w.source_locale,
      missingCodes: missingCodesOf(w.codebook),
    });
    for (const c of cols) byName.set(c.name, c);
    asked.set(w.id, new Set(cols.map((c) => c.name)));
    for (const c of cols) history.waves[c.name] = [...(history.waves[c.name] ?? []), w.name];
    for (const e of w.changelog as { kind: string; code: string; note: string }[])
      if (e.kind === 'minor_edit')
        history.minorEdits[e.code] = [
          ...(history.minorEdits[e.code] ?? []),
          { version: w.version, note: e.note },
        ];
  }
  const newest = waves.at(-1)!;
  const sections =
    newest.unit_type === 'municipality' ? sectionMapOf(newest.definition as Json).sections : [];
  const system: SystemColumn[] = [...systemColumns(), ...sectionColumns(sections)];
  const answers = [...byName.values()];
  // Flags, never filters: every response stays in the export, flagged or not.
  const quality =
    opts.quality === false ? [] : qualityColumns(newest.definition as Json, newest.source_locale);
  const columns: ExportColumn[] = [...system, ...answers, ...quality];
  const municipalityCode = opts.municipalityCode ?? null;
  const batchSize = opts.batchSize ?? 5000;

  const withMeta = sections.length > 0;
  const width = columns.length;
  const fetch = (waveId: string, after: string | null) =>
    q.listResponseBatch(db, waveId, after, batchSize, municipalityCode, { withMeta });

  async function* batches(): AsyncIterable<Cell[][]> {
    for (const w of waves) {
      const here = asked.get(w.id)!;
      const wave = {
        name: w.name,
        version: w.version,
        mode: w.mode,
        populations: await populationsOf(db, w),
      };
      // Each wave is measured against its own version's questions and its own medians.
      const stats = quality.length ? await waveQualityStats(db, w.id, w.definition as Json) : null;
      let pending = fetch(w.id, null);
      for (;;) {
        const rows = await pending;
        if (rows.length === 0) break;
        // The next batch is read while this one is turned into cells: the database and Node work at once.
        const full = rows.length === batchSize;
        if (full) pending = fetch(w.id, rows.at(-1)!.id);
        yield rows.map((row) => {
          const ctx: RowContext = { row, wave };
          // One array per row, filled in place: this runs for every cell of a national export.
          const cells: Cell[] = new Array(width);
          let i = 0;
          for (const c of system) cells[i++] = c.fromRow(ctx);
          for (const c of answers) cells[i++] = here.has(c.name) ? c.read!(row.answers) : null;
          for (const c of quality) cells[i++] = c.fromQuality(row, stats!);
          return cells;
        });
        if (!full) break;
      }
    }
  }

  return {
    dataset: {
      instrumentId: newest.instrument_id,
      title: labelsOf((newest.definition as Json).title ?? newest.instrument_title, newest.source_locale),
      unitType: newest.unit_type,
      waves: waves.map((w) => ({ id: w.id, name: w.name, instrumentVersion: w.version })),
      labelLocale: opts.labelLocale,
      columns,
      rowCount: await q.countResponses(db, unique, municipalityCode),
      batches,
    },
    history,
  };
}
