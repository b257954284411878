// HTTP for fieldwork: waves, frames, samples, links, progress, delegation overview. Changing anything is for admins;
// progress and the overview are also for analysts, and for municipality users limited to their own municipality.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Hono } from 'hono';
import { z } from 'zod';
import { viewerOf, waveDelegations } from '../delegation/overview.ts';
import { allow } from '../http/access.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import { AppError, ValidationError } from '../http/errors.ts';
import { parseWith, readJson } from '../http/validate.ts';
import type { ListSink } from './distribution-list.ts';
import { limitBytes } from './frame-source.ts';
import { importFrameStream } from './frames.ts';
import { linkUrl, reissueLink, relistRound } from './links.ts';
import { streamList } from './list-response.ts';
import { type ProgressBy, progressBreakdowns, progressReport } from './progress.ts';
import { publishProgress } from './progress-suppression.ts';
import * as q from './queries.ts';
import { findSendLease, queueCounts } from './queue-queries.ts';
import { listRounds } from './queue-round-queries.ts';
import { openWaveRound, type Round, remindRound } from './queue-rounds.ts';
import { drawWaveSample } from './sample.ts';
import { spreadsSchema } from './sample-spreads.ts';
import { requireSmtp, startMailQueue } from './send.ts';
import { closeWave, createWave, previewWaveModules, purgeContacts } from './service.ts';
import { requireWave } from './wave-lock.ts';

const newWaveSchema = z
  .object({
    instrumentId: z.string().min(1),
    version: z.number().int().positive(),
    name: z.string().trim().min(1).max(200),
    mode: z.enum(['census', 'sample']),
    locales: z.array(z.string().min(2)).min(1),
    allowDraftLocales: z.boolean().default(false),
    smallCellK: z.number().int().min(2).max(100).optional(),
    opensAt: z.coerce.date().nullish(),
    closesAt: z.coerce.date().nullish(),
    /** Theme modules to run instead of those the rotation plan gives the wave's year. */
    themes: z.array(z.string().min(1).max(100)).min(1).max(50).optional(),
  })
  .strict();

const wavePlanSchema = z
  .object({
    instrumentId: z.string().min(1),
    version: z.coerce.number().int().positive(),
    opensAt: z.coerce.date().optional(),
  })
  .strict();

const sampleSchema = z
  .object({
    size: z.number().int().positive(),
    strata: z.string().nullish(),
    allocation: z.enum(['proportional', 'equal', 'neyman', 'fixed']).default('proportional'),
    minPerStratum: z.number().int().min(0).optional(),
    allowEmptyStrata: z.boolean().default(false),
    seed: z.string().min(1).optional(),
    spreads: spreadsSchema.optional(),
    spreadColumn: z.string().nullish(),
    fixed: z.record(z.string(), z.number().int()).optional(),
  })
  .strict();

const roundSchema = z.object({ send: z.boolean().default(false) }).strict();
const sendSchema = z
  .object({
    rate: z.number().min(0.01).max(1000).optional(),
    concurrency: z.number().int().min(1).max(100).optional(),
  })
  .strict();
const closeSchema = z.object({ adjustBy: z.string().trim().min(1).max(200).nullish() }).strict();
const uuid = z.uuid();
/** A frame of a million participants with names and addresses is about 100 MB. */
const FRAME_UPLOAD_LIMIT = 1024 ** 3;

