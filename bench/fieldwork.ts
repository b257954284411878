// `npm run bench:fieldwork`: a national round on a throwaway PostgreSQL. For each frame size (BENCH_UNITS, default
// 100000,1000000): import the participant frame from CSV, draw a stratified sample (county, proportional, 10 %),
// open a census wave over the same units (one link each) and ask its progress by county; and once an XLSX frame of
// BENCH_XLSX_UNITS rows (default 100000). Each step runs in a child process of its own (peak RSS is the step's),
// beside psql's \copy of the same CSV into a plain table as the baseline.
// Goals (issue 11): import + draw ≤ 2× COPY, and peak memory flat from the smallest frame to the largest.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { insertWave } from '../server/fieldwork/queries.ts';
import { clearWaves, publishBenchInstrument } from './export-seed.ts';
import type { Step } from './fieldwork-child.ts';
import {
  benchLocales,
  copyFrame,
  copyFrameWithPsql,
  keyedLoadSeconds,
  seedResponses,
  writeFrameCsv,
  writeFrameXlsx,
} from './fieldwork-seed.ts';
import { openBenchPostgres } from './postgres.ts';

const wholeNumbers = (v: string) =>
  v
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
const sizes = wholeNumbers(process.env.BENCH_UNITS ?? '100000,1000000');
const xlsxUnits = wholeNumbers(process.env.BENCH_XLSX_UNITS ?? '100000')[0] ?? 100_000;

interface Measure {
  step: string;
  units: number;
  seconds: number;
  ratioToCopy: number | null;
  peakRssMb: number | null;
  startRssMb?: number;
  detail?: Record<string, unknown>;
}

