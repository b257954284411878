// Serves the built web app (web/ → dist/): hashed assets, and index.html for each page the client routes.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import type { AppEnv } from '../http/context.ts';

/** Client-side pages; listed one by one (not '*') so unknown addresses stay 404 and wrong methods 405. */
export const webPages = ['/', '/login', '/staff', '/staff/*', '/accessibility', '/s/:token'];

export function webRoutes(dist: string) {
  const app = new Hono<AppEnv>();
  app.use(
    '/assets/*',
    serveStatic({
      root: dist,
      onFound: (_path, c) => {
        // File names carry a content hash, so they can be cached for good.
        c.header('cache-control', 'public, max-age=31536000, immutable');
      },
    }),
  );
  for (const page of webPages) {
    app.get(page, async (c) => {
      const html = await readFile(join(dist, 'index.html'), 'utf8');
      c.header('cache-control', 'no-cache');
      return c.html(html);
    });
  }
  return app;
}
