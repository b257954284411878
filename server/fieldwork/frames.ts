// A wave's frame: imported from a CSV or XLSX file (streamed: frame-import.ts), or for the municipal survey built
// from Svar's reference list of municipalities.
import { Readable } from 'node:stream';
import { recordAudit } from '../audit/queries.ts';
import type { Db } from '../db/connect.ts';
import { ConflictError } from '../http/errors.ts';
import { municipalities2024, osloDistricts } from '../reference/municipalities.ts';
import type { Actor } from '../staff/service.ts';
import { newUnitId } from './frame-ids.ts';
import {
  clearDrawIfFrameChanged,
  type FrameImportOptions,
  type FrameImportResult,
  importFrameStream,
} from './frame-import.ts';
import * as fq from './frame-queries.ts';
import { lockWave } from './wave-lock.ts';

export type { FrameImportResult } from './frame-import.ts';
export { importFrameStream } from './frame-import.ts';

/** A frame file already in memory (tests, small uploads): the same streaming import over one chunk. */
export function importFrame(
  db: Db,
  waveId: string,
  file: { data: Buffer; name: string },
  actor: Actor,
  now: Date,
  opts: FrameImportOptions = {},
): Promise<FrameImportResult> {
  return importFrameStream(
    db,
    waveId,
    { stream: Readable.from([file.data]), name: file.name },
    actor,
    now,
    opts,
  );
}

const notDraft = { code: 'wave_not_draft', message: 'A frame can only change while the wave is a draft.' };

/**
 * The municipal survey's frame from Svar's reference data: every municipality of 2024, and Oslo's 15 city
 * districts in place of Oslo when asked (the district directors answer for their districts). Chief executives'
 * names and e-mails come afterwards from a frame file (same external ids: the municipality codes). Building it
 * again after a draw follows a file's re-import rule: a changed frame clears the draw, and the result says so.
 */
export async function buildMunicipalFrame(
  db: Db,
  waveId: string,
  opts: { osloDistricts: boolean },
  actor: Actor,
) {
  const units = municipalities2024()
    .filter((m) => !(opts.osloDistricts && m.code === '0301'))
    .map((m) => ({ code: m.code, name: m.name, county: m.countyName }));
  if (opts.osloDistricts) {
    for (const d of osloDistricts().filter((x) => /^0301(0[1-9]|1[0-5])$/.test(x.code))) {
      units.push({ code: d.code, name: d.name, county: 'Oslo' });
    }
  }
  const sampleCleared = await db.transaction().execute(async (trx) => {
    const wave = await lockWave(trx, waveId, {
      allow: ['draft'],
      refuse: { open: notDraft, closed: notDraft },
    });
    if (wave.unit_type !== 'municipality')
      throw new ConflictError(
        'wave_not_municipal',
        'Only a municipal survey wave has municipalities as units.',
      );
    // The same path as a file (staged, known units found by code, the re-import rule), contacts aside: those come
    // from a file, and rebuilding the frame must not wipe them.
    const locale = wave.locales.includes('nb') ? 'nb' : null;
    await fq.createFrameStage(trx);
    await fq.stageFrameRows(
      trx,
      units.map((u, i) =>
        fq.stagedRowJson({
          id: newUnitId(),
          line: i + 1,
          externalId: u.code,
          municipalityCode: u.code,
          preferredLocale: locale,
          attributes: { municipality_name: u.name, county: u.county },
          name: null,
          email: null,
          phone: null,
        }),
      ),
    );
    const { known, redesigned } = await fq.resolveKnownUnits(trx, waveId);
    const added = units.length - known;
    const cleared = await clearDrawIfFrameChanged(trx, wave, { added, redesigned }, actor, {
      reason: 'frame.built_municipal',
    });
    if (added > 0) await fq.insertNewUnits(trx, waveId);
    if (redesigned > 0) await fq.updateKnownUnits(trx, waveId);
    await recordAudit(trx, {
      actor,
      action: 'frame.built_municipal',
      subject: { kind: 'wave', id: waveId },
      details: { units: units.length, added, updated: redesigned, sampleCleared: cleared },
    });
    return cleared;
  });
  return { waveId, units: units.length, sampleCleared };
}
