// What "a rejected request changes nothing" is checked against: the tables that hold survey, fieldwork, response
// and account data. A cheap stamp after every case (row counts and row versions: any committed insert, update or
// delete moves them), and a full digest (counts and md5 of every row) around each batch.
import { sql } from 'kysely';
import type { Db } from '../../server/db/connect.ts';

/**
 * Bookkeeping a rejected request may write by design is left out: sessions and API tokens note when they were last
 * used, and failed logins are counted (login_throttle) and audited (issue 12: failures must be recorded).
 */
const tables = [
  'staff_user',
  'instrument',
  'instrument_version',
  'wave',
  'frame_unit',
  'unit_contact',
  'invitation',
  'response',
  'audit_event',
  'mail_log',
  'wave_round',
  'mail_queue',
  'delegate',
  'delegate_contact',
  'delegation',
] as const;

const loginBookkeeping = `where x.action not in ('staff.login_failed', 'staff.login_source_throttled')`;

async function perTable(db: Db, expression: string): Promise<Record<string, string>> {
  const query = tables
    .map(
      (t) =>
        `select '${t}' as t, ${expression} as v from ${t} x ${t === 'audit_event' ? loginBookkeeping : ''}`,
    )
    .join(' union all ');
  const { rows } = await sql.raw<{ t: string; v: string }>(query).execute(db);
  return Object.fromEntries(rows.map((r) => [r.t, r.v]));
}

/** Row counts and the sum and maximum of row versions (xmin): one round trip, cheap enough for every case. */
export function stamp(db: Db): Promise<Record<string, string>> {
  return perTable(
    db,
    `count(*)::text || ':' || coalesce(sum(x.xmin::text::bigint), 0)::text || ':' || coalesce(max(x.xmin::text::bigint), 0)::text`,
  );
}

/** Row counts and an md5 of every row's text, in a stable order. */
export function digest(db: Db): Promise<Record<string, string>> {
  return perTable(
    db,
    `count(*)::text || ':' || md5(coalesce(string_agg(x::text, E'\\n' order by x::text), ''))`,
  );
}
