// HTTP for reports: a municipality's fact sheet (HTML or PDF) and the regional comparison (HTML or CSV). Every
// figure passes publish() with the caller's role as the viewer; a municipality user gets only its own sheet.
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { allow } from '../http/access.ts';
import type { AppDeps, AppEnv, StaffPrincipal } from '../http/context.ts';
import { ForbiddenError } from '../http/errors.ts';
import { parseWith } from '../http/validate.ts';
import { reportLanguages } from './factsheet-language.ts';
import { factSheetDocument } from './factsheet-service.ts';
import { regionsDocument, trendDocument } from './regions-service.ts';

const sheetQuery = z
  .object({
    format: z.enum(['html', 'pdf']).default('html'),
    lang: z.enum(reportLanguages).optional(),
  })
  .strict();

const regionsQuery = z
  .object({
    format: z.enum(['html', 'csv']).default('html'),
    // county, municipality, or a column of the wave's frame (checked against the wave).
    by: z
      .string()
      .regex(/^[A-Za-z0-9_]+$/)
      .max(100)
      .default('county'),
    lang: z.enum(reportLanguages).default('nb'),
  })
  .strict();

const trendQuery = z
  .object({
    waves: z
      .string()
      .transform((s) => s.split(','))
      .pipe(z.array(z.uuid()).min(2).max(20)),
    format: z.enum(['html', 'csv']).default('html'),
    lang: z.enum(reportLanguages).default('nb'),
  })
  .strict();

const unitCode = z.string().regex(/^\d{4}(\d{2})?$/, 'a municipality (4 digits) or Oslo district (6 digits)');

/**
 * A municipality user's own sheet, or an Oslo district's for Oslo (0301 covers 0301xx); the scope is the
 * principal's, never the request's. Other units answer 403 without saying whether they have data.
 */
function assertMayRead(staff: StaffPrincipal, code: string): void {
  if (staff.role !== 'municipality') return;
  const scope = staff.municipalityCode;
  if (!scope || !code.startsWith(scope))
    throw new ForbiddenError('A municipality sees only its own fact sheet.', 'outside_municipality');
}

/** A report as a download (CSV) or a page to view (HTML), never cached: it may hold unsuppressed figures. */
function sendDocument(
  c: Context<AppEnv>,
  doc: { contentType: string; filename: string; body: string | Buffer },
  download: boolean,
) {
  c.header('content-type', doc.contentType);
  c.header('content-disposition', `${download ? 'attachment' : 'inline'}; filename="${doc.filename}"`);
  c.header('cache-control', 'no-store');
  return c.body(typeof doc.body === 'string' ? doc.body : new Uint8Array(doc.body));
}

export function reportRoutes(deps: AppDeps) {
  const { db, config, clock } = deps;
  const app = new Hono<AppEnv>();

  app.get('/waves/:id/factsheets/:municipality', allow('analyst', 'municipality'), async (c) => {
    const id = parseWith(z.uuid(), c.req.param('id'), 'wave id');
    const code = parseWith(unitCode, c.req.param('municipality'), 'municipality code');
    const q = parseWith(sheetQuery, c.req.query(), 'query');
    const staff = c.get('staff')!;
    assertMayRead(staff, code);
    const doc = await factSheetDocument(db, code, {
      waveId: id,
      format: q.format,
      lang: q.lang,
      viewer: staff.role,
      localesDir: config.localesDir,
      now: clock.now(),
    });
    return sendDocument(c, doc, false);
  });

  app.get('/waves/:id/regions', allow('analyst', 'municipality'), async (c) => {
    const id = parseWith(z.uuid(), c.req.param('id'), 'wave id');
    const q = parseWith(regionsQuery, c.req.query(), 'query');
    const staff = c.get('staff')!;
    const doc = await regionsDocument(db, {
      waveId: id,
      by: q.by,
      format: q.format,
      lang: q.lang,
      viewer: staff.role,
      localesDir: config.localesDir,
      now: clock.now(),
    });
    return sendDocument(c, doc, q.format === 'csv');
  });

  app.get('/reports/trend', allow('analyst', 'municipality'), async (c) => {
    const q = parseWith(trendQuery, c.req.query(), 'query');
    const doc = await trendDocument(db, {
      waveIds: q.waves,
      format: q.format,
      lang: q.lang,
      viewer: c.get('staff')!.role,
      localesDir: config.localesDir,
      now: clock.now(),
    });
    return sendDocument(c, doc, q.format === 'csv');
  });

  return app;
}
