// Seeds the fieldwork benchmark: a participant frame as a CSV and an XLSX file (what a survey manager uploads),
// PostgreSQL's own COPY of the same CSV as the baseline, and the set-up between measured steps (a census wave over
// the same units, some of them answering), written by INSERT … SELECT and not measured.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import type { Db } from '../server/db/connect.ts';
import { municipalities2024 } from '../server/reference/municipalities.ts';
import { timedPsql } from './postgres.ts';

export const frameColumns = [
  'external_id',
  'municipality_code',
  'preferred_language',
  'email',
  'phone',
  'name',
  'gender',
  'programme',
];
/** The wave's languages; the frame also names two it does not offer (uk, ru), which fall back to bokmål. */
export const benchLocales = ['nb', 'nn', 'en', 'ar', 'ti', 'so', 'prs', 'fa', 'ckb', 'kmr', 'ps', 'ur'];
const frameLanguages = ['nb', 'nb', 'nb', 'ar', 'ti', 'so', 'prs', 'fa', 'en', 'ur', 'uk', 'ru'];
const programmes = ['introduksjonsprogram', 'opplæring i norsk', 'kvalifiseringsprogram'];

/** Row i of the frame, the same in CSV and XLSX: deterministic, so every run imports the same file. */
function frameRow(i: number, codes: string[]): string[] {
  const h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  return [
    `P${String(i).padStart(8, '0')}`,
    codes[h % codes.length]!,
    frameLanguages[(h >>> 9) % frameLanguages.length]!,
    `deltaker${i}@example.no`,
    `+47 9${String(h % 10_000_000).padStart(7, '0')}`,
    `Navn ${i % 7919} Etternavn${i % 104_729}`,
    (h >>> 3) % 2 ? 'K' : 'M',
    programmes[(h >>> 5) % programmes.length]!,
  ];
}

const municipalityCodes = () => municipalities2024().map((m) => m.code);

/** A semicolon-separated UTF-8 CSV with a BOM, as Norwegian Excel saves it. */
export async function writeFrameCsv(path: string, units: number): Promise<void> {
  const codes = municipalityCodes();
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  let chunk = `\uFEFF${frameColumns.join(';')}\n`;
  for (let i = 1; i <= units; i++) {
    chunk += `${frameRow(i, codes).join(';')}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

/** The same rows as an XLSX workbook with shared strings, as Excel saves it; written by exceljs's streaming writer. */
export async function writeFrameXlsx(path: string, units: number): Promise<void> {
  const codes = municipalityCodes();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  const sheet = workbook.addWorksheet('Utvalg');
  sheet.addRow(frameColumns).commit();
  for (let i = 1; i <= units; i++) {
    const row = frameRow(i, codes);
    // Excel stores a typed municipality code as a number: 0301 becomes 301, and the import pads it back.
    sheet.addRow([row[0], Number(row[1]), ...row.slice(2)]).commit();
  }
  sheet.commit();
  await workbook.commit();
}

/** The baseline: psql's \copy of the CSV into a plain table of text columns. */
export function copyFrameWithPsql(url: string, csvPath: string) {
  const columns = frameColumns.map((c) => `${c} text`).join(', ');
  if (!timedPsql(url, `drop table if exists bench_copy; create table bench_copy (${columns})`)) return null;
  return timedPsql(
    url,
    `\\copy bench_copy from '${csvPath}' with (format csv, header true, delimiter ';', encoding 'UTF8')`,
  );
}

/**
 * The floor of any import into Svar's schema, a second baseline: the rows of the plain COPY (bench_copy) moved by
 * SQL alone, without checking anything, into `frame_unit` and `unit_contact` as an import leaves them, keys,
 * unique constraint and foreign keys included. Times the two statements (one transaction), then removes the rows.
 */
export async function keyedLoadSeconds(db: Db, waveId: string): Promise<number> {
  const t0 = performance.now();
  await db.transaction().execute(async (trx) => {
    // Ids in file order, as the import's UUID v7 (frame-ids.ts) are: each key goes to the end of its index.
    await sql`create temp table bench_keyed on commit drop as
      select (lpad(to_hex((extract(epoch from clock_timestamp()) * 1000)::bigint), 12, '0') || '70008000' ||
              lpad(to_hex(row_number() over ()), 12, '0'))::uuid as id, *
      from bench_copy`.execute(trx);
    await sql`insert into frame_unit (id, wave_id, external_id, municipality_code, preferred_locale, attributes)
      select id, ${waveId}::uuid, external_id, municipality_code, preferred_language,
        jsonb_build_object('gender', gender, 'programme', programme)
      from bench_keyed`.execute(trx);
    await sql`insert into unit_contact (frame_unit_id, name, email, phone)
      select id, name, email, phone from bench_keyed`.execute(trx);
  });
  const seconds = (performance.now() - t0) / 1000;
  await sql`delete from frame_unit where wave_id = ${waveId}`.execute(db);
  return seconds;
}

/** A census wave over the sample wave's units (its frame copied in one statement), for opening all of them. */
export async function copyFrame(db: Db, fromWaveId: string, toWaveId: string): Promise<void> {
  await sql`insert into frame_unit (wave_id, external_id, municipality_code, preferred_locale, attributes)
    select ${toWaveId}::uuid, external_id, municipality_code, preferred_locale, attributes
    from frame_unit where wave_id = ${fromWaveId}`.execute(db);
}

/**
 * Fieldwork under way, for the progress query: a third of the invited units opened their link, a fifth started
 * and a tenth completed, spread over the frame by a hash of the unit's id.
 */
export async function seedResponses(db: Db, waveId: string): Promise<void> {
  await sql`update invitation set opened_at = now()
    where wave_id = ${waveId} and abs(hashtext(frame_unit_id::text)) % 3 = 0`.execute(db);
  await sql`insert into response (wave_id, frame_unit_id, instrument_version_id, locale, status, completed_at)
    select i.wave_id, i.frame_unit_id, w.instrument_version_id, coalesce(i.locale, 'nb'),
      case when abs(hashtext(i.frame_unit_id::text)) % 10 = 0 then 'completed' else 'in_progress' end,
      case when abs(hashtext(i.frame_unit_id::text)) % 10 = 0 then now() end
    from invitation i join wave w on w.id = i.wave_id
    where i.wave_id = ${waveId} and abs(hashtext(i.frame_unit_id::text)) % 5 = 0`.execute(db);
}
