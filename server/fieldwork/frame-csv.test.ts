// Lines without a quote are split by hand, the rest by csv-parse: both must read any file the same way, chunked
// anywhere. A file whose header is quoted goes through csv-parse from its first byte, so the same body behind a
// plain header and behind a quoted one must give the same records, lines and problems.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsv } from './frame-csv.ts';
import { ByteSource, type RawItem } from './frame-source.ts';

async function itemsOf(text: string, cuts: number[]): Promise<RawItem[]> {
  const bytes = Buffer.from(text, 'utf8');
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks = [0, ...points, bytes.length]
    .slice(1)
    .map((end, i, ends) => bytes.subarray(i ? ends[i - 1] : 0, end));
  const read = await readCsv(
    new ByteSource(
      (async function* () {
        yield* chunks;
      })(),
    ),
  );
  const items: RawItem[] = [];
  for await (const item of read.items) items.push(item);
  return items;
}

const cellText = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'p1',
    '0301',
    'nb',
    'a b',
    'مرحبا',
    'x\u200f',
    'Bjørn',
    '\uFEFFx',
    '1,5',
    'tab\tcell',
  ),
  fc.string({ maxLength: 6 }).map((s) => s.replace(/["\r\n;]/g, '')),
);

describe('readCsv without quotes, split by hand', () => {
  it('reads what csv-parse reads, record for record, however the file is cut', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cellText, { minLength: 1, maxLength: 5 }), { maxLength: 12 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.nat(400), { maxLength: 6 }),
        async (rows, eol, bom, trailing, cuts) => {
          const body = rows.map((r) => r.join(';')).join(eol) + (trailing ? eol : '');
          const plain = `${bom ? '\uFEFF' : ''}id;name;code${eol}${body}`;
          const quoted = `${bom ? '\uFEFF' : ''}"id";"name";"code"${eol}${body}`;
          expect(await itemsOf(plain, cuts)).toEqual(await itemsOf(quoted, cuts));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('switches to csv-parse at the first quote, far into the file, keeping every line number', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `p${i};Navn ${i};0301`);
    lines[2500] = 'p2500;"Olsen; Bjørn ""Bear""";0301';
    lines[2700] = 'p2700;"two\nlines";0301';
    const items = await itemsOf(`id;name;code\n${lines.join('\n')}\n`, [100, 70_000, 70_001]);
    const records = items.flatMap((i) => ('record' in i ? [i.record] : []));
    expect(records).toHaveLength(3001);
    expect(records[2501]).toEqual({ line: 2502, cells: ['p2500', 'Olsen; Bjørn "Bear"', '0301'] });
    expect(records[2701]).toEqual({ line: 2702, cells: ['p2700', 'two\nlines', '0301'] });
    expect(records[2702]).toEqual({ line: 2704, cells: ['p2701', 'Navn 2701', '0301'] });
  });
});
