// Property-based fuzzing of frame import (issue 12, "Hostile input"): hostile CSV and XLSX files through the import
// function and through the HTTP upload. A file is imported, or refused with a 4xx error carrying a stable code and
// nothing imported; never an unexpected error, never a 5xx.
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFrameStream } from '../../server/fieldwork/frames.ts';
import { createWave } from '../../server/fieldwork/service.ts';
import { AppError } from '../../server/http/errors.ts';
import { createApiToken } from '../../server/staff/service.ts';
import { createStaff } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { publishMini } from '../helpers/fieldwork.ts';
import { CaseTally, fuzzApp, fuzzParameters, fuzzRuns, fuzzTimeout, judge } from '../helpers/fuzz.ts';
import {
  type CsvSpec,
  chunked,
  chunkSizes,
  type FrameSpec,
  frameBytes,
  frameSpec,
} from '../helpers/fuzz-frames.ts';
import { contentType, encodeAll, hostileString } from '../helpers/fuzz-input.ts';
import { digest, stamp } from '../helpers/fuzz-state.ts';
import { type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

const runs = fuzzRuns(40);
const cli = { kind: 'cli' } as const;
const now = new Date('2026-12-03T18:00:00Z');
/** A plain UTF-8 CSV, for the cases that once failed (a NUL in a cell or a column name, an id of 500 000 characters). */
const csvOf = (header: string[], rows: string[][]): CsvSpec => ({
  kind: 'csv',
  header,
  rows,
  delimiter: ';',
  lineEnd: '\n',
  quote: 'needed',
  bom: false,
  encoding: 'utf8',
  splice: null,
});

describe.each(backends())('fuzzing frame import on $name', (backend) => {
  let t: TestDatabase;
  let w: SurveyWorkspace;
  let app: ReturnType<typeof fuzzApp>['app'];
  let logged: ReturnType<typeof fuzzApp>['logged'];
  let waveId: string;
  let admin: string;
  const tally = new CaseTally();

  beforeAll(async () => {
    if (backend.skip) return;
    t = await backend.open();
    w = surveyWorkspace();
    ({ app, logged } = fuzzApp(t));
    const instrumentId = await publishMini(t.db, w);
    const wave = await createWave(
      t.db,
      {
        instrumentId,
        version: 1,
        name: 'Fuzz frame',
        mode: 'census',
        locales: ['nb', 'nn', 'ar'],
        allowDraftLocales: true,
      },
      cli,
    );
    waveId = wave.id;
    const user = await createStaff(t.db, { role: 'admin' });
    admin = (await createApiToken(t.db, { staffUserId: user.id, name: 'fuzz' }, cli, new Date())).token;
  });
  afterAll(async () => {
    if (!backend.skip) console.log(tally.summary(backend.name));
    w?.remove();
    await t?.close();
  });

  it.skipIf(backend.skip)(
    'imports a hostile CSV or XLSX file through the service, or refuses it with a 4xx code and imports nothing',
    async () => {
      const before = await digest(t.db);
      let last = await stamp(t.db);
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(
          frameSpec,
          chunkSizes,
          fc.constantFrom('frame.csv', 'utvalg.xlsx', 'Utvalg – høst 2026.csv', 'مستخدمين.xlsx'),
          async (spec, sizes, name) => {
            const data = await frameBytes(spec);
            const outcome = await importFrameStream(
              t.db,
              waveId,
              { stream: Readable.from(chunked(data, sizes)), name },
              cli,
              now,
            ).then(
              () => null,
              (err: unknown) => err,
            );
            tally.add(`frame-import-${spec.kind}`, outcome === null);
            const after = await stamp(t.db);
            if (outcome === null) {
              accepted++;
            } else {
              const label = `${spec.kind} of ${data.length} bytes`;
              if (!(outcome instanceof AppError))
                throw new Error(`${label}: unexpected ${String(outcome)}`, { cause: outcome });
              expect(outcome.status, `${label}: ${outcome.code}`).toBeGreaterThanOrEqual(400);
              expect(outcome.status, `${label}: ${outcome.code}`).toBeLessThan(500);
              expect(outcome.code, label).toMatch(/^[a-z][a-z0-9_]*$/);
              expect(after, `${label}: ${outcome.code} changed rows`).toEqual(last);
            }
            last = after;
          },
        ),
        fuzzParameters(runs, [
          [csvOf(['external_id', 'region'], [['p1', 'a\u0000b']]), [7], 'frame.csv'],
          [csvOf(['external_id', 're\u0000gion'], [['p1', 'x']]), [3], 'frame.csv'],
          [csvOf(['external_id'], [['Ø'.repeat(500_000)]]), [65_536], 'frame.csv'],
        ] as [FrameSpec, number[], string][]),
      );
      if (accepted === 0) expect(await digest(t.db)).toEqual(before);
    },
    fuzzTimeout(runs, 500),
  );

  it.skipIf(backend.skip)(
    'answers a hostile frame upload with a 2xx or a 4xx problem, and a refused upload changes nothing',
    async () => {
      let last = await stamp(t.db);
      await fc.assert(
        fc.asyncProperty(frameSpec, contentType, fc.option(hostileString), async (spec, type, filename) => {
          const data = await frameBytes(spec);
          const query = filename === null ? '' : `?filename=${encodeAll(filename)}`;
          const headers: Record<string, string> = { authorization: `Bearer ${admin}` };
          if (type !== null) headers['content-type'] = type;
          const res = await app.request(`/api/v1/waves/${waveId}/frame${query}`, {
            method: 'POST',
            headers,
            body: new Uint8Array(data),
          });
          const verdict = await judge(res, `${spec.kind} upload of ${data.length} bytes as ${type}`, logged);
          tally.add(`frame-upload-${spec.kind}`, verdict.accepted);
          const after = await stamp(t.db);
          if (!verdict.accepted) expect(after, `${verdict.code} changed rows`).toEqual(last);
          last = after;
        }),
        fuzzParameters(runs),
      );
    },
    fuzzTimeout(runs, 500),
  );
});
