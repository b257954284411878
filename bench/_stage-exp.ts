import { sql } from 'kysely';
import { v7 } from 'uuid';
import { openBenchPostgres } from './postgres.ts';
const pg = await openBenchPostgres(null);
const db = pg.handle.db;
const N = 200000, B = 5000;
const rows = Array.from({ length: N }, (_, i) => ({ id: v7(), line: i + 2, external_id: `P${String(i).padStart(8, '0')}`, municipality_code: '4611', preferred_locale: 'ar', attributes: { gender: 'K', programme: 'introduksjonsprogram' }, name: `Navn ${i} Etternavn${i}`, email: `deltaker${i}@example.no`, phone: '+4792153576' }));
const cols = 'id uuid, line integer, external_id text, municipality_code text, preferred_locale text, attributes jsonb, name text, email text, phone text';
async function run(label: string, f: (batch: typeof rows) => Promise<void>) {
  await db.transaction().execute(async (trx) => {
    await sql`create temp table frame_stage (${sql.raw(cols)}) on commit drop`.execute(trx);
    const t = performance.now();
    for (let i = 0; i < N; i += B) await f.call(trx as never, rows.slice(i, i + B));
    console.log(label, ((performance.now() - t) / 1000).toFixed(2));
    (globalThis as any).trx = undefined;
  });
}
let T: any;
const wrap = (g: (trx: any, b: typeof rows) => Promise<void>) => async function (this: any, b: typeof rows) { await g(this, b); };
await run('json_to_recordset', wrap(async (trx, b) => { await sql`insert into frame_stage select * from json_to_recordset(${`[${b.map((r) => JSON.stringify(r)).join(',')}]`}::json) as r(${sql.raw(cols)})`.execute(trx); }));
await run('json arrays', wrap(async (trx, b) => { await sql`insert into frame_stage select (r->>0)::uuid, (r->>1)::int, r->>2, r->>3, r->>4, r->5, r->>6, r->>7, r->>8 from jsonb_array_elements(${`[${b.map((r) => JSON.stringify([r.id, r.line, r.external_id, r.municipality_code, r.preferred_locale, r.attributes, r.name, r.email, r.phone])).join(',')}]`}::jsonb) r`.execute(trx); }));
await run('unnest', wrap(async (trx, b) => { await sql`insert into frame_stage select * from unnest(${b.map((r) => r.id)}::uuid[], ${b.map((r) => r.line)}::int[], ${b.map((r) => r.external_id)}::text[], ${b.map((r) => r.municipality_code)}::text[], ${b.map((r) => r.preferred_locale)}::text[], ${b.map((r) => JSON.stringify(r.attributes))}::jsonb[], ${b.map((r) => r.name)}::text[], ${b.map((r) => r.email)}::text[], ${b.map((r) => r.phone)}::text[])`.execute(trx); }));
await run('json_to_recordset 20000', wrap(async (trx, b) => { await sql`insert into frame_stage select * from json_to_recordset(${`[${b.map((r) => JSON.stringify(r)).join(',')}]`}::json) as r(${sql.raw(cols)})`.execute(trx); }));
await pg.close(); process.exit(0);