export function fieldworkRoutes(deps: AppDeps) {
  const { db, clock, config } = deps;
  const app = new Hono<AppEnv>();
  const actor = (c: { get: (k: 'staff') => { id: string } | null }) => ({
    kind: 'staff' as const,
    id: c.get('staff')!.id,
  });
  const waveId = (id: string) => parseWith(uuid, id, 'wave id');

  /** The sender runs after the answer, under the wave's lease in the database; GET /waves/:id/rounds follows it. */
  async function sendInBackground(id: string, opts: Parameters<typeof startMailQueue>[3] = {}) {
    const { done } = await startMailQueue(db, config, id, { ...opts, clock });
    done.catch((err) =>
      deps.logger.error({ err, waveId: id }, 'sending failed; POST /waves/:id/send resumes'),
    );
  }

  /**
   * Links are shown once: the answer is the round's distribution list, streamed as CSV while the links are issued
   * (header `Svar-Round`: the round's number; none when there was nobody to reach). With `send`, 202: the queued
   * mail goes out after the answer.
   */
  async function roundAnswer(id: string, send: boolean, issue: (sink: ListSink) => Promise<Round>) {
    const list = await streamList(config.publicBaseUrl, issue);
    list.done.then(
      (r) => {
        if (send && r.queued)
          sendInBackground(id).catch((err) =>
            deps.logger.warn({ err, waveId: id }, 'sending did not start; POST /waves/:id/send starts it'),
          );
      },
      (err) => deps.logger.error({ err, waveId: id }, 'a round was rolled back while its list streamed'),
    );
    return listAnswer(id, list, send ? 202 : 200);
  }

  function listAnswer(id: string, list: { round: number | null; body: ReadableStream }, status: 200 | 202) {
    const round = list.round ?? 'none';
    return new Response(list.body, {
      status,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="wave-${id}-round-${round}.csv"`,
        'cache-control': 'no-store',
        'svar-round': String(round),
        link: `</api/v1/waves/${id}/rounds>; rel="monitor"`,
      },
    });
  }

  // A municipality user needs a wave's id to open its fact sheet or progress; the list names waves and holds
  // nothing about units (no sampling table).
  app.get('/waves', allow('analyst', 'municipality'), async (c) => c.json({ waves: await q.listWaves(db) }));

  app.post('/waves', allow('admin'), async (c) => {
    const input = await readJson(c, newWaveSchema);
    const wave = await createWave(db, input, actor(c), { paths: config, now: clock.now() });
    return c.json({ wave }, 201);
  });

  // The year and modules a wave would run, for the console's form: the rotation plan's themes, or why none.
  app.get('/wave-themes', allow('admin'), async (c) => {
    const input = parseWith(wavePlanSchema, c.req.query(), 'query');
    return c.json(await previewWaveModules(db, input, { paths: config, now: clock.now() }));
  });

  app.get('/waves/:id', allow('analyst'), async (c) =>
    c.json({ wave: await requireWave(db, waveId(c.req.param('id'))) }),
  );

  // The frame file is the body as it is (text/csv, or an XLSX workbook), read as it arrives: a national frame
  // is never held in memory, and a body past the limit is refused up front or while it streams.
  const frameLimit = Math.max(config.bodyLimitBytes, FRAME_UPLOAD_LIMIT);
  const tooLarge = () =>
    new AppError(413, 'payload_too_large', `The frame file is larger than ${frameLimit} bytes.`);
  app.post('/waves/:id/frame', allow('admin'), async (c) => {
    const body = c.req.raw.body;
    const length = c.req.header('content-length');
    if (!body || length === '0')
      throw new ValidationError('Send the frame file as the request body.', [
        { name: 'body', reason: 'empty' },
      ]);
    if (Number(length) > frameLimit) throw tooLarge();
    const stream = limitBytes(Readable.fromWeb(body as WebReadableStream<Uint8Array>), frameLimit, tooLarge);
    const name = c.req.query('filename') ?? 'frame';
    const id = waveId(c.req.param('id'));
    return c.json(await importFrameStream(db, id, { stream, name }, actor(c), clock.now()));
  });

  app.post('/waves/:id/sample', allow('admin'), async (c) => {
    const settings = await readJson(c, sampleSchema);
    return c.json(await drawWaveSample(db, waveId(c.req.param('id')), settings, actor(c)));
  });

  app.post('/waves/:id/open', allow('admin'), async (c) => {
    const { send } = await readJson(c, roundSchema);
    const id = waveId(c.req.param('id'));
    if (send) requireSmtp(config);
    return roundAnswer(id, send, (sink) =>
      openWaveRound(db, id, actor(c), clock.now(), { mail: send, sink, paths: config }),
    );
  });

  app.post('/waves/:id/reminders', allow('admin'), async (c) => {
    const { send } = await readJson(c, roundSchema);
    const id = waveId(c.req.param('id'));
    if (send) requireSmtp(config);
    return roundAnswer(id, send, (sink) => remindRound(db, id, actor(c), clock.now(), { mail: send, sink }));
  });

  // Runs or resumes the send queue after the answer (202): pending mail, retries that are due, and mail a dead
  // sender left in doubt. Refused at once when the wave is not open or another sender holds it.
  app.post('/waves/:id/send', allow('admin'), async (c) => {
    const opts = c.req.header('content-type') ? await readJson(c, sendSchema) : {};
    const id = waveId(c.req.param('id'));
    requireSmtp(config);
    await sendInBackground(id, opts);
    return c.json(
      {
        waveId: id,
        sending: true,
        queue: await queueCounts(db, id, clock.now()),
        monitor: `/api/v1/waves/${id}/rounds`,
      },
      202,
    );
  });

  app.get('/waves/:id/rounds', allow('admin'), async (c) => {
    const id = waveId(c.req.param('id'));
    await requireWave(db, id);
    const lease = await findSendLease(db, id);
    const sending = !!lease && lease.expires_at > clock.now();
    return c.json({
      rounds: await listRounds(db, id),
      queue: await queueCounts(db, id, clock.now()),
      sending,
    });
  });

  // A round's distribution list again (the answer that carried it was lost): new links, the old ones revoked.
  app.post('/waves/:id/rounds/:round/links', allow('admin'), async (c) => {
    const id = waveId(c.req.param('id'));
    const round = parseWith(z.coerce.number().int().positive(), c.req.param('round'), 'round');
    const list = await streamList(config.publicBaseUrl, (sink) =>
      relistRound(db, id, round, actor(c), clock.now(), sink),
    );
    list.done.catch((err) => deps.logger.error({ err, waveId: id }, 'a round list again was rolled back'));
    return listAnswer(id, list, 200);
  });

  app.post('/waves/:id/units/:externalId/reissue', allow('admin'), async (c) => {
    const link = await reissueLink(
      db,
      waveId(c.req.param('id')),
      c.req.param('externalId'),
      actor(c),
      clock.now(),
    );
    return c.json({ externalId: link.externalId, link: linkUrl(config.publicBaseUrl, link.token) });
  });

  // adjustBy: the non-response adjustment classes (county, stratum, municipality or a frame column); without a
  // body, the wave's default.
  app.post('/waves/:id/close', allow('admin'), async (c) => {
    const { adjustBy } = c.req.header('content-type') ? await readJson(c, closeSchema) : { adjustBy: null };
    const id = waveId(c.req.param('id'));
    return c.json({ wave: await closeWave(db, id, actor(c), clock.now(), { adjustBy }) });
  });

  app.post('/waves/:id/purge-contacts', allow('admin'), async (c) =>
    c.json(await purgeContacts(db, waveId(c.req.param('id')), actor(c))),
  );

  app.get('/waves/:id/progress', allow('analyst', 'municipality'), async (c) => {
    const by = parseWith(z.enum(progressBreakdowns).default('total'), c.req.query('by'), 'by') as ProgressBy;
    const staff = c.get('staff')!;
    const id = waveId(c.req.param('id'));
    const report = await progressReport(db, id, by, {
      municipalityCode: staff.role === 'municipality' ? staff.municipalityCode : null,
    });
    // Sections count municipalities, not people; every other breakdown counts participants.
    if (report.by === 'section') return c.json(report);
    const k = (await requireWave(db, id)).small_cell_k;
    return c.json({ by: report.by, k, ...publishProgress(report.rows, staff.role, k) });
  });

  // Delegation in a municipal survey wave; delegates' names and e-mails only for admins.
  app.get('/waves/:id/delegations', allow('analyst', 'municipality'), async (c) =>
    c.json(await waveDelegations(db, waveId(c.req.param('id')), viewerOf(c.get('staff')!))),
  );

  return app;
}