async function inChild(url: string, step: Step, waveId: string, extra: Record<string, unknown> = {}) {
  const script = fileURLToPath(new URL('./fieldwork-child.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stdin.end(JSON.stringify({ url, step, waveId, ...extra }));
  const code = await new Promise((r) => child.on('close', r));
  if (code !== 0) throw new Error(`${step} failed (exit ${code})`);
  return JSON.parse(stdout) as {
    seconds: number;
    maxRssMb: number;
    startRssMb: number;
    detail: Record<string, unknown>;
  };
}

const group = (n: number) => Math.round(n).toLocaleString('en-US').replace(/,/g, ' ');

function printTable(results: Measure[], header: string) {
  const cols = ['step', 'units', 'seconds', 'units/s', '× COPY', 'peak RSS MB'];
  const widths = [22, 11, 9, 11, 8, 12];
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' ');
  process.stdout.write(`\n${header}\n${line(cols)}\n`);
  for (const m of results) {
    process.stdout.write(
      `${line([
        m.step,
        group(m.units),
        m.seconds.toFixed(2),
        group(m.units / m.seconds),
        m.ratioToCopy == null ? '–' : m.ratioToCopy.toFixed(2),
        m.peakRssMb == null ? '–' : m.peakRssMb.toFixed(0),
      ])}\n`,
    );
  }
}

/** The two goals, read off the table. */
function summarise(results: Measure[]): string[] {
  const lines: string[] = [];
  const at = (step: string, units: number) => results.find((r) => r.step === step && r.units === units);
  const [small, large] = [Math.min(...sizes), Math.max(...sizes)];
  for (const units of sizes) {
    const copy = at('COPY (psql \\copy)', units);
    const imp = at('import CSV', units);
    const draw = at('draw (county, prop.)', units);
    if (!copy || !imp || !draw) continue;
    const ratio = (imp.seconds + draw.seconds) / copy.seconds;
    const keyed = at('COPY + keyed tables', units);
    const both = imp.seconds + draw.seconds;
    lines.push(
      `import + draw at ${group(units)} units: ${both.toFixed(1)} s = ${ratio.toFixed(2)}× COPY into a plain ` +
        `table (goal ≤ 2.00: ${ratio <= 2 ? 'met' : 'missed'})` +
        (keyed
          ? `; ${(both / keyed.seconds).toFixed(2)}× the same rows copied into the keyed tables ` +
            `(${keyed.seconds.toFixed(1)} s; ≤ 2.00: ${both / keyed.seconds <= 2 ? 'met' : 'missed'}); import alone ` +
            `${(imp.seconds / keyed.seconds).toFixed(2)}× that`
          : ''),
    );
  }
  if (small !== large) {
    for (const step of ['import CSV', 'draw (county, prop.)', 'open (links)', 'progress (county)']) {
      const a = at(step, small);
      const b = at(step, large);
      if (!a?.peakRssMb || !b?.peakRssMb) continue;
      const r = b.peakRssMb / a.peakRssMb;
      lines.push(
        `${step} peak RSS ${group(small)} → ${group(large)} units: ${a.peakRssMb.toFixed(0)} → ` +
          `${b.peakRssMb.toFixed(0)} MB (${r.toFixed(2)}×; memory flat: ${r <= 1.25 ? 'met' : 'missed'})`,
      );
    }
  }
  return lines;
}

async function main() {
  if (sizes.length === 0) throw new Error('BENCH_UNITS: whole numbers, e.g. 20000 or 100000,1000000');
  const pg = await openBenchPostgres(process.env.BENCH_DATABASE_URL ?? null);
  const work = mkdtempSync(join(tmpdir(), 'svar-bench-fieldwork-'));
  const results: Measure[] = [];
  try {
    const db = pg.handle.db;
    const version = (await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db))
      .rows[0]!.v;
    const versionId = await publishBenchInstrument(db);
    const newWave = (name: string, mode: 'census' | 'sample') =>
      insertWave(db, {
        instrumentId: 'bench-export',
        versionId,
        name,
        mode,
        unitType: 'participant',
        locales: benchLocales,
        allowDraftLocales: true,
        opensAt: null,
        closesAt: null,
      });
    const measure = async (
      step: string,
      units: number,
      copySeconds: number | null,
      run: () => ReturnType<typeof inChild>,
    ) => {
      const r = await run();
      results.push({
        step,
        units,
        seconds: r.seconds,
        ratioToCopy: copySeconds ? r.seconds / copySeconds : null,
        peakRssMb: r.maxRssMb,
        startRssMb: r.startRssMb,
        detail: r.detail,
      });
      process.stderr.write(
        `${step} ${group(units)}: ${r.seconds.toFixed(1)} s, ${r.maxRssMb.toFixed(0)} MB\n`,
      );
    };
    for (const units of sizes) {
      await clearWaves(db);
      const csvPath = join(work, `frame-${units}.csv`);
      await writeFrameCsv(csvPath, units);
      process.stderr.write(
        `frame of ${group(units)} units: ${(statSync(csvPath).size / 1e6).toFixed(0)} MB\n`,
      );
      const copy = copyFrameWithPsql(pg.url, csvPath);
      if (copy) {
        results.push({ step: 'COPY (psql \\copy)', units, ...copy, ratioToCopy: 1 });
        process.stderr.write(`COPY ${group(units)}: ${copy.seconds.toFixed(1)} s\n`);
      }
      const c = copy?.seconds ?? null;
      const sample = await newWave('Benk: utvalg', 'sample');
      if (copy) {
        // The second baseline: the same rows moved into the keyed tables by SQL alone (no checks), after the COPY.
        const keyed = await keyedLoadSeconds(db, sample.id);
        results.push({
          step: 'COPY + keyed tables',
          units,
          seconds: copy.seconds + keyed,
          ratioToCopy: (copy.seconds + keyed) / copy.seconds,
          peakRssMb: null,
        });
        process.stderr.write(`COPY + keyed tables ${group(units)}: ${(copy.seconds + keyed).toFixed(1)} s\n`);
        await sql`vacuum analyze frame_unit, unit_contact`.execute(db);
      }
      await measure('import CSV', units, c, () =>
        inChild(pg.url, 'import-csv', sample.id, { file: csvPath }),
      );
      rmSync(csvPath, { force: true });
      const sampleSize = Math.max(1, Math.round(units / 10));
      await measure('draw (county, prop.)', units, c, () =>
        inChild(pg.url, 'draw', sample.id, { sampleSize }),
      );
      const census = await newWave('Benk: totaltelling', 'census');
      await copyFrame(db, sample.id, census.id);
      await measure('open (links)', units, c, () => inChild(pg.url, 'open', census.id));
      await seedResponses(db, census.id);
      await sql`analyze`.execute(db);
      await measure('progress (county)', units, c, () => inChild(pg.url, 'progress', census.id));
    }
    await clearWaves(db);
    const xlsxPath = join(work, `frame-${xlsxUnits}.xlsx`);
    await writeFrameXlsx(xlsxPath, xlsxUnits);
    const xlsxWave = await newWave('Benk: XLSX', 'sample');
    await measure('import XLSX', xlsxUnits, null, () =>
      inChild(pg.url, 'import-xlsx', xlsxWave.id, { file: xlsxPath }),
    );

    printTable(
      results,
      `Fieldwork benchmark: participant frame of ${frameDescription}; PostgreSQL ${version}, ` +
        `${pg.throwaway ? 'throwaway cluster' : 'BENCH_DATABASE_URL'}\n` +
        'baseline: psql \\copy of the same CSV into a plain table of text columns; × COPY = seconds / COPY seconds ' +
        'at the same size; COPY + keyed tables: that COPY, then its rows moved by SQL into frame_unit and ' +
        'unit_contact (keys, foreign keys, no checks), the floor of an import into this schema; each step in its ' +
        'own process (peak RSS is the whole process: Node, modules and all)',
    );
    const goals = summarise(results);
    if (goals.length) process.stdout.write(`\n${goals.join('\n')}\n`);
    const dir = fileURLToPath(new URL('./results/', import.meta.url));
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `fieldwork-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    const machine = {
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      memoryMb: Math.round(totalmem() / 2 ** 20),
      node: process.version,
    };
    const postgres = { version, server: pg.throwaway ? 'throwaway cluster' : 'BENCH_DATABASE_URL' };
    const report = { date: new Date().toISOString(), machine, postgres, sizes, xlsxUnits, results, goals };
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`\nresults: ${file}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
    await pg.close();
  }
}

const frameDescription =
  '8 columns (id, municipality, language, e-mail, phone, name, 2 extra), 356 municipalities, 12 languages ' +
  '(2 not offered); draw n = N/10; open: a census wave over the same N units; progress: 20 % started, 10 % completed';

await main();
