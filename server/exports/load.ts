// Builds the dataset of an export: one or several waves of one instrument, their columns aligned by name (a time
// series reads straight: a variable a wave did not ask is empty there), and rows streamed from the database.
import type { Db } from '../db/connect.ts';
import { sectionMapOf } from '../delegation/sections.ts';
import { NotFoundError, ValidationError } from '../http/errors.ts';
import { waveStratumPopulations } from '../reports/design.ts';
import type { Codebook } from '../surveys/codebook.ts';
import { labelsOf } from '../surveys/codebook.ts';
import { fillLabelYears, markWaveVariables, referenceYearOf } from '../surveys/wave-variables.ts';
import { answersReader } from './answers-text.ts';
import type { VariableHistory } from './codebook-export.ts';
import { alignColumns, answerColumns, type Cell, type ExportColumn } from './columns.ts';
import type { Dataset, DatasetSlice } from './dataset.ts';
import { qualityColumns, type WaveQualityStats, waveQualityStats } from './quality.ts';
import * as q from './queries.ts';
import { type RowContext, type SystemColumn, sectionColumns, systemColumns } from './system-columns.ts';
import { exportYears, fillColumnYears } from './wave-years.ts';

type Json = Record<string, unknown>;

export type { VariableHistory };

export interface LoadOptions {
  labelLocale: string;
  /** A municipality user's own code: only its units' responses (Oslo: its districts). */
  municipalityCode?: string | null;
  batchSize?: number;
  /** The data-quality flags (`qf_*`): every export has them; estimates and reports need not compute them. */
  quality?: boolean;
  /** The PostgreSQL server's URL: lets a large CSV export be formatted by worker threads, each with a connection. */
  postgresUrl?: string | null;
  /** …and how many worker threads (`SVAR_EXPORT_WORKERS`); 1, the default, formats in the calling thread. */
  workers?: number;
  /** Only for a wave neither scheduled nor opened yet: its reference year is the current one. */
  now?: Date;
  /** Labels say "[året før]" even for one wave: a trend that spans years reads them side by side. */
  markYears?: boolean;
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
  const perWave: ExportColumn[][] = [];
  const asked = new Map<string, Set<string>>();
  const history: VariableHistory = { waves: {}, versions: {}, minorEdits: {} };
  for (const w of waves) {
    const cols = answerColumns(w.definition as Json, {
      sourceLocale: w.source_locale,
      missingCodes: missingCodesOf(w.codebook),
    });
    perWave.push(cols);
    // A module the wave did not run (a theme of another year) keeps its columns, empty (system-missing) here.
    const ran = w.modules
      ? cols.filter((c) => !c.question?.module || w.modules!.includes(c.question.module))
      : cols;
    asked.set(w.id, new Set(ran.map((c) => c.name)));
    for (const c of ran) history.waves[c.name] = [...(history.waves[c.name] ?? []), w.name];
    for (const c of cols) {
      const versions = history.versions[c.name] ?? [];
      if (!versions.includes(w.version)) history.versions[c.name] = [...versions, w.version];
    }
    for (const e of w.changelog as { kind: string; code: string; note: string }[])
      if (e.kind === 'minor_edit')
        history.minorEdits[e.code] = [
          ...(history.minorEdits[e.code] ?? []),
          // The note is the version's, not a wave's: it names the wave variables in words, never a year.
          { version: w.version, note: markWaveVariables(e.note, w.source_locale) },
        ];
  }
  const newest = waves.at(-1)!;
  const sections =
    newest.unit_type === 'municipality' ? sectionMapOf(newest.definition as Json).sections : [];
  const system: SystemColumn[] = [...systemColumns(), ...sectionColumns(sections)];
  const referenceYears = new Map(
    waves.map((w) => [
      w.id,
      referenceYearOf({ opensAt: w.opens_at, openedAt: w.opened_at }, opts.now ?? new Date()),
    ]),
  );
  // The wave's years in the labels, or markers when the waves stacked here ask about different years (wave-years.ts).
  const years = opts.markYears ? null : exportYears([...referenceYears.values()]);
  const answers = fillColumnYears(alignColumns(perWave), years);
  // Flags, never filters: every response stays in the export, flagged or not.
  const quality =
    opts.quality === false ? [] : qualityColumns(newest.definition as Json, newest.source_locale);
  const columns: ExportColumn[] = [...system, ...answers, ...quality];
  const municipalityCode = opts.municipalityCode ?? null;
  const batchSize = opts.batchSize ?? 5000;

