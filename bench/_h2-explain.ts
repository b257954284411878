// H2 scratch: seeds N units on a throwaway PostgreSQL and explains the round page query and progress.
import { sql } from 'kysely';
import { insertWave } from '../server/fieldwork/queries.ts';
import { listUnitsToInvite } from '../server/fieldwork/queue-round-queries.ts';
import { publishBenchInstrument } from './export-seed.ts';
import { openBenchPostgres } from './postgres.ts';
import { seedResponses } from './fieldwork-seed.ts';
import { countProgress } from '../server/fieldwork/progress-queries.ts';

const N = Number(process.env.N ?? 100000);
const pg = await openBenchPostgres(null);
const db = pg.handle.db;
try {
  const versionId = await publishBenchInstrument(db);
  const wave = await insertWave(db, { instrumentId: 'bench-export', versionId, name: 'x', mode: 'census', unitType: 'participant', locales: ['nb','nn','ar'], allowDraftLocales: true, opensAt: null, closesAt: null });
  await sql`insert into frame_unit (wave_id, external_id, municipality_code, preferred_locale, attributes, selected)
    select ${wave.id}::uuid, 'P' || lpad(i::text, 8, '0'), (array['0301','4601','5001','1103'])[1 + i % 4], 'nb', '{}'::jsonb, true from generate_series(1, ${N}) i`.execute(db);
  await sql`analyze`.execute(db);
  const explain = async (label: string, q: { compile(): { sql: string; parameters: readonly unknown[] } }) => {
    const c = q.compile();
    const t0 = performance.now();
    const r = await sql.raw(`explain (analyze, buffers) ${c.sql.replace(/\$(\d+)/g, (_m, n) => { const v = c.parameters[Number(n) - 1]; return typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`; })}`).execute(db);
    console.log(`--- ${label} (${(performance.now() - t0).toFixed(0)} ms)`);
    for (const row of r.rows as { 'QUERY PLAN': string }[]) console.log(row['QUERY PLAN']);
  };
  // Half the wave already invited, as in the middle of a round.
  await sql`insert into invitation (wave_id, frame_unit_id, token_hash, locale, purpose, round)
    select wave_id, id, md5(id::text) || md5(external_id), 'nb', 'invitation', 1 from frame_unit where wave_id = ${wave.id} and external_id <= ${'P' + String(N / 2).padStart(8, '0')}`.execute(db);
  await sql`analyze`.execute(db);
  const page = db.selectFrom('frame_unit').selectAll(); void page;
  const qb = (listUnitsToInvite as any);
  // Compile the page query by intercepting execute.
  const compiled = await (async () => {
    let captured: any;
    const fake = new Proxy(db, {});
    void fake;
    captured = null;
    return captured;
  })();
  void compiled; void qb;
  const t0 = performance.now();
  await listUnitsToInvite(db, wave.id, { after: 'P' + String(N / 2).padStart(8, '0'), upto: 'P' + String(N / 2 + 2000).padStart(8, '0') });
  console.log('page query', (performance.now() - t0).toFixed(0), 'ms');
  await sql`insert into invitation (wave_id, frame_unit_id, token_hash, locale, purpose, round)
    select wave_id, id, md5(id::text) || md5(external_id), 'nb', 'invitation', 1 from frame_unit where wave_id = ${wave.id} and external_id > ${'P' + String(N / 2).padStart(8, '0')}`.execute(db);
  await seedResponses(db, wave.id);
  await sql`analyze`.execute(db);
  for (const by of ['total', 'county', 'language'] as const) {
    const t1 = performance.now();
    await countProgress(db, { id: wave.id, locales: ['nb','nn','ar'] }, by, null);
    console.log('progress', by, (performance.now() - t1).toFixed(0), 'ms');
  }
  await sql`set auto_explain.log_min_duration = 0`.execute(db).catch(() => {});
  if (process.env.EXPLAIN) {
    const r = await sql.raw(process.env.EXPLAIN.replaceAll('$WAVE', `'${wave.id}'`)).execute(db);
    for (const row of r.rows as any[]) console.log(Object.values(row)[0]);
  }
  if (process.env.KEEP) { console.log(pg.url, wave.id); await new Promise((r) => setTimeout(r, Number(process.env.KEEP) * 1000)); }
} finally {
  await pg.close?.();
}
