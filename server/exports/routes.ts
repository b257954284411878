// HTTP for exports: one GET streams any format of one or several waves; the download starts at once.
import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import { allow } from '../http/access.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import { parseWith } from '../http/validate.ts';
import { exportFormats } from './formats.ts';
import { prepareExport } from './service.ts';

const querySchema = z
  .object({
    waves: z
      .string()
      .transform((s) => s.split(',').filter(Boolean))
      .pipe(z.array(z.uuid()).min(1).max(50)),
    format: z.enum(exportFormats),
    labels: z.enum(['nb', 'nn', 'en']).default('nb'),
    bom: z.enum(['0', '1', 'true', 'false']).optional(),
    delimiter: z.enum([',', ';']).optional(),
    valueLabels: z.enum(['0', '1', 'true', 'false']).optional(),
  })
  .strict();

const yes = (v: string | undefined) => v === '1' || v === 'true';

export function exportRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const postgresUrl = deps.config.database.kind === 'postgres' ? deps.config.database.url : null;
  const app = new Hono<AppEnv>();

  app.get('/exports', allow('analyst', 'municipality'), async (c) => {
    const q = parseWith(querySchema, c.req.query(), 'query');
    const staff = c.get('staff')!;
    const prepared = await prepareExport(
      db,
      {
        waveIds: q.waves,
        format: q.format,
        labelLocale: q.labels,
        csv: {
          bom: yes(q.bom),
          ...(q.delimiter ? { delimiter: q.delimiter } : {}),
          valueLabels: yes(q.valueLabels),
        },
      },
      {
        principal: { role: staff.role, municipalityCode: staff.municipalityCode },
        actor: { kind: 'staff', id: staff.id },
        requestId: c.get('requestId'),
      },
      clock.now(),
      { postgresUrl, workers: deps.config.exportWorkers },
    );
    c.header('content-type', prepared.mediaType);
    c.header('content-disposition', `attachment; filename="${prepared.fileName}"`);
    c.header('cache-control', 'no-store');
    c.header('x-svar-rows', String(prepared.rows));
    return stream(c, async (s) => {
      await prepared.write({ write: async (chunk) => void (await s.write(chunk)) });
    });
  });

  return app;
}
