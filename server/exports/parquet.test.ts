// Parquet round trips through hyparquet (the writer's reader): types, nulls, Unicode, exact times, labels, row groups.
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import type { Cell, ExportColumn } from './columns.ts';
import { datasetOf, memorySink, type Sink } from './dataset.ts';
import { rowGroupRows, writeParquet } from './parquet.ts';

function column(name: string, type: ExportColumn['type'], extra: Partial<ExportColumn> = {}): ExportColumn {
  return { name, labels: { nb: name }, type, role: 'answer', valueLabels: [], missing: [], ...extra };
}

const satisfaction = column('q1', 'number', {
  labels: { nb: 'Hvor fornøyd er du?', ar: 'ما مدى رضاك؟' },
  valueLabels: [
    { value: 1, labels: { nb: 'Lite fornøyd', ar: 'غير راضٍ' } },
    { value: 2, labels: { nb: 'Svært fornøyd', ar: 'راضٍ جدًا' } },
    { value: 98, labels: { nb: 'Vet ikke', ar: 'لا أعرف' }, missing: 'dont_know' },
  ],
  missing: [98],
  question: { code: 'q1', type: 'radiogroup', module: 'tilfredshet', page: 'p1' },
});
const columns = [
  column('id', 'string', { role: 'id' }),
  satisfaction,
  column('comment', 'string', { labels: { nb: 'Kommentar', ti: 'ኣብ ኖርወይ' } }),
  column('finished_at', 'datetime', { role: 'system' }),
];

async function parquetOf(rows: Cell[][], extra = {}): Promise<ArrayBuffer> {
  const sink = memorySink();
  await writeParquet(datasetOf(columns, rows, extra), sink);
  const bytes = sink.bytes();
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

describe('writeParquet', () => {
  it('round-trips values, nulls, Unicode and millisecond UTC times', async () => {
    const t = new Date('2026-03-01T23:59:59.123Z');
    const file = await parquetOf([
      ['r1', 1, 'ما مدى رضاك؟', t],
      ['r2', null, 'ኣብ ኖርወይ', null],
      ['r3', 2.5, null, new Date(0)],
      ['r4', 98, '=1+1', new Date('1969-12-31T23:59:59.999Z')],
    ]);
    const rows = await parquetReadObjects({ file });
    expect(rows).toEqual([
      { id: 'r1', q1: 1, comment: 'ما مدى رضاك؟', finished_at: t },
      { id: 'r2', q1: null, comment: 'ኣብ ኖርወይ', finished_at: null },
      { id: 'r3', q1: 2.5, comment: null, finished_at: new Date(0) },
      { id: 'r4', q1: 98, comment: '=1+1', finished_at: new Date('1969-12-31T23:59:59.999Z') },
    ]);
    expect((rows[0]!.finished_at as Date).getTime()).toBe(t.getTime());
  });

  it('declares DOUBLE, UTF8 strings and UTC millisecond timestamps, all nullable', async () => {
    const { schema } = parquetMetadata(await parquetOf([['r1', 1, 'x', new Date()]]));
    const byName = Object.fromEntries(schema.slice(1).map((e) => [e.name, e]));
    expect(byName.q1).toMatchObject({ type: 'DOUBLE', repetition_type: 'OPTIONAL' });
    expect(byName.comment).toMatchObject({ type: 'BYTE_ARRAY', converted_type: 'UTF8' });
    expect(byName.comment?.logical_type).toEqual({ type: 'STRING' });
    expect(byName.finished_at).toMatchObject({ type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' });
    expect(byName.finished_at?.logical_type).toEqual({
      type: 'TIMESTAMP',
      isAdjustedToUTC: true,
      unit: 'MILLIS',
    });
  });

  it('puts variable and value labels, in the label language, in the key-value metadata', async () => {
    const meta = parquetMetadata(
      await parquetOf([], { labelLocale: 'ar', title: { nb: 'Test', ar: 'اختبار' } }),
    );
    const kv = Object.fromEntries((meta.key_value_metadata ?? []).map((e) => [e.key, e.value]));
    expect(kv['svar.label.q1']).toBe('ما مدى رضاك؟');
    expect(kv['svar.label.id']).toBe('id');
    const described = JSON.parse(kv['svar.columns']!);
    expect(described.map((c: { name: string }) => c.name)).toEqual(['id', 'q1', 'comment', 'finished_at']);
    expect(described[1]).toEqual({
      name: 'q1',
      label: 'ما مدى رضاك؟',
      type: 'number',
      role: 'answer',
      valueLabels: [
        { value: 1, label: 'غير راضٍ' },
        { value: 2, label: 'راضٍ جدًا' },
        { value: 98, label: 'لا أعرف', missing: 'dont_know' },
      ],
      missing: [98],
      question: { code: 'q1', type: 'radiogroup', module: 'tilfredshet', page: 'p1' },
    });
    // Falls back to bokmål where the label language has no text.
    expect(described[2].label).toBe('Kommentar');
    expect(JSON.parse(kv['svar.dataset']!)).toMatchObject({
      title: 'اختبار',
      labelLocale: 'ar',
      unitType: 'participant',
    });
    expect(meta.num_rows).toBe(0n);
  });

  it('writes 150 000 rows as several row groups, streaming each to the sink as it is done', async () => {
    const n = 150_000;
    const base = Date.UTC(2026, 0, 1);
    const rows: Cell[][] = Array.from({ length: n }, (_, i) => [
      `r${i}`,
      i % 7 === 0 ? null : i % 5,
      i % 2 ? 'ما مدى رضاك؟' : 'ኣብ ኖርወይ',
      new Date(base + i * 1001),
    ]);
    const chunks: number[] = [];
    const inner = memorySink();
    const sink: Sink = {
      async write(chunk) {
        chunks.push(chunk.length);
        await inner.write(chunk);
      },
    };
    await writeParquet(datasetOf(columns, rows), sink);
    const bytes = inner.bytes();
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

    const meta = parquetMetadata(file);
    expect(meta.num_rows).toBe(BigInt(n));
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([65_536, 65_536, n - 2 * 65_536]);
    // One chunk per row group plus the footer: the whole file was never held by the writer at once.
    expect(chunks.length).toBe(4);

    const read = await parquetReadObjects({ file });
    expect(read).toHaveLength(n);
    for (const i of [0, 1, 7, 65_535, 65_536, 131_072, n - 1]) {
      expect(read[i]).toEqual({
        id: `r${i}`,
        q1: i % 7 === 0 ? null : i % 5,
        comment: i % 2 ? 'ما مدى رضاك؟' : 'ኣብ ኖርወይ',
        finished_at: new Date(base + i * 1001),
      });
    }
    expect(read.filter((r) => r.q1 === null)).toHaveLength(Math.ceil(n / 7));
  });

  it('keeps row groups small for wide datasets', () => {
    expect(rowGroupRows(4)).toBe(65_536);
    expect(rowGroupRows(2_000)).toBe(2_000);
    expect(rowGroupRows(100_000)).toBe(1024);
  });

  it('refuses a cell of the wrong type instead of writing a corrupt column', async () => {
    await expect(parquetOf([['r1', '5', 'x', null]])).rejects.toThrow(/column q1 \(number\)/);
    await expect(parquetOf([['r1', 5, 'x', '2026-01-01']])).rejects.toThrow(/finished_at/);
  });
});
