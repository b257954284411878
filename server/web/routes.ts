// Serves the built web app (web/ → dist/): hashed assets, and the HTML for each page the client routes.
// Assets go out as the brotli or gzip copy the build wrote beside them (web/build/precompress.ts) when the
// browser accepts it: the respondent's script is a sixth of its size over mobile data they pay for.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { chooseEncoding } from '../http/compression.ts';
import type { AppEnv } from '../http/context.ts';

/** Client-side pages; listed one by one (not '*') so unknown addresses stay 404 and wrong methods 405. */
export const webPages = [
  '/',
  '/login',
  '/staff',
  '/staff/*',
  '/accessibility',
  '/s/:token',
  // The staff console's screens (web/src/console/router.tsx): a deep link or a reload lands on index.html.
  ...[
    '/waves',
    '/instruments',
    '/translations',
    '/exports',
    '/factsheets',
    '/users',
    '/municipality',
  ].flatMap((p) => [p, `${p}/*`]),
];

/** The respondent's link has its own, lighter page (web/respond.html): no staff code, SurveyJS preloaded. */
const htmlOf = (page: string) => (page === '/s/:token' ? 'respond.html' : 'index.html');

const compressible = /\.(js|mjs|css|html|json|svg|txt|map)$/;

export function webRoutes(dist: string) {
  const app = new Hono<AppEnv>();
  app.use(
    '/assets/*',
    serveStatic({
      root: dist,
      precompressed: true,
      onFound: (path, c) => {
        // File names carry a content hash, so they can be cached for good.
        c.header('cache-control', 'public, max-age=31536000, immutable');
        if (compressible.test(path.replace(/\.(br|gz)$/, ''))) c.header('vary', 'Accept-Encoding');
      },
    }),
  );
  const html = new Map<string, { raw: string; br?: Buffer; gzip?: Buffer }>();
  const load = async (file: string) => {
    let entry = html.get(file);
    if (!entry) {
      const path = join(dist, file);
      const raw = await readFile(path, 'utf8').catch(() => readFile(join(dist, 'index.html'), 'utf8'));
      const [br, gzip] = await Promise.all([
        readFile(`${path}.br`).catch(() => undefined),
        readFile(`${path}.gz`).catch(() => undefined),
      ]);
      entry = { raw, ...(br ? { br } : {}), ...(gzip ? { gzip } : {}) };
      html.set(file, entry);
    }
    return entry;
  };
  for (const page of webPages) {
    app.get(page, async (c) => {
      const entry = await load(htmlOf(page));
      c.header('cache-control', 'no-cache');
      c.header('vary', 'Accept-Encoding');
      const encoding = chooseEncoding(c.req.header('accept-encoding'));
      const packed = encoding ? entry[encoding] : undefined;
      if (!encoding || !packed) return c.html(entry.raw);
      c.header('content-encoding', encoding);
      c.header('content-type', 'text/html; charset=UTF-8');
      return c.body(new Uint8Array(packed));
    });
  }
  return app;
}
