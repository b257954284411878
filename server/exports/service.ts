// Exporting: who may export what (analysts everything but contact data, which no export holds; a municipality
// user only its own municipal-survey response, never participant microdata), the audit entry, and the stream.
import { recordAudit } from '../audit/queries.ts';
import type { Db } from '../db/connect.ts';
import type { StaffRole } from '../db/schema.ts';
import { ForbiddenError } from '../http/errors.ts';
import type { Actor } from '../staff/service.ts';
import type { CsvOptions } from './csv.ts';
import type { Cell, Dataset, Sink } from './dataset.ts';
import { type ExportFormat, exportBaseName, formats } from './formats.ts';
import { loadDataset } from './load.ts';

export interface ExportRequest {
  waveIds: string[];
  format: ExportFormat;
  labelLocale: string;
  csv?: CsvOptions;
}

export interface Exporter {
  principal: { role: StaffRole | 'operator'; municipalityCode: string | null };
  actor: Actor;
  requestId?: string | null;
}

export interface PreparedExport {
  fileName: string;
  mediaType: string;
  rows: number;
  /** Streams the file into the sink; `onRows` hears how many rows have gone so far. */
  write(sink: Sink, onRows?: (done: number, total: number) => void): Promise<void>;
}

/**
 * Checks access, loads the dataset's shape and writes the audit entry; nothing is streamed yet, so a refusal is a
 * clean problem response and an accepted export starts downloading at once.
 */
export async function prepareExport(
  db: Db,
  req: ExportRequest,
  who: Exporter,
  now: Date,
  /** The PostgreSQL server's URL, when there is one: large CSV exports are then formatted by worker threads. */
  opts: { postgresUrl?: string | null; workers?: number } = {},
): Promise<PreparedExport> {
  const scope = who.principal.role === 'municipality' ? who.principal.municipalityCode : null;
  if (who.principal.role === 'municipality' && !scope) throw new ForbiddenError();
  const { dataset, history } = await loadDataset(db, req.waveIds, {
    labelLocale: req.labelLocale,
    municipalityCode: scope,
    postgresUrl: opts.postgresUrl ?? null,
    workers: opts.workers ?? 1,
    now,
  });
  // Participants rate their municipality's programme: the municipality must never see their answers.
  if (who.principal.role === 'municipality' && dataset.unitType !== 'municipality')
    throw new ForbiddenError(
      'A municipality may export its own municipal-survey response, never participant data.',
      'no_participant_microdata',
    );
  const base = exportBaseName(dataset);
  const spec = formats[req.format];
  await recordAudit(db, {
    actor: who.actor,
    action: 'export.requested',
    subject: { kind: 'wave', id: req.waveIds.join(',') },
    details: {
      waves: dataset.waves.map((w) => w.id),
      format: req.format,
      labels: req.labelLocale,
      rows: dataset.rowCount,
      scope,
    },
    requestId: who.requestId ?? null,
    at: now,
  });
  return {
    fileName: `${base}.${spec.extension}`,
    mediaType: spec.mediaType,
    rows: dataset.rowCount,
    write: (sink, onRows) =>
      spec.write(
        { dataset: counting(dataset, onRows), history, csv: req.csv ?? {}, csvFileName: `${base}.csv` },
        sink,
      ),
  };
}

/** The same dataset, reporting rows as they stream (the CLI's progress line). */
function counting(dataset: Dataset, onRows?: (done: number, total: number) => void): Dataset {
  if (!onRows) return dataset;
  return {
    ...dataset,
    onRows: (done) => onRows(done, dataset.rowCount),
    async *batches(): AsyncIterable<Cell[][]> {
      let done = 0;
      for await (const batch of dataset.batches()) {
        yield batch;
        done += batch.length;
        onRows(done, dataset.rowCount);
      }
    },
  };
}
