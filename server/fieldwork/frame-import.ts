// Importing a wave's frame as it streams in, in constant memory: rows are checked one by one and staged in
// batches, duplicates are found in SQL, and only a file without a single problem reaches the wave (all or
// nothing, by the one transaction). A first import writes units batch by batch as the file streams; a re-import
// finds known units once by external id, then set-based statements insert and update by id.
import { recordAudit } from '../audit/queries.ts';
import type { Db } from '../db/connect.ts';
import { ValidationError } from '../http/errors.ts';
import type { Actor } from '../staff/service.ts';
import { duplicateProblem, type FrameProblem, type FrameRow, readFrame } from './frame-file.ts';
import { newUnitId } from './frame-ids.ts';
import * as fq from './frame-queries.ts';
import { FrameStager } from './frame-stage.ts';
import { lockWave } from './wave-lock.ts';

export interface FrameImportResult {
  waveId: string;
  rows: number;
  added: number;
  updated: number;
  unchanged: number;
  /** Units whose language the wave does not offer, by the language the frame names; invited in `fallbackLanguage`. */
  languageFallbacks: Record<string, number>;
  fallbackLanguage: string;
  /** The import changed the units a drawn sample stood on, so the draw was cleared: draw again. */
  sampleCleared: boolean;
}

export interface FrameImportOptions {
  /** Called after each staged batch with the rows read so far (the CLI's progress line). */
  onProgress?: (rowsRead: number) => void;
  /** Tests shrink the first import's id filter (frame-id-filter.ts) so that rows are held back often. */
  idFilterBits?: number;
}

/** A load this large changes the tables' statistics enough to matter to the planner. */
const ANALYZE_AFTER_ROWS = 10_000;
/** Problems listed in the error; the count says how many more there are. */
export const LISTED_PROBLEMS = 100;
const notDraft = { code: 'wave_not_draft', message: 'A frame can only change while the wave is a draft.' };

export async function importFrameStream(
  db: Db,
  waveId: string,
  file: { stream: AsyncIterable<Uint8Array>; name: string },
  actor: Actor,
  now: Date,
  opts: FrameImportOptions = {},
): Promise<FrameImportResult> {
  return db.transaction().execute(async (trx) => {
    // Locked for the whole upload: no draw or open can slip in between the rows and the upsert.
    const wave = await lockWave(trx, waveId, {
      allow: ['draft'],
      refuse: { open: notDraft, closed: notDraft },
    });
    const fallbackLanguage = wave.locales[0]!;
    const reading = await readFrame(file.stream, file.name, { unitType: wave.unit_type });
    await fq.allowFrameSizedWork(trx);
    // A first import (no units, no draw to clear) writes units as it streams; a re-import needs the whole file
    // staged to tell new, changed and unchanged units apart.
    const first = wave.sampling === null && !(await fq.waveHasUnits(trx, waveId));
    const stager = await FrameStager.open(trx, first ? { waveId, at: now } : null, opts.idFilterBits);
    const problems = new ProblemList();
    const valid = () => problems.total === 0;
    const fallbacks: Record<string, number> = {};
    let rowsRead = 0;
    let rowsStaged = 0;
    for await (const item of reading.items) {
      problems.add(item.problems);
      if (!item.row) continue;
      rowsRead++;
      if (item.row.externalId === '') continue; // reported already; nothing to stage
      const staged = toStaged(item.row, wave.locales, fallbackLanguage);
      rowsStaged++;
      if (staged.preferredLocale !== item.row.preferredLocale) {
        const named = item.row.preferredLocale!;
        fallbacks[named] = (fallbacks[named] ?? 0) + 1;
      }
      if (await stager.add(staged, valid)) opts.onProgress?.(rowsRead);
    }
    await stager.finish(valid());
    opts.onProgress?.(rowsRead);
    // Every row of a valid first import became a unit, none held back: no id repeats, nothing to search for one.
    const allWritten = first && valid() && stager.deferred === 0;
    if (!allWritten) {
      await fq.analyzeFrameStage(trx);
      const duplicates = await fq.countDuplicateRows(trx, first);
      if (duplicates > 0) {
        const listed = await fq.listDuplicateRows(trx, LISTED_PROBLEMS, first);
        const column = reading.idColumn();
        problems.merge(
          listed.map((d) => duplicateProblem(d.line, column, d.external_id, d.first)),
          duplicates,
        );
      }
    }
    if (problems.total > 0) throw problems.toError(file.name);

    if (first) await stager.writeDeferred();
    const counts = first
      ? { rows: rowsStaged, added: rowsStaged, updated: 0, sampleCleared: false }
      : await applyToKnownUnits(trx, wave, rowsStaged, actor, now, file.name);
    if (counts.added + counts.updated >= ANALYZE_AFTER_ROWS) await fq.analyzeFrameTables(trx);
    const result: FrameImportResult = {
      waveId,
      rows: counts.rows,
      added: counts.added,
      updated: counts.updated,
      unchanged: counts.rows - counts.added - counts.updated,
      languageFallbacks: fallbacks,
      fallbackLanguage,
      sampleCleared: counts.sampleCleared,
    };
    await recordAudit(trx, {
      actor,
      action: 'frame.imported',
      subject: { kind: 'wave', id: waveId },
      details: { file: file.name, ...result },
    });
    return result;
  });
}

