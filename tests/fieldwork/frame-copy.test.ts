// A first frame import writes units batch by batch as the file streams (COPY text on PostgreSQL, JSON on PGlite):
// hostile cells come back exactly as the file had them, and repeated ids, in one batch or across batches, still
// refuse the whole file with their lines and leave nothing behind.
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pgClientOf } from '../../server/db/connect.ts';
import { copyValue } from '../../server/fieldwork/frame-copy.ts';
import { IdFilter } from '../../server/fieldwork/frame-id-filter.ts';
import { importFrameStream } from '../../server/fieldwork/frames.ts';
import { createWave } from '../../server/fieldwork/service.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { publishMini } from '../helpers/fieldwork.ts';
import { type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

const cli = { kind: 'cli' } as const;
const now = new Date('2026-12-04T00:00:00Z');
/** A CSV cell quoted the way Excel quotes one: always, with its own quotes doubled. */
const cell = (v: string) => `"${v.replaceAll('"', '""')}"`;
const csv = (rows: string[][]) => Buffer.from(`${rows.map((r) => r.map(cell).join(';')).join('\n')}\n`);

describe('COPY text values', () => {
  it('escapes what COPY reads as syntax and nothing else', () => {
    expect(copyValue(null)).toBe('\\N');
    expect(copyValue('\\N')).toBe('\\\\N');
    expect(copyValue('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyValue('\\.')).toBe('\\\\.');
    expect(copyValue('"ok" ; مرحبا')).toBe('"ok" ; مرحبا');
  });
});

describe("the first import's id filter", () => {
  it('never misses a repeated id, and rarely suspects a new one', () => {
    const filter = new IdFilter();
    let suspected = 0;
    for (let i = 0; i < 200_000; i++) if (filter.addAndCheck(`P${String(i).padStart(8, '0')}`)) suspected++;
    expect(suspected).toBeLessThan(5);
    for (let i = 0; i < 200_000; i += 997)
      expect(filter.addAndCheck(`P${String(i).padStart(8, '0')}`)).toBe(true);
    expect(filter.addAndCheck('مرحبا')).toBe(false);
    expect(filter.addAndCheck('مرحبا')).toBe(true);
  });
});

describe.each(backends())('first frame import, written as it streams, on $name', (backend) => {
  let t: TestDatabase;
  let w: SurveyWorkspace;
  let instrumentId: string;
  beforeAll(async () => {
    if (!backend.skip) t = await backend.open();
  });
  afterAll(async () => t?.close());
  beforeEach(async () => {
    if (backend.skip) return;
    w = surveyWorkspace();
    instrumentId = await publishMini(t.db, w);
  });
  afterEach(() => w?.remove());

  const newWave = () =>
    createWave(
      t.db,
      {
        instrumentId,
        version: 1,
        name: 'Frame',
        mode: 'census',
        locales: ['nb', 'nn', 'ar'],
        allowDraftLocales: true,
      },
      cli,
    );
  const countOf = async (table: 'frame_unit' | 'unit_contact', waveId: string) =>
    Number(
      (
        await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} t
          where ${table === 'frame_unit' ? sql`t.wave_id` : sql`(select wave_id from frame_unit f where f.id = t.frame_unit_id)`} = ${waveId}`.execute(
          t.db,
        )
      ).rows[0]!.n,
    );

  it.skipIf(backend.skip)(
    "finds the transaction's own PostgreSQL client for COPY, and none on PGlite",
    async () => {
      await t.db.transaction().execute(async (trx) => {
        const client = await pgClientOf(trx);
        if (backend.name === 'pglite') return expect(client).toBeNull();
        // Same session: what the transaction made and has not committed is visible to the client, and only there.
        await sql`create temp table copy_probe (n int) on commit drop`.execute(trx);
        await sql`insert into copy_probe values (7)`.execute(trx);
        expect((await client!.query('select n from copy_probe')).rows).toEqual([{ n: 7 }]);
      });
    },
  );

  it.skipIf(backend.skip)(
    'stores tabs, backslashes, newlines, quotes and right-to-left text exactly',
    async () => {
      const wave = await newWave();
      const hostile = [
        'tab\there',
        'back\\slash \\N \\. \\t',
        'two\nlines',
        'say "hi"; {"json": [1]}',
        'مرحبا بالعالم \u200f(١٢٣)\u200f',
        '\\',
        'emoji 👩🏽‍🚀 and \u2028 separator',
      ];
      const rows = hostile.map((v, i) => [`id\t${i}\\`, '0301', i % 2 ? 'ar' : 'nb', v, v]);
      const result = await importFrameStream(
        t.db,
        wave.id,
        {
          stream: Readable.from([
            csv([['external_id', 'municipality_code', 'language', 'name', 'note ‏"x"\\']]),
            csv(rows),
          ]),
          name: 'hostile.csv',
        },
        cli,
        now,
      );
      expect(result).toMatchObject({ rows: hostile.length, added: hostile.length });
      const stored = await t.db
        .selectFrom('frame_unit as f')
        .innerJoin('unit_contact as c', 'c.frame_unit_id', 'f.id')
        .select(['f.external_id', 'f.preferred_locale', 'f.attributes', 'c.name', 'c.updated_at'])
        .where('f.wave_id', '=', wave.id)
        .orderBy('f.external_id')
        .execute();
      expect(stored).toEqual(
        hostile.map((v, i) => ({
          external_id: `id\t${i}\\`,
          preferred_locale: i % 2 ? 'ar' : 'nb',
          attributes: { 'note ‏"x"\\': v },
          name: v,
          updated_at: now,
        })),
      );
    },
  );

  it.skipIf(backend.skip)(
    'refuses repeated ids within a batch and across batches, listing their lines, and keeps nothing',
    async () => {
      const wave = await newWave();
      // Staging batches hold 10 000 rows: row 5 repeats row 2 (one batch), row 25 001 repeats row 3 (another).
      const ids = Array.from({ length: 30_000 }, (_, i) =>
        i === 4 ? 'u2' : i === 25_000 ? 'u3' : `u${i + 1}`,
      );
      const lines = ids.map((id) => [id, '0301', 'nb', `${id}@example.no`]);
      const err = await importFrameStream(
        t.db,
        wave.id,
        {
          stream: Readable.from([csv([['external_id', 'municipality_code', 'language', 'email'], ...lines])]),
          name: 'dup.csv',
        },
        cli,
        now,
      ).catch((e) => e);
      expect(err.code).toBe('frame_invalid');
      expect(err.invalidParams).toEqual([
        { name: 'line 6, external_id', reason: "duplicate: 'u2' is already on line 3" },
        { name: 'line 25002, external_id', reason: "duplicate: 'u3' is already on line 4" },
      ]);
      expect(await countOf('frame_unit', wave.id)).toBe(0);
      expect(await countOf('unit_contact', wave.id)).toBe(0);
      // The same file without the repeats imports whole: the refusal left no unit behind to collide with.
      const fixed = lines.map((l, i) => (i === 4 || i === 25_000 ? [`x${i}`, ...l.slice(1)] : l));
      const ok = await importFrameStream(
        t.db,
        wave.id,
        {
          stream: Readable.from([csv([['external_id', 'municipality_code', 'language', 'email'], ...fixed])]),
          name: 'ok.csv',
        },
        cli,
        now,
      );
      expect(ok).toMatchObject({ rows: 30_000, added: 30_000 });
      expect(await countOf('unit_contact', wave.id)).toBe(30_000);
    },
    120_000,
  );

  it.skipIf(backend.skip)(
    'writes rows held back as possible repeats once none repeats, and refuses a real repeat among them',
    async () => {
      // A filter of 32 bits suspects nearly every id: most rows take the held-back path.
      const rows = Array.from({ length: 3000 }, (_, i) => [
        `h${i}`,
        '0301',
        i % 2 ? 'ar' : 'nb',
        `Navn ${i}`,
      ]);
      const head = ['external_id', 'municipality_code', 'language', 'name'];
      const opts = { idFilterBits: 5 };
      const wave = await newWave();
      const ok = await importFrameStream(
        t.db,
        wave.id,
        { stream: Readable.from([csv([head, ...rows])]), name: 'held.csv' },
        cli,
        now,
        opts,
      );
      expect(ok).toMatchObject({ rows: 3000, added: 3000 });
      expect(await countOf('frame_unit', wave.id)).toBe(3000);
      expect(await countOf('unit_contact', wave.id)).toBe(3000);
      const h2999 = await t.db
        .selectFrom('frame_unit as f')
        .innerJoin('unit_contact as c', 'c.frame_unit_id', 'f.id')
        .select(['f.preferred_locale', 'c.name'])
        .where('f.wave_id', '=', wave.id)
        .where('f.external_id', '=', 'h2999')
        .executeTakeFirstOrThrow();
      expect(h2999).toEqual({ preferred_locale: 'ar', name: 'Navn 2999' });

      const other = await newWave();
      const repeated = rows.map((r, i) => (i === 2500 ? ['h7', ...r.slice(1)] : r));
      const err = await importFrameStream(
        t.db,
        other.id,
        { stream: Readable.from([csv([head, ...repeated])]), name: 'held-dup.csv' },
        cli,
        now,
        opts,
      ).catch((e) => e);
      expect(err.invalidParams).toEqual([
        { name: 'line 2502, external_id', reason: "duplicate: 'h7' is already on line 9" },
      ]);
      expect(await countOf('frame_unit', other.id)).toBe(0);
    },
  );

  it.skipIf(backend.skip)('refuses a cell holding a NUL with its line, and keeps nothing', async () => {
    const wave = await newWave();
    const err = await importFrameStream(
      t.db,
      wave.id,
      {
        stream: Readable.from([
          csv([
            ['external_id', 'name', 'extra'],
            ['a1', 'Ok', 'x'],
            ['a2', 'N\u0000ul', 'tab\t\\'],
          ]),
        ]),
        name: 'nul.csv',
      },
      cli,
      now,
    ).catch((e) => e);
    expect(err.code).toBe('frame_invalid');
    expect(err.invalidParams).toEqual([
      { name: 'line 3', reason: 'a cell or a column name holds a NUL character, which cannot be stored' },
    ]);
    expect(await countOf('frame_unit', wave.id)).toBe(0);
  });
});