  const withMeta = sections.length > 0;
  const width = columns.length;
  // The top-level keys the columns read: every row's answers get them all, so rows share one shape (answers-text.ts).
  const readAnswers = answersReader(
    answers.flatMap((c) =>
      c.question ? [c.name.endsWith('_other_text') ? `${c.question.code}-Comment` : c.question.code] : [],
    ),
  );

  // What a wave's rows are measured against, read once per wave however many slices ask.
  const prepared = new Map<string, Promise<{ wave: RowContext['wave']; stats: WaveQualityStats | null }>>();
  const prepare = (w: (typeof waves)[number]) => {
    let p = prepared.get(w.id);
    if (!p) {
      p = (async () => ({
        wave: { name: w.name, version: w.version, mode: w.mode, populations: await populationsOf(db, w) },
        // Each wave is measured against its own version's questions and its own medians.
        stats: quality.length ? await waveQualityStats(db, w.id, w.definition as Json) : null,
      }))();
      prepared.set(w.id, p);
    }
    return p;
  };

  async function* batchesIn(slice: DatasetSlice): AsyncIterable<Cell[][]> {
    const w = waves.find((x) => x.id === slice.waveId);
    if (!w) throw new Error(`slice of a wave not in this export: ${slice.waveId}`);
    const here = asked.get(w.id)!;
    const { wave, stats } = await prepare(w);
    const fetch = (after: string | null) =>
      q.listResponseBatch(db, w.id, after, batchSize, municipalityCode, {
        withMeta,
        upTo: slice.upTo,
        readAnswers,
      });
    let pending = fetch(slice.after);
    for (;;) {
      const rows = await pending;
      if (rows.length === 0) break;
      // The next batch is read while this one is turned into cells: the database and Node work at once.
      const full = rows.length === batchSize;
      if (full) pending = fetch(rows.at(-1)!.id);
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

  async function* batches(): AsyncIterable<Cell[][]> {
    for (const w of waves) yield* batchesIn({ waveId: w.id, after: null, upTo: null });
  }

  /** The rows cut into slices of about `sliceRows`, in export order: each wave's ids split at every n-th. */
  async function slices(sliceRows: number): Promise<DatasetSlice[]> {
    const out: DatasetSlice[] = [];
    for (const w of waves) {
      let after: string | null = null;
      for (const upTo of await q.listSliceBounds(db, w.id, sliceRows, municipalityCode)) {
        out.push({ waveId: w.id, after, upTo });
        after = upTo;
      }
      out.push({ waveId: w.id, after, upTo: null });
    }
    return out;
  }

  return {
    dataset: {
      instrumentId: newest.instrument_id,
      title: fillLabelYears(
        labelsOf((newest.definition as Json).title ?? newest.instrument_title, newest.source_locale),
        years,
      ),
      unitType: newest.unit_type,
      waves: waves.map((w) => ({
        id: w.id,
        name: w.name,
        instrumentVersion: w.version,
        referenceYear: referenceYears.get(w.id)!,
      })),
      labelLocale: opts.labelLocale,
      columns,
      rowCount: await q.countResponses(db, unique, municipalityCode),
      batches,
      batchesIn,
      slices,
      ...(opts.postgresUrl && (opts.workers ?? 1) > 1
        ? {
            origin: {
              postgresUrl: opts.postgresUrl,
              waveIds: unique,
              labelLocale: opts.labelLocale,
              municipalityCode,
              quality: opts.quality !== false,
              workers: opts.workers ?? 1,
            },
          }
        : {}),
    },
    history,
  };
}
