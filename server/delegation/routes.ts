// HTTP for delegation, by link: the chief executive delegates and takes back sections; a delegate marks its
// sections done. The link is the credential; what each link may do is decided in the service, not here.
import { Hono } from 'hono';
import { z } from 'zod';
import { publicRoute } from '../http/access.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import { readJson } from '../http/validate.ts';
import { linkReason, respondentErrorHandler } from '../responses/routes.ts';
import { delegateSections, markSectionsDone, takeBackSections } from './service.ts';

const sections = z.array(z.string().min(1).max(200)).min(1).max(100);

const delegateSchema = z
  .object({
    sections,
    name: z.string().trim().min(1).max(200),
    email: z.email().max(320),
    locale: z.string().min(2).max(16),
    message: z.string().max(2000).optional(),
  })
  .strict();

const takeBackSchema = z.object({ sections }).strict();
const doneSchema = z.object({ sections, done: z.boolean() }).strict();

export function delegationRoutes(deps: AppDeps) {
  const { db, clock, config } = deps;
  const app = new Hono<AppEnv>();
  app.onError(respondentErrorHandler(deps));

  app.post('/respond/:token/delegations', publicRoute(linkReason), async (c) => {
    const body = await readJson(c, delegateSchema);
    const input = { ...body, sections: [...new Set(body.sections)] };
    const result = await delegateSections(db, config, c.req.param('token'), input, clock.now());
    c.header('cache-control', 'no-store');
    return c.json(result, 201);
  });

  app.post('/respond/:token/delegations/take-back', publicRoute(linkReason), async (c) => {
    const body = await readJson(c, takeBackSchema);
    return c.json(await takeBackSections(db, c.req.param('token'), [...new Set(body.sections)], clock.now()));
  });

  app.post('/respond/:token/sections/done', publicRoute(linkReason), async (c) => {
    const body = await readJson(c, doneSchema);
    return c.json(
      await markSectionsDone(
        db,
        c.req.param('token'),
        { ...body, sections: [...new Set(body.sections)] },
        clock.now(),
      ),
    );
  });

  return app;
}
