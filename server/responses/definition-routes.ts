// The survey definition per version and language, from its own URL: immutable, so cached for a year by the
// browser and any shared cache on the way (the next respondent behind the same proxy does not download it again).
import { Hono } from 'hono';
import { publicRoute } from '../http/access.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import { definitionJson } from './survey-definition.ts';

export function definitionRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get(
    '/definitions/:versionId/:locale',
    publicRoute('a published survey version holds no answers; its id is learnt from a link'),
    async (c) => {
      const json = await definitionJson(deps.db, c.req.param('versionId'), c.req.param('locale'));
      c.header('cache-control', 'public, max-age=31536000, immutable');
      c.header('content-type', 'application/json; charset=utf-8');
      return c.body(json);
    },
  );
  return app;
}
