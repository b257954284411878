// `npm run bench:export`: exports a seeded wave (100 000 and 1 000 000 responses × 60 questions; BENCH_ROWS=20000
// or BENCH_ROWS=100000,1000000 to choose) to CSV, .sav and Parquet, each in a child process of its own, and prints
// time and peak memory beside PostgreSQL's own COPY (select …) TO STDOUT (FORMAT csv) of the same rows.
// Goal (the export issue): CSV at least 0.5× COPY's rows/s, and peak memory flat as rows grow.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { benchQuestions, clearWaves, copyQuery, publishBenchInstrument, seedWave } from './export-seed.ts';
import { openBenchPostgres, timedPsql } from './postgres.ts';

const formats = ['csv', 'sav', 'parquet'] as const;
const sizes = (process.env.BENCH_ROWS ?? '100000,1000000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0);

interface Measure {
  format: string;
  rows: number;
  available: boolean;
  seconds?: number;
  rowsPerSecond?: number;
  ratioToCopy?: number;
  peakRssMb?: number | null;
  /** The export process's RSS just before it starts exporting: Node, tsx, modules, a connection. */
  startRssMb?: number;
  bytes?: number;
  columns?: number;
}

async function exportInChild(url: string, waveId: string, format: string, out: string) {
  const script = fileURLToPath(new URL('./export-child.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stdin.end(JSON.stringify({ url, waveId, format, out }));
  const code = await new Promise((r) => child.on('close', r));
  if (code !== 0) throw new Error(`export ${format} failed (exit ${code})`);
  return JSON.parse(stdout) as Omit<Measure, 'format'> & {
    seconds: number;
    maxRssMb: number;
    startRssMb: number;
  };
}

/** psql's \copy runs COPY … TO STDOUT and writes the file. */
function copyWithPsql(url: string, query: string, out: string) {
  const r = timedPsql(url, `\\copy (${query}) to '${out}' with (format csv)`);
  return r && { ...r, bytes: statSync(out).size };
}

const group = (n: number) => Math.round(n).toLocaleString('en-US').replace(/,/g, ' ');

function printTable(results: Measure[], header: string) {
  const cols = ['format', 'rows', 'seconds', 'rows/s', '× COPY', 'peak RSS MB', 'file MB'];
  const widths = [10, 11, 9, 11, 8, 12, 9];
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' ');
  process.stdout.write(`\n${header}\n${line(cols)}\n`);
  for (const m of results) {
    if (!m.available) {
      process.stdout.write(`${line([m.format, group(m.rows)])}   not available\n`);
      continue;
    }
    process.stdout.write(
      `${line([
        m.format,
        group(m.rows),
        m.seconds!.toFixed(2),
        group(m.rowsPerSecond!),
        m.ratioToCopy!.toFixed(2),
        m.peakRssMb == null ? '–' : m.peakRssMb.toFixed(0),
        (m.bytes! / 1e6).toFixed(1),
      ])}\n`,
    );
  }
}

async function main() {
  if (sizes.length === 0)
    throw new Error('BENCH_ROWS: one or more whole numbers, e.g. 20000 or 100000,1000000');
  const pg = await openBenchPostgres(process.env.BENCH_DATABASE_URL ?? null);
  const work = mkdtempSync(join(tmpdir(), 'svar-bench-export-out-'));
  const results: Measure[] = [];
  const seeding: { rows: number; seconds: number }[] = [];
  try {
    const db = pg.handle.db;
    const version = (await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db))
      .rows[0]!.v;
    const versionId = await publishBenchInstrument(db);
    for (const rows of sizes) {
      await clearWaves(db);
      const t0 = performance.now();
      const waveId = await seedWave(db, versionId, rows);
      seeding.push({ rows, seconds: (performance.now() - t0) / 1000 });
      process.stderr.write(`seeded ${group(rows)} responses in ${seeding.at(-1)!.seconds.toFixed(1)} s\n`);
      const copyOut = join(work, 'copy.csv');
      copyWithPsql(pg.url, copyQuery(waveId), copyOut); // warm-up: the table's pages in cache for everyone
      const copy = copyWithPsql(pg.url, copyQuery(waveId), copyOut);
      rmSync(copyOut, { force: true });
      const copyRate = copy ? rows / copy.seconds : null;
      results.push(
        copy
          ? { format: 'COPY csv', rows, available: true, ...copy, rowsPerSecond: copyRate!, ratioToCopy: 1 }
          : { format: 'COPY csv', rows, available: false },
      );
      for (const format of formats) {
        const out = join(work, `export.${format}`);
        const r = await exportInChild(pg.url, waveId, format, out);
        rmSync(out, { force: true });
        if (!r.available) {
          results.push({ format, rows, available: false });
          continue;
        }
        const rate = r.rows / r.seconds;
        results.push({
          format,
          rows: r.rows,
          available: true,
          seconds: r.seconds,
          rowsPerSecond: rate,
          ratioToCopy: copyRate ? rate / copyRate : Number.NaN,
          peakRssMb: r.maxRssMb,
          startRssMb: r.startRssMb,
          bytes: r.bytes,
          columns: r.columns,
        });
        process.stderr.write(`${format} ${group(rows)}: ${r.seconds.toFixed(1)} s\n`);
      }
    }
    const columns = results.find((r) => r.columns)?.columns;
    printTable(
      results,
      `Export benchmark: ${benchQuestions.length} questions (40 radiogroup, 10 checkbox, 10 text) → ` +
        `${columns ?? '?'} export columns; PostgreSQL ${version}, ${pg.throwaway ? 'throwaway cluster' : 'BENCH_DATABASE_URL'}\n` +
        `baseline: COPY (select id, answers->>'q1', … 'q60' from response where wave_id = …) TO STDOUT (FORMAT csv) via psql; ` +
        `each export in its own process (peak RSS is the whole process: Node, modules and all)`,
    );
    summarise(results);
    const dir = fileURLToPath(new URL('./results/', import.meta.url));
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `export-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(
      file,
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          machine: {
            cpus: cpus().length,
            cpu: cpus()[0]?.model,
            memoryMb: Math.round(totalmem() / 2 ** 20),
            node: process.version,
          },
          postgres: { version, server: pg.throwaway ? 'throwaway cluster' : 'BENCH_DATABASE_URL' },
          instrument: {
            questions: benchQuestions.length,
            radiogroup: 40,
            checkbox: 10,
            text: 10,
            exportColumns: columns,
          },
          seeding,
          results,
        },
        null,
        2,
      )}\n`,
    );
    process.stdout.write(`\nresults: ${file}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
    await pg.close();
  }
}

/** The two goals, read off the table. */
function summarise(results: Measure[]) {
  const lines: string[] = [];
  const [small, large] = [Math.min(...sizes), Math.max(...sizes)];
  for (const f of formats) {
    const at = (rows: number) => results.find((r) => r.format === f && r.rows === rows && r.available);
    const a = at(small);
    const b = at(large);
    if (!b) continue;
    if (f === 'csv')
      lines.push(`CSV at ${group(large)} rows: ${b.ratioToCopy!.toFixed(2)}× COPY (goal ≥ 0.50)`);
    if (a && b && small !== large && a.peakRssMb && b.peakRssMb)
      lines.push(
        `${f} peak RSS ${group(small)} → ${group(large)} rows: ${a.peakRssMb.toFixed(0)} → ${b.peakRssMb.toFixed(0)} MB ` +
          `(${(b.peakRssMb / a.peakRssMb).toFixed(2)}×; flat is ≈ 1)`,
      );
  }
  if (lines.length) process.stdout.write(`\n${lines.join('\n')}\n`);
}

await main();
