// A large CSV export from PostgreSQL is formatted by worker threads, slice by slice: the file must be byte for byte
// the one a single writer produces, across waves, scopes and CSV options, and a failing worker must fail the export.
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishBenchInstrument, seedWave } from '../../bench/export-seed.ts';
import { type CsvOptions, writeCsv } from '../../server/exports/csv.ts';
import type { ParallelOptions } from '../../server/exports/csv-parallel.ts';
import { memorySink } from '../../server/exports/dataset.ts';
import { type LoadOptions, loadDataset } from '../../server/exports/load.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';

const postgres = backends().find((b) => b.name === 'postgres')!;
const single: ParallelOptions = { workers: 1, sliceRows: 10_000, fromRows: 0 };
// Slices of 37 rows: many slices per wave, none of them aligned with a batch or a wave's end.
const parallel: ParallelOptions = { workers: 2, sliceRows: 37, fromRows: 0 };

describe.skipIf(postgres.skip)('parallel CSV export on postgres', () => {
  let t: TestDatabase;
  let waves: string[];
  beforeAll(async () => {
    t = await postgres.open();
    const version = await publishBenchInstrument(t.db);
    waves = [await seedWave(t.db, version, 250), await seedWave(t.db, version, 181)];
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  async function csv(
    waveIds: string[],
    how: ParallelOptions,
    opts: CsvOptions = {},
    load: Partial<LoadOptions> = {},
  ) {
    const { dataset } = await loadDataset(t.db, waveIds, {
      labelLocale: 'nb',
      postgresUrl: t.postgresUrl,
      workers: 2,
      ...load,
    });
    const seen: number[] = [];
    const sink = memorySink();
    await writeCsv({ ...dataset, onRows: (n) => seen.push(n) }, sink, opts, how);
    return { text: sink.text(), rows: dataset.rowCount, seen };
  }

  it('writes the same bytes as a single writer, in order, across two waves', async () => {
    const one = await csv(waves, single);
    const many = await csv(waves, parallel);
    expect(many.text).toBe(one.text);
    const records = parse(many.text, { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(431);
    expect(new Set(records.map((r) => r.response_id)).size).toBe(431);
    // Progress is told as slices are written, and ends at the total.
    expect(many.seen.at(-1)).toBe(431);
    expect(many.seen).toEqual([...many.seen].sort((a, b) => a - b));
  });

  it('keeps the CSV options and a municipality scope', async () => {
    const opts: CsvOptions = { bom: true, delimiter: ';', valueLabels: true };
    const scope = { municipalityCode: '0301' };
    const one = await csv([waves[0]!], single, opts, scope);
    const many = await csv([waves[0]!], parallel, opts, scope);
    expect(many.text).toBe(one.text);
    expect(many.text.startsWith('\uFEFFresponse_id;')).toBe(true);
    expect(many.rows).toBeGreaterThan(0);
    expect(many.rows).toBeLessThan(250);
  });

  it('fails the export when a worker fails', async () => {
    const { dataset } = await loadDataset(t.db, [waves[0]!], {
      labelLocale: 'nb',
      postgresUrl: t.postgresUrl,
      workers: 2,
    });
    const broken = { ...dataset, origin: { ...dataset.origin!, waveIds: [randomUUID()] } };
    await expect(writeCsv(broken, memorySink(), {}, parallel)).rejects.toThrow(/export worker: No such wave/);
  });
});
