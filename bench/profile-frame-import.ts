// A profile of a frame import and draw on a throwaway PostgreSQL, with the time of each statement
// (a Kysely plugin notes when a query is compiled and when its result comes back; a first import's COPY batches
// go around Kysely and are not listed). N=200000 npx tsx bench/profile-frame-import.ts (EXPLAIN=1, TWICE=1 …: see below)
import { createReadStream, existsSync } from 'node:fs';
import { type KyselyPlugin, sql } from 'kysely';
import { readFrame } from '../server/fieldwork/frame-file.ts';
import { importFrameStream } from '../server/fieldwork/frames.ts';
import { insertWave } from '../server/fieldwork/queries.ts';
import { drawWaveSample } from '../server/fieldwork/sample.ts';
import { publishBenchInstrument } from './export-seed.ts';
import { benchLocales, copyFrameWithPsql, writeFrameCsv } from './fieldwork-seed.ts';
import { openBenchPostgres } from './postgres.ts';

const units = Number(process.env.N ?? 1000000);
const path = `/tmp/prof/frame-${units}.csv`;
if (!existsSync(path)) await writeFrameCsv(path, units);
const open = () => createReadStream(path, { highWaterMark: 1 << 20 });
let t = performance.now();
const cpu0 = process.cpuUsage();
const secs = (from: number) => ((performance.now() - from) / 1000).toFixed(2);
const r = await readFrame(open(), 'f.csv', { unitType: 'participant' });
if (process.env.SKIP_PARSE) await r.items.return(undefined);
let n = 0;
for await (const it of r.items) if (it.row) n++;
console.log('parse+check only', n, secs(t), 'cpu', (process.cpuUsage(cpu0).user / 1e6).toFixed(2));
if (process.env.PARSE_ONLY) process.exit(0);

const drawStatements: { sql: string; parameters: readonly unknown[] }[] = [];
const started = new Map<unknown, { at: number; sql: string }>();
const timing: KyselyPlugin = {
  transformQuery(args) {
    const node = args.node as { kind: string; sqlFragments?: readonly string[] };
    const text = node.sqlFragments?.[0]?.replace(/\s+/g, ' ').trim().slice(0, 70) ?? node.kind;
    started.set(args.queryId, { at: performance.now(), sql: text });
    if (process.env.EXPLAIN && /^(with unit|update|UpdateQueryNode)/.test(text))
      drawStatements.push(pg.handle.db.getExecutor().compileQuery(args.node, args.queryId));
    return args.node;
  },
  async transformResult(args) {
    const s = started.get(args.queryId);
    if (s && performance.now() - s.at > 50) {
      const kind = (args.result as { numAffectedRows?: bigint }).numAffectedRows;
      console.log(`  +${((s.at - t) / 1000).toFixed(2)} ${secs(s.at)}s`, kind ?? '', s.sql);
    }
    return args.result;
  },
};
const pg = await openBenchPostgres(null);
const copy = copyFrameWithPsql(pg.url, path);
console.log('psql \\copy', copy?.seconds.toFixed(2));
const db = pg.handle.db.withPlugin(timing) as typeof pg.handle.db;
if (process.env.FILLFACTOR)
  await sql.raw(`alter table frame_unit set (fillfactor = ${process.env.FILLFACTOR})`).execute(db);
const versionId = await publishBenchInstrument(db);
const w = await insertWave(db, {
  instrumentId: 'bench-export',
  versionId,
  name: 'x',
  mode: 'sample',
  unitType: 'participant',
  locales: benchLocales,
  allowDraftLocales: true,
  opensAt: null,
  closesAt: null,
});
for (const round of process.env.TWICE ? [1, 2] : [1]) {
  t = performance.now();
  const res = await importFrameStream(
    db,
    w.id,
    { stream: open(), name: 'f.csv' },
    { kind: 'cli' },
    new Date(),
  );
  console.log(`import ${round}`, secs(t), JSON.stringify({ ...res, languageFallbacks: undefined }));
  t = performance.now();
  await drawWaveSample(
    db,
    w.id,
    { size: units / 10, strata: 'county', allocation: 'proportional', seed: `b${round}` },
    { kind: 'cli' },
  );
  console.log(`draw ${round}`, secs(t));
}
for (const q of drawStatements.splice(0)) {
  await pg.handle.db
    .transaction()
    .execute(async (trx) => {
      const plan = await trx.executeQuery<{ 'QUERY PLAN': string }>({
        ...q,
        sql: `explain (analyze, buffers) ${q.sql}`,
        query: { kind: 'RawNode' } as never,
        queryId: { queryId: 'x' },
      } as never);
      console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
      throw new Error('rollback');
    })
    .catch(() => {});
}
await pg.close();
process.exit(0);
