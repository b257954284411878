// Throwaway: times the progress query on a seeded census wave of N units (not part of the suite).
import { sql } from 'kysely';
import { countProgress } from '../server/fieldwork/progress-queries.ts';
import { insertWave } from '../server/fieldwork/queries.ts';
import { publishBenchInstrument } from './export-seed.ts';
import { benchLocales, seedResponses } from './fieldwork-seed.ts';
import { openBenchPostgres } from './postgres.ts';

const units = Number(process.env.N ?? 1_000_000);
const pg = await openBenchPostgres(null);
const db = pg.handle.db;
const versionId = await publishBenchInstrument(db);
const w = await insertWave(db, {
  instrumentId: 'bench-export', versionId, name: 'p', mode: 'census', unitType: 'participant',
  locales: benchLocales, allowDraftLocales: true, opensAt: null, closesAt: null,
});
await sql`insert into frame_unit (wave_id, external_id, municipality_code, preferred_locale, selected)
  select ${w.id}::uuid, 'P' || g, (array['0301','4601','5001','1103','3201'])[1 + g % 5], 'nb', true
  from generate_series(1, ${units}) g`.execute(db);
const ti = performance.now();
await sql`insert into invitation (wave_id, frame_unit_id, token_hash, locale, purpose, round)
  select wave_id, id, md5(id::text), preferred_locale, 'invitation', 1 from frame_unit where wave_id = ${w.id}`.execute(db);
console.log('insert invitations', ((performance.now() - ti) / 1000).toFixed(2), 's');
await seedResponses(db, w.id);
await sql`analyze`.execute(db);
for (const mem of ['4MB', '64MB']) {
  await db.connection().execute(async (c) => {
    await sql.raw(`set work_mem = '${mem}'`).execute(c);
    for (const by of ['county', 'language'] as const) {
      for (let i = 0; i < 2; i++) {
        const t = performance.now();
        const rows = await countProgress(c, { id: w.id, locales: benchLocales }, by, null);
        console.log(mem, by, rows.length, ((performance.now() - t) / 1000).toFixed(3), 's');
      }
    }
    const t = performance.now();
    await sql`select left(f.municipality_code, 2) as grp, count(i.frame_unit_id) as invited,
        count(*) filter (where o.frame_unit_id is not null or r.id is not null) as opened,
        count(r.id) as started, count(*) filter (where r.status = 'completed') as completed, count(f.opted_out_at)
      from frame_unit f
      left join (select distinct frame_unit_id from invitation where wave_id = ${w.id}) i on i.frame_unit_id = f.id
      left join (select distinct frame_unit_id from invitation where wave_id = ${w.id} and opened_at is not null) o on o.frame_unit_id = f.id
      left join response r on r.frame_unit_id = f.id and r.wave_id = ${w.id}
      where f.wave_id = ${w.id} and f.selected group by 1`.execute(c);
    console.log(mem, 'distinct-variant', ((performance.now() - t) / 1000).toFixed(3), 's');
    const t2 = performance.now();
    await sql`select left(f.municipality_code, 2) as grp, count(*) filter (where exists (select 1 from invitation i where i.frame_unit_id = f.id)) as invited,
        count(r.id) as started
      from frame_unit f
      left join response r on r.frame_unit_id = f.id and r.wave_id = ${w.id}
      where f.wave_id = ${w.id} and f.selected group by 1`.execute(c);
    console.log(mem, 'frame+response only (floor)', ((performance.now() - t2) / 1000).toFixed(3), 's');
    const t3 = performance.now();
    await sql`select left(f.municipality_code, 2) as grp, count(*), count(r.id) as started
      from frame_unit f
      left join response r on r.frame_unit_id = f.id and r.wave_id = ${w.id}
      where f.wave_id = ${w.id} and f.selected group by 1`.execute(c);
    console.log(mem, 'frame+response without invitation', ((performance.now() - t3) / 1000).toFixed(3), 's');
  });
}
if (process.env.EXPLAIN) {
  const r = await sql`explain analyze select 1`.execute(db);
  console.log(r.rows);
}
await pg.close();
process.exit(0);
