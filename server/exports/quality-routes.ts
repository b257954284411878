// HTTP for a wave's data-quality report (flags, rates per question and language, translation-review flags).
import { Hono } from 'hono';
import { z } from 'zod';
import { allow } from '../http/access.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import { parseWith } from '../http/validate.ts';
import { waveQuality } from './quality-report.ts';

export function qualityRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  // Analysts (and admins) only: the report is about all municipalities' respondents at once.
  app.get('/waves/:id/quality', allow('analyst'), async (c) =>
    c.json(await waveQuality(deps.db, parseWith(z.uuid(), c.req.param('id'), 'wave id'))),
  );

  return app;
}
