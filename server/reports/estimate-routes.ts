// HTTP for a wave's estimates: analysts see them as computed; a municipality its own domains, suppressed.
import { Hono } from 'hono';
import { z } from 'zod';
import { allow } from '../http/access.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import { ForbiddenError } from '../http/errors.ts';
import { parseWith } from '../http/validate.ts';
import { waveEstimates } from './estimates.ts';
import { suppressEstimates } from './estimates-suppression.ts';

const querySchema = z
  .object({
    var: z.string().min(1).max(200),
    // A named breakdown, the wave's strata column, or a coded column of the export (checked against the wave).
    by: z
      .string()
      .regex(/^[A-Za-z0-9_]+$/)
      .max(200)
      .optional(),
    labels: z.enum(['nb', 'nn', 'en']).default('nb'),
  })
  .strict();

export function estimateRoutes(deps: AppDeps) {
  const { db } = deps;
  const app = new Hono<AppEnv>();

  app.get('/waves/:id/estimates', allow('analyst', 'municipality'), async (c) => {
    const id = parseWith(z.uuid(), c.req.param('id'), 'wave id');
    const q = parseWith(querySchema, c.req.query(), 'query');
    const staff = c.get('staff')!;
    // The scope comes from the principal, never from the request.
    const scope = staff.role === 'municipality' ? staff.municipalityCode : null;
    if (staff.role === 'municipality' && !scope) throw new ForbiddenError();
    const result = await waveEstimates(db, id, {
      variable: q.var,
      by: q.by ?? null,
      labelLocale: q.labels,
      municipalityCode: scope,
    });
    c.header('cache-control', 'no-store');
    return c.json(suppressEstimates(result, staff.role, result.wave.smallCellK));
  });

  return app;
}
