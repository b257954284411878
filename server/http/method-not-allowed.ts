// Tells 405 from 404: Hono answers both as "not found", so we look up the path under the other methods.
import type { Hono } from 'hono';
import { PatternRouter } from 'hono/router/pattern-router';

const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Builds, once, a lookup of which methods an app serves at a path (app.use() middleware ignored). */
// biome-ignore lint/suspicious/noExplicitAny: any Hono app, whatever its env
export function allowedMethodsLookup(app: Hono<any>): (path: string) => string[] {
  const router = new PatternRouter<string>();
  for (const r of app.routes) {
    if (r.method !== 'ALL') router.add(r.method, r.path, r.method);
  }
  return (path) =>
    methods.filter((m) => {
      const [handlers] = router.match(m === 'HEAD' ? 'GET' : m, path);
      return handlers.length > 0;
    });
}
