// HTTP for fieldwork: waves, frames, samples, links, progress, delegation overview. Changing anything is for admins;
// progress and the overview are also for analysts, and for municipality users limited to their own municipality.
import { Hono } from 'hono';
import { z } from 'zod';
import { viewerOf, waveDelegations } from '../delegation/overview.ts';
import { allow } from '../http/access.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import { AppError, ValidationError } from '../http/errors.ts';
import { parseWith, readJson } from '../http/validate.ts';
import { importFrame } from './frames.ts';
import { distributionList, issueReminderLinks, linkUrl, reissueLink } from './links.ts';
import { type ProgressBy, progressBreakdowns, progressReport } from './progress.ts';
import { publishProgress } from './progress-suppression.ts';
import * as q from './queries.ts';
import { drawWaveSample } from './sample.ts';
import { sendWaveMail } from './send.ts';
import { closeWave, createWave, type IssuedLink, openWave, purgeContacts } from './service.ts';

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
  })
  .strict();

const sampleSchema = z
  .object({
    size: z.number().int().positive(),
    strata: z.string().nullish(),
    allocation: z.enum(['proportional', 'equal', 'neyman', 'fixed']).default('proportional'),
    minPerStratum: z.number().int().min(0).default(0),
    seed: z.string().min(1).optional(),
    spreads: z.record(z.string(), z.number()).optional(),
    spreadColumn: z.string().nullish(),
    fixed: z.record(z.string(), z.number().int()).optional(),
  })
  .strict();

const roundSchema = z.object({ send: z.boolean().default(false) }).strict();
const uuid = z.uuid();

export function fieldworkRoutes(deps: AppDeps) {
  const { db, clock, config } = deps;
  const app = new Hono<AppEnv>();
  const actor = (c: { get: (k: 'staff') => { id: string } | null }) => ({
    kind: 'staff' as const,
    id: c.get('staff')!.id,
  });
  const waveId = (id: string) => parseWith(uuid, id, 'wave id');

  /** Links are shown once: the answer carries the distribution list, and mail is sent when asked. */
  async function round(id: string, links: IssuedLink[], kind: 'invitation' | 'reminder', send: boolean) {
    return {
      links: links.length,
      distributionList: await distributionList(db, id, links, config.publicBaseUrl),
      mail: send ? await sendWaveMail(db, config, id, links, kind) : null,
    };
  }

  // A municipality user needs a wave's id to open its fact sheet or progress; the list names waves and holds
  // nothing about units (no sampling table).
  app.get('/waves', allow('analyst', 'municipality'), async (c) => c.json({ waves: await q.listWaves(db) }));

  app.post('/waves', allow('admin'), async (c) => {
    const input = await readJson(c, newWaveSchema);
    return c.json({ wave: await createWave(db, input, actor(c)) }, 201);
  });

  app.get('/waves/:id', allow('analyst'), async (c) => {
    const w = await q.findWave(db, waveId(c.req.param('id')));
    if (!w) throw new AppError(404, 'wave_not_found', 'No such wave.');
    return c.json({ wave: w });
  });

  // The frame file is the body as it is: text/csv, or an XLSX workbook.
  app.post('/waves/:id/frame', allow('admin'), async (c) => {
    const data = Buffer.from(await c.req.arrayBuffer());
    if (data.length === 0)
      throw new ValidationError('Send the frame file as the request body.', [
        { name: 'body', reason: 'empty' },
      ]);
    const name = c.req.query('filename') ?? 'frame';
    return c.json(await importFrame(db, waveId(c.req.param('id')), { data, name }, actor(c), clock.now()));
  });

  app.post('/waves/:id/sample', allow('admin'), async (c) => {
    const settings = await readJson(c, sampleSchema);
    return c.json(await drawWaveSample(db, waveId(c.req.param('id')), settings, actor(c)));
  });

  app.post('/waves/:id/open', allow('admin'), async (c) => {
    const { send } = await readJson(c, roundSchema);
    const id = waveId(c.req.param('id'));
    return c.json(await round(id, await openWave(db, id, actor(c), clock.now()), 'invitation', send));
  });

  app.post('/waves/:id/reminders', allow('admin'), async (c) => {
    const { send } = await readJson(c, roundSchema);
    const id = waveId(c.req.param('id'));
    return c.json(await round(id, await issueReminderLinks(db, id, actor(c), clock.now()), 'reminder', send));
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

  app.post('/waves/:id/close', allow('admin'), async (c) =>
    c.json({ wave: await closeWave(db, waveId(c.req.param('id')), actor(c), clock.now()) }),
  );

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
    const k = (await q.findWave(db, id))!.small_cell_k;
    return c.json({ by: report.by, k, ...publishProgress(report.rows, staff.role, k) });
  });

  // Delegation in a municipal survey wave; delegates' names and e-mails only for admins.
  app.get('/waves/:id/delegations', allow('analyst', 'municipality'), async (c) =>
    c.json(await waveDelegations(db, waveId(c.req.param('id')), viewerOf(c.get('staff')!))),
  );

  return app;
}
