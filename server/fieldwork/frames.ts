// Importing a wave's frame from CSV or XLSX: all or nothing, every bad row reported with its line, and an upsert
// by external id while the wave is a draft (so importing the same file again changes nothing).
import { recordAudit } from '../audit/queries.ts';
import type { Db } from '../db/connect.ts';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts';
import { municipalities2024, osloDistricts } from '../reference/municipalities.ts';
import type { Actor } from '../staff/service.ts';
import { parseFrameFile } from './frame-file.ts';
import * as q from './queries.ts';

export interface FrameImportResult {
  waveId: string;
  rows: number;
  added: number;
  updated: number;
  unchanged: number;
}

export async function importFrame(
  db: Db,
  waveId: string,
  file: { data: Buffer; name: string },
  actor: Actor,
  now: Date,
): Promise<FrameImportResult> {
  const wave = await q.findWave(db, waveId);
  if (!wave) throw new NotFoundError('No such wave.', 'wave_not_found');
  if (wave.status !== 'draft')
    throw new ConflictError('wave_not_draft', 'A frame can only change while the wave is a draft.');
  const parsed = await parseFrameFile(file.data, file.name, { unitType: wave.unit_type });
  const problems = [...parsed.problems];
  for (const r of parsed.rows) {
    if (r.preferredLocale && !wave.locales.includes(r.preferredLocale)) {
      problems.push({
        line: r.line,
        column: 'preferred_language',
        reason: `the wave does not offer "${r.preferredLocale}"`,
      });
    }
  }
  if (problems.length) {
    throw new ValidationError(
      `${file.name}: ${problems.length} problem(s); nothing was imported.`,
      problems
        .sort((a, b) => a.line - b.line)
        .map((p) => ({ name: `line ${p.line}${p.column ? `, ${p.column}` : ''}`, reason: p.reason })),
      'frame_invalid',
    );
  }
  const existing = new Map((await q.listFrameUnits(db, waveId)).map((u) => [u.external_id, u]));
  const result: FrameImportResult = { waveId, rows: parsed.rows.length, added: 0, updated: 0, unchanged: 0 };
  await db.transaction().execute(async (trx) => {
    for (const r of parsed.rows) {
      const before = existing.get(r.externalId);
      const same =
        before &&
        before.municipality_code === r.municipalityCode &&
        before.preferred_locale === r.preferredLocale &&
        JSON.stringify(before.attributes) === JSON.stringify(r.attributes) &&
        (before.name ?? null) === r.name &&
        (before.email ?? null) === r.email &&
        (before.phone ?? null) === r.phone;
      if (same) {
        result.unchanged += 1;
        continue;
      }
      const unit = await q.upsertFrameUnit(trx, waveId, r);
      await q.upsertContact(trx, unit.id, { name: r.name, email: r.email, phone: r.phone }, now);
      if (before) result.updated += 1;
      else result.added += 1;
    }
    await recordAudit(trx, {
      actor,
      action: 'frame.imported',
      subject: { kind: 'wave', id: waveId },
      details: { file: file.name, ...result },
    });
  });
  return result;
}

/**
 * The municipal survey's frame from Svar's reference data: every municipality of 2024, and Oslo's 15 city
 * districts in place of Oslo when asked (the district directors answer for their districts). Chief executives'
 * names and e-mails come afterwards from a frame file (same external ids: the municipality codes).
 */
export async function buildMunicipalFrame(
  db: Db,
  waveId: string,
  opts: { osloDistricts: boolean },
  actor: Actor,
) {
  const wave = await q.findWave(db, waveId);
  if (!wave) throw new NotFoundError('No such wave.', 'wave_not_found');
  if (wave.unit_type !== 'municipality')
    throw new ConflictError(
      'wave_not_municipal',
      'Only a municipal survey wave has municipalities as units.',
    );
  if (wave.status !== 'draft')
    throw new ConflictError('wave_not_draft', 'A frame can only change while the wave is a draft.');
  const units = municipalities2024()
    .filter((m) => !(opts.osloDistricts && m.code === '0301'))
    .map((m) => ({ code: m.code, name: m.name, county: m.countyName }));
  if (opts.osloDistricts) {
    for (const d of osloDistricts().filter((x) => /^0301(0[1-9]|1[0-5])$/.test(x.code))) {
      units.push({ code: d.code, name: d.name, county: 'Oslo' });
    }
  }
  await db.transaction().execute(async (trx) => {
    for (const u of units) {
      await q.upsertFrameUnit(trx, waveId, {
        externalId: u.code,
        municipalityCode: u.code,
        preferredLocale: wave.locales.includes('nb') ? 'nb' : null,
        attributes: { municipality_name: u.name, county: u.county },
      });
    }
    await recordAudit(trx, {
      actor,
      action: 'frame.built_municipal',
      subject: { kind: 'wave', id: waveId },
      details: { units: units.length },
    });
  });
  return { waveId, units: units.length };
}