/**
 * A re-import, once the whole file is staged: known units are found by external id, the draw is cleared if the
 * design changed, then new units are inserted and changed ones updated, each set-based.
 */
async function applyToKnownUnits(
  trx: fq.Trx,
  wave: { id: string; sampling: unknown },
  rows: number,
  actor: Actor,
  now: Date,
  fileName: string,
) {
  const { known, updated, redesigned } = await fq.resolveKnownUnits(trx, wave.id);
  const counts = { rows, added: rows - known, updated, redesigned };
  const sampleCleared = await clearDrawIfFrameChanged(trx, wave, counts, actor, {
    reason: 'frame.imported',
    file: fileName,
  });
  if (counts.added > 0) {
    await fq.insertNewUnits(trx, wave.id);
    await fq.insertNewContacts(trx, now);
  }
  if (redesigned > 0) await fq.updateKnownUnits(trx, wave.id);
  if (updated > 0) await fq.upsertKnownContacts(trx, now);
  return { ...counts, sampleCleared };
}

/**
 * The re-import rule, for a file and the reference list alike: new units, or units whose municipality, language
 * or attributes changed, make N_h and the weights of a drawn sample wrong, so the draw is cleared (and audited)
 * and must be made again before the wave opens. A changed contact leaves the design, and the draw, alone.
 */
export async function clearDrawIfFrameChanged(
  trx: fq.Trx,
  wave: { id: string; sampling: unknown },
  change: { added: number; redesigned: number },
  actor: Actor,
  details: Record<string, string>,
): Promise<boolean> {
  if (wave.sampling === null || change.added + change.redesigned === 0) return false;
  await fq.clearSampleDraw(trx, wave.id);
  await recordAudit(trx, {
    actor,
    action: 'sample.cleared',
    subject: { kind: 'wave', id: wave.id },
    details,
  });
  return true;
}

/**
 * A language the wave does not offer falls back to its first language (the invitation must be in a language
 * the wave has); the language the frame named is kept as the attribute `frame_language` for analysis.
 */
function toStaged(r: FrameRow, offered: string[], fallback: string): fq.StagedRow {
  const offeredLocale = r.preferredLocale === null || offered.includes(r.preferredLocale);
  return {
    id: newUnitId(),
    line: r.line,
    externalId: r.externalId,
    municipalityCode: r.municipalityCode,
    preferredLocale: offeredLocale ? r.preferredLocale : fallback,
    attributes: offeredLocale ? r.attributes : { ...r.attributes, frame_language: r.preferredLocale! },
    name: r.name,
    email: r.email,
    phone: r.phone,
  };
}

/** The first problems by line, and how many there are in all: a million bad rows must not fill the memory. */
class ProblemList {
  private listed: FrameProblem[] = [];
  total = 0;

  add(problems: FrameProblem[]): void {
    this.total += problems.length;
    for (const p of problems) if (this.listed.length < LISTED_PROBLEMS) this.listed.push(p);
  }

  /** Problems found after the stream (duplicates): the first ones by line of each list are the first of both. */
  merge(first: FrameProblem[], total: number): void {
    this.total += total;
    this.listed = [...first, ...this.listed].sort((a, b) => a.line - b.line).slice(0, LISTED_PROBLEMS);
  }

  toError(fileName: string): ValidationError {
    const more = this.total - this.listed.length;
    const fields = [...this.listed]
      .sort((a, b) => a.line - b.line)
      .map((p) => ({
        name: `line ${p.line}${p.column ? `, ${p.column}` : ''}`,
        reason: p.reason,
      }));
    if (more > 0) fields.push({ name: 'more', reason: `and ${more} more problem(s) not listed` });
    const shown = more > 0 ? ` The first ${this.listed.length} are listed.` : '';
    return new ValidationError(
      `${fileName}: ${this.total} problem(s); nothing was imported.${shown}`,
      fields,
      'frame_invalid',
    ).with({ problems: this.total });
  }
}
