// The streamed frame import on both databases: large CSV and XLSX files that never sit in memory whole, all or
// nothing with a bad row late in the file, duplicates across staging batches, languages a wave does not offer,
// re-importing under a drawn sample, and an HTTP upload read as it arrives.
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importFrame, importFrameStream } from '../../server/fieldwork/frames.ts';
import { drawWaveSample } from '../../server/fieldwork/sample.ts';
import { createWave, openWave } from '../../server/fieldwork/service.ts';
import { createStaff, logInAs, makeApp } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { publishMini } from '../helpers/fieldwork.ts';
import { type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

const cli = { kind: 'cli' } as const;
const now = new Date('2026-12-03T18:00:00Z');
const header = 'external_id;municipality_code;preferred_language;email;phone;navn;region';
const codes = ['0301', '4601', '5001', '1103', '3201'];

/** Row i of a generated frame; `change` rewrites chosen rows (a bad value, a repeated id). */
function line(i: number, change?: (i: number) => string | undefined): string {
  return (
    change?.(i) ??
    `p${i};${codes[i % codes.length]};${i % 2 ? 'nb' : 'ar'};p${i}@example.no;9${String(i).padStart(7, '0')};Navn ${i};r${i % 3}`
  );
}

/** A generated CSV of `rows` rows as a stream of 16 KiB chunks: the whole file is never one Buffer. */
function csvStream(rows: number, change?: (i: number) => string | undefined): AsyncIterable<Uint8Array> {
  return (async function* () {
    let chunk = `${header}\n`;
    for (let i = 1; i <= rows; i++) {
      chunk += `${line(i, change)}\n`;
      if (chunk.length > 16_384) {
        yield Buffer.from(chunk);
        chunk = '';
      }
    }
    yield Buffer.from(chunk);
  })();
}

const csv = (lines: string[]) => Buffer.from(`${[header, ...lines].join('\n')}\n`);

describe.each(backends())('streamed frame import on $name', (backend) => {
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

  const newWave = (mode: 'census' | 'sample' = 'census') =>
    createWave(
      t.db,
      { instrumentId, version: 1, name: 'Frame', mode, locales: ['nb', 'nn', 'ar'], allowDraftLocales: true },
      cli,
    );
  const unitCount = async (waveId: string) =>
    Number(
      (
        await t.db
          .selectFrom('frame_unit')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('wave_id', '=', waveId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it.skipIf(backend.skip)(
    'imports 30 000 streamed rows, then refuses a file with a bad row at 30 000 and repeated ids, changing nothing',
    async () => {
      const wave = await newWave();
      const progress: number[] = [];
      const first = await importFrameStream(
        t.db,
        wave.id,
        { stream: csvStream(30_000), name: 'big.csv' },
        cli,
        now,
        { onProgress: (n) => progress.push(n) },
      );
      expect(first).toMatchObject({
        rows: 30_000,
        added: 30_000,
        updated: 0,
        unchanged: 0,
        sampleCleared: false,
      });
      expect(progress.length).toBeGreaterThan(2);
      expect(progress.at(-1)).toBe(30_000);
      expect(await unitCount(wave.id)).toBe(30_000);

      // Row 12 000 repeats row 3's id (another staging batch); 150 rows have a bad phone; row 30 000 a bad e-mail.
      const bad = (i: number) =>
        i === 12_000
          ? `p3;0301;nb;;;X;r9`
          : i >= 20_000 && i < 20_150
            ? `p${i};0301;nb;;12ab;Y;r9`
            : i === 30_000
              ? `p${i};0301;nb;not-an-email;;Z;r9`
              : undefined;
      const err = await importFrameStream(
        t.db,
        wave.id,
        { stream: csvStream(30_000, bad), name: 'bad.csv' },
        cli,
        now,
      )
        .then(() => null)
        .catch((e) => e);
      expect(err.code).toBe('frame_invalid');
      expect(err.extensions.problems).toBe(152);
      expect(err.message).toMatch(/152 problem\(s\); nothing was imported/);
      const params = err.invalidParams as { name: string; reason: string }[];
      expect(params).toHaveLength(101); // the first 100 problems by line, then how many more
      expect(params[0]).toEqual({
        name: 'line 12001, external_id',
        reason: "duplicate: 'p3' is already on line 4",
      });
      expect(params[1]!.name).toBe('line 20001, phone');
      expect(params.at(-1)).toEqual({ name: 'more', reason: 'and 52 more problem(s) not listed' });
      // The last row's problem is counted though not listed: only a file without any problem is imported.
      const onlyLast = await importFrameStream(
        t.db,
        wave.id,
        {
          stream: csvStream(30_000, (i) =>
            i === 30_000 ? `p${i};0301;nb;not-an-email;;Z;r9` : `p${i};0301;nb;;;Z;r9`,
          ),
          name: 'late.csv',
        },
        cli,
        now,
      ).catch((e) => e);
      expect(onlyLast.invalidParams).toEqual([
        { name: 'line 30001, email', reason: "'not-an-email' is not a valid e-mail address" },
      ]);
      const p2 = await t.db
        .selectFrom('frame_unit')
        .select(['municipality_code', 'attributes'])
        .where('wave_id', '=', wave.id)
        .where('external_id', '=', 'p2')
        .executeTakeFirstOrThrow();
      expect(p2).toEqual({ municipality_code: '5001', attributes: { region: 'r2' } });
      expect(await unitCount(wave.id)).toBe(30_000);

      // The same file again writes nothing; a changed one upserts, counted in SQL.
      expect(
        await importFrameStream(t.db, wave.id, { stream: csvStream(30_000), name: 'big.csv' }, cli, now),
      ).toMatchObject({ added: 0, updated: 0, unchanged: 30_000 });
      const changed = (i: number) =>
        i === 7
          ? `p7;0301;nb;new@example.no;;Navn 7;r1`
          : i === 8
            ? `p8;4601;nb;p8@example.no;90000008;Navn 8;moved`
            : undefined;
      expect(
        await importFrameStream(
          t.db,
          wave.id,
          { stream: csvStream(30_001, changed), name: 'v2.csv' },
          cli,
          now,
        ),
      ).toMatchObject({ rows: 30_001, added: 1, updated: 2, unchanged: 29_998 });
    },
    180_000, // five imports of 30 000 rows; embedded PGlite takes its time
  );

  it.skipIf(backend.skip)(
    'streams an XLSX workbook: numeric codes get their zeros back, every row counted',
    async () => {
      const wave = await newWave();
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('Utvalg');
      sheet.addRow(['ID', 'Kommunenummer', 'Språk', 'E-post', 'Utdanning']);
      for (let i = 1; i <= 3000; i++)
        sheet.addRow([
          1000 + i,
          i % 2 ? 301 : 4601,
          i % 2 ? 'nb' : 'AR',
          { text: `u${i}@example.no`, hyperlink: `mailto:u${i}@example.no` },
          i % 3 ? 'Høyere' : null,
        ]);
      workbook.addWorksheet('Notater').addRow(['not the frame']);
      const data = Buffer.from(await workbook.xlsx.writeBuffer());
      const chunks = Readable.from(
        Array.from({ length: Math.ceil(data.length / 8192) }, (_, i) =>
          data.subarray(i * 8192, (i + 1) * 8192),
        ),
      );
      const result = await importFrameStream(
        t.db,
        wave.id,
        { stream: chunks, name: 'utvalg.xlsx' },
        cli,
        now,
      );
      expect(result).toMatchObject({ rows: 3000, added: 3000, languageFallbacks: {} });
      const unit = await t.db
        .selectFrom('frame_unit')
        .innerJoin('unit_contact', 'unit_contact.frame_unit_id', 'frame_unit.id')
        .select(['municipality_code', 'preferred_locale', 'attributes', 'unit_contact.email'])
        .where('wave_id', '=', wave.id)
        .where('external_id', '=', '1001')
        .executeTakeFirstOrThrow();
      expect(unit).toEqual({
        municipality_code: '0301',
        preferred_locale: 'nb',
        attributes: { Utdanning: 'Høyere' },
        email: 'u1@example.no',
      });
      const broken = await importFrame(
        t.db,
        wave.id,
        { data: data.subarray(0, data.length >> 1), name: 'cut.xlsx' },
        cli,
        now,
      ).catch((e) => e);
      expect(broken.code).toBe('frame_invalid');
      expect(await unitCount(wave.id)).toBe(3000);
    },
    60_000,
  );

  it.skipIf(backend.skip)(
    "invites a unit whose language the wave does not offer in the wave's first language, and counts them",
    async () => {
      const wave = await newWave();
      const rows = [
        'a1;0301;uk;;;A;x',
        'a2;0301;UK-ua;;;B;x',
        'a3;0301;ru;;;C;x',
        'a4;0301;ti;;;D;x',
        'a5;0301;nn;;;E;x',
      ];
      const malformed = await importFrame(
        t.db,
        wave.id,
        { data: csv([...rows, 'a6;0301;xx;;;F;x']), name: 'f.csv' },
        cli,
        now,
      ).catch((e) => e);
      expect(malformed.invalidParams).toEqual([
        { name: 'line 7, preferred_language', reason: expect.stringMatching(/unknown language 'xx'/) },
      ]);
      const result = await importFrame(t.db, wave.id, { data: csv(rows), name: 'f.csv' }, cli, now);
      expect(result).toMatchObject({
        added: 5,
        fallbackLanguage: 'nb',
        languageFallbacks: { uk: 2, ru: 1, ti: 1 },
      });
      const units = await t.db
        .selectFrom('frame_unit')
        .select(['external_id', 'preferred_locale', 'attributes'])
        .where('wave_id', '=', wave.id)
        .orderBy('external_id')
        .execute();
      expect(units.map((u) => [u.external_id, u.preferred_locale, u.attributes.frame_language])).toEqual([
        ['a1', 'nb', 'uk'],
        ['a2', 'nb', 'uk'],
        ['a3', 'nb', 'ru'],
        ['a4', 'nb', 'ti'],
        ['a5', 'nn', undefined],
      ]);
      // Importing the same file again is still a no-op.
      expect(await importFrame(t.db, wave.id, { data: csv(rows), name: 'f.csv' }, cli, now)).toMatchObject({
        unchanged: 5,
      });
      const links = await openWave(t.db, wave.id, cli, now);
      expect(links.filter((l) => l.locale === 'nb')).toHaveLength(4);
    },
  );

  it.skipIf(backend.skip)(
    'clears a drawn sample when a re-import changes the units it stands on, says so and audits it',
    async () => {
      const wave = await newWave('sample');
      const rows = Array.from(
        { length: 60 },
        (_, i) => `s${i};${i < 40 ? '0301' : '4601'};nb;s${i}@example.no;;N;x`,
      );
      await importFrame(t.db, wave.id, { data: csv(rows), name: 'f.csv' }, cli, now);
      await drawWaveSample(t.db, wave.id, { size: 6, strata: 'municipality_code', seed: 's' }, cli);
      const selected = async () =>
        (
          await t.db
            .selectFrom('frame_unit')
            .select('external_id')
            .where('wave_id', '=', wave.id)
            .where('selected', '=', true)
            .execute()
        ).length;
      expect(await selected()).toBe(6);
      // A corrected address leaves the design alone: the draw stays.
      const fixed = rows.map((r) => r.replace('s5@example.no', 'fixed@example.no'));
      expect(await importFrame(t.db, wave.id, { data: csv(fixed), name: 'f.csv' }, cli, now)).toMatchObject({
        updated: 1,
        sampleCleared: false,
      });
      expect(await selected()).toBe(6);
      // A new unit changes N_h: the draw is cleared, and the wave cannot open until it is drawn again.
      const grown = await importFrame(
        t.db,
        wave.id,
        { data: csv([...fixed, 's60;4601;nb;;;N;x']), name: 'g.csv' },
        cli,
        now,
      );
      expect(grown).toMatchObject({ added: 1, sampleCleared: true });
      expect(await selected()).toBe(0);
      // Known units kept their ids and got their corrected contact; the new one came with its contact row.
      const contacts = await t.db
        .selectFrom('frame_unit')
        .leftJoin('unit_contact', 'unit_contact.frame_unit_id', 'frame_unit.id')
        .select(['frame_unit.external_id', 'unit_contact.frame_unit_id', 'unit_contact.email'])
        .where('frame_unit.wave_id', '=', wave.id)
        .where('frame_unit.external_id', 'in', ['s5', 's60'])
        .orderBy('frame_unit.external_id')
        .execute();
      expect(contacts.map((c) => [c.external_id, c.frame_unit_id !== null, c.email])).toEqual([
        ['s5', true, 'fixed@example.no'],
        ['s60', true, null],
      ]);
      const after = await t.db
        .selectFrom('wave')
        .select('sampling')
        .where('id', '=', wave.id)
        .executeTakeFirstOrThrow();
      expect(after.sampling).toBeNull();
      const strata = await t.db
        .selectFrom('frame_unit')
        .select('id')
        .where('wave_id', '=', wave.id)
        .where((eb) => eb.or([eb('stratum', 'is not', null), eb('design_weight', 'is not', null)]))
        .execute();
      expect(strata).toEqual([]);
      const audit = await t.db
        .selectFrom('audit_event')
        .select(['action', 'details'])
        .where('subject_id', '=', wave.id)
        .where('action', 'in', ['sample.cleared', 'frame.imported'])
        .orderBy('occurred_at')
        .orderBy('id')
        .execute();
      expect(audit.at(-2)).toMatchObject({ action: 'sample.cleared', details: { file: 'g.csv' } });
      expect(audit.at(-1)).toMatchObject({ action: 'frame.imported', details: { sampleCleared: true } });
      expect((await openWave(t.db, wave.id, cli, now).catch((e) => e)).code).toBe('sample_not_drawn');
    },
  );

  it.skipIf(backend.skip)(
    'takes an HTTP upload as a stream, without a content length',
    async () => {
      const wave = await newWave();
      const app = makeApp(t);
      const admin = await createStaff(t.db, { role: 'admin' });
      const a = await logInAs(app, admin.email, admin.password);
      const source = csvStream(20_000)[Symbol.asyncIterator]();
      let pulls = 0;
      let lockedMidway: string | null = null;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          pulls++;
          // Half-way through the body the import already holds the wave (PostgreSQL: a second connection asks).
          if (pulls === 40 && backend.name === 'postgres') {
            lockedMidway = await t.db
              .transaction()
              .execute((trx) =>
                trx.selectFrom('wave').select('id').where('id', '=', wave.id).forUpdate().noWait().execute(),
              )
              .then(() => 'free')
              .catch((e) => e.code);
          }
          const r = await source.next();
          if (r.done) controller.close();
          else controller.enqueue(r.value);
        },
      });
      const res = await app.request(`/api/v1/waves/${wave.id}/frame?filename=upload.csv`, {
        method: 'POST',
        headers: { cookie: a.cookie, 'x-csrf-token': a.csrfToken, 'content-type': 'text/csv' },
        body,
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ rows: 20_000, added: 20_000 });
      expect(pulls).toBeGreaterThan(50);
      if (backend.name === 'postgres') expect(lockedMidway).toBe('55P03'); // lock_not_available
      const refused = await app.request(`/api/v1/waves/${wave.id}/frame?filename=bad.csv`, {
        method: 'POST',
        headers: { cookie: a.cookie, 'x-csrf-token': a.csrfToken, 'content-type': 'text/csv' },
        body: csv(['z1;9999;nb;;;A;x']),
      });
      expect(refused.status).toBe(422);
      expect(await refused.json()).toMatchObject({ code: 'frame_invalid' });
      expect(await unitCount(wave.id)).toBe(20_000);
    },
    60_000,
  );
});
