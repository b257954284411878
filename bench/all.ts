// `npm run bench`: every benchmark, each in a child process of its own (bench:respondent, bench:lighthouse,
// bench:export at BENCH_ROWS=20000 and bench:fieldwork at BENCH_UNITS=20000 unless set, the national sizes being
// a run of their own), then one table of every figure beside its baseline or goal, as a ratio, and the same as
// JSON in bench/results/all-<date>.json so that runs can be compared. A benchmark that fails is reported in the
// table and makes the exit code non-zero; the rest still run.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lighthouseGoals, meetsGoal } from './lighthouse.ts';

interface Row {
  bench: string;
  measure: string;
  value: string;
  against: string;
  ratio: number | null;
  /** Whether a goal is met; null where the figure has a baseline but no goal. */
  met: boolean | null;
}

const root = fileURLToPath(new URL('../', import.meta.url));
interface Bench {
  name: string;
  script: string;
  env: Record<string, string>;
  /** Run only when this file exists. */
  file?: string;
}
const every: Bench[] = [
  { name: 'respondent', script: 'bench:respondent', env: {} },
  { name: 'lighthouse', script: 'bench:lighthouse', env: {} },
  { name: 'export', script: 'bench:export', env: { BENCH_ROWS: process.env.BENCH_ROWS ?? '20000' } },
  {
    name: 'fieldwork',
    script: 'bench:fieldwork',
    env: {
      BENCH_UNITS: process.env.BENCH_UNITS ?? '20000',
      BENCH_XLSX_UNITS: process.env.BENCH_XLSX_UNITS ?? '20000',
    },
    file: 'bench/fieldwork.ts',
  },
];
const benches = every.filter((b) => !b.file || existsSync(join(root, b.file)));

function run(script: string, env: Record<string, string>): Promise<{ code: number; out: string }> {
  const child = spawn('npm', ['run', '--silent', script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d;
    process.stdout.write(d);
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? 1, out })));
}

/**
 * Goals issue 12 sets on rows of the respondent table, by the start of their measure: saves at half the raw insert
 * rate or better, and p99 under 100 ms at 500 saves/s (the row's ratio is p99 / 100 ms).
 */
const tableGoals: { measure: string; met: (ratio: number) => boolean }[] = [
  { measure: 'answer saves/s (validated, committed)', met: (r) => r >= 0.5 },
  { measure: 'save latency p50 / p99 at 500 saves/s', met: (r) => r < 1 },
];

/** Rows of a printed table whose last column is a ratio: "measure  value  baseline  0.42" (bench/respondent.ts). */
function tableRows(bench: string, out: string): Row[] {
  const rows: Row[] = [];
  for (const line of out.split('\n')) {
    const cells = line.trim().split(/\s{2,}/);
    const ratio = Number(cells.at(-1));
    if (cells.length < 4 || !/^\d+(\.\d+)?$/.test(cells.at(-1)!) || Number.isNaN(ratio)) continue;
    const goal = tableGoals.find((g) => cells[0]!.startsWith(g.measure));
    rows.push({
      bench,
      measure: cells[0]!,
      value: cells[1]!,
      against: cells[2]!,
      ratio,
      met: goal ? goal.met(ratio) : null,
    });
  }
  return rows;
}

function lighthouseRows(out: string): Row[] {
  const line = out.split('\n').find((l) => l.startsWith('BENCH_JSON '));
  if (!line) return [];
  const figures = (JSON.parse(line.slice(11)) as { lighthouse: Record<string, number> }).lighthouse;
  return (Object.keys(lighthouseGoals) as (keyof typeof lighthouseGoals)[]).map((key) => {
    const g = lighthouseGoals[key];
    const unit = g.unit ? ` ${g.unit}` : '';
    return {
      bench: 'lighthouse',
      measure: key,
      value: `${figures[key]}${unit}`,
      against: `goal ${g.lowerIsBetter ? '≤' : '≥'} ${g.goal}${unit}`,
      ratio: Math.round((figures[key]! / g.goal) * 100) / 100,
      met: meetsGoal(key, figures[key]!),
    };
  });
}

/** Figures from the JSON a benchmark wrote ("results: <file>"): each result with a ratio (export, fieldwork). */
function resultFileRows(bench: string, out: string): Row[] {
  const file = out.match(/^results: (.+\.json)$/m)?.[1];
  if (!file || !existsSync(file)) return [];
  const report = JSON.parse(readFileSync(file, 'utf8')) as { results?: Record<string, unknown>[] };
  return (report.results ?? []).flatMap((r) => {
    const ratioKey = Object.keys(r).find((k) => /^ratio/i.test(k) && typeof r[k] === 'number');
    if (!ratioKey) return [];
    const name = [r.format ?? r.step ?? r.name ?? '?', r.rows ?? r.size ?? r.units].filter((x) => x != null);
    const perSecond = Object.keys(r).find((k) => /PerSecond$/.test(k) && typeof r[k] === 'number');
    const value =
      perSecond !== undefined
        ? `${Math.round(r[perSecond] as number)} ${perSecond.replace(/PerSecond$/, '')}/s`
        : typeof r.seconds === 'number'
          ? `${(r.seconds as number).toFixed(2)} s`
          : '';
    return [
      {
        bench,
        measure: name.join(' '),
        value,
        against: ratioKey === 'ratioToCopy' ? 'COPY at the same size' : ratioKey,
        ratio: Math.round((r[ratioKey] as number) * 100) / 100,
        met: null,
      },
    ];
  });
}

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n));

async function main() {
  const rows: Row[] = [];
  const runs: { bench: string; exitCode: number }[] = [];
  for (const b of benches) {
    process.stdout.write(`\n=== npm run ${b.script} ===\n`);
    const { code, out } = await run(b.script, b.env);
    runs.push({ bench: b.name, exitCode: code });
    const found = [...lighthouseRows(out), ...resultFileRows(b.name, out)];
    rows.push(...(found.length ? found : tableRows(b.name, out)));
    if (code !== 0)
      rows.push({
        bench: b.name,
        measure: 'FAILED',
        value: `exit ${code}`,
        against: '',
        ratio: null,
        met: false,
      });
  }
  process.stdout.write(
    '\nSummary: every figure beside its baseline or goal (ratio = figure / baseline or goal)\n',
  );
  process.stdout.write(
    `${'bench'.padEnd(11)} ${'measure'.padEnd(50)} ${'figure'.padEnd(22)} ${'baseline / goal'.padEnd(30)} ${'ratio'.padEnd(7)} goal\n`,
  );
  for (const r of rows) {
    const met = r.met === null ? '' : r.met ? 'met' : 'NOT MET';
    process.stdout.write(
      `${r.bench.padEnd(11)} ${cut(r.measure, 50)} ${cut(r.value, 22)} ${cut(r.against, 30)} ${String(r.ratio ?? '').padEnd(7)} ${met}\n`,
    );
  }
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `all-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const machine = { cpus: cpus().length, cpu: cpus()[0]?.model, memoryMb: Math.round(totalmem() / 2 ** 20) };
  writeFileSync(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), machine, node: process.version, runs, rows }, null, 2)}\n`,
  );
  process.stdout.write(`\nresults: ${file}\n`);
  if (runs.some((r) => r.exitCode !== 0)) process.exitCode = 1;
}

await main();
