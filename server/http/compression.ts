// Compression of JSON answers (a survey definition, a wave's progress): brotli or gzip as the client accepts,
// for bodies of 1 KB and more (below that the headers outweigh the saving). Only JSON, which handlers build
// whole in memory anyway: streamed exports (CSV, SPSS, Parquet…) pass through untouched and unbuffered.
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './context.ts';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);
const json = /^application\/(?:[\w.+-]+\+)?json\b/i;

/** The encoding to answer in: brotli before gzip, each only when Accept-Encoding allows it (q > 0). */
export function chooseEncoding(accept: string | undefined): 'br' | 'gzip' | null {
  const allowed = new Map<string, number>();
  for (const part of (accept ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim().match(/^q=([\d.]+)$/)?.[1]).find(Boolean);
    if (name) allowed.set(name, q === undefined ? 1 : Number(q));
  }
  const ok = (name: string) => (allowed.get(name) ?? allowed.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return null;
}

export function compressJson(threshold = 1024): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const res = c.res;
    // Headers and status first: reading the body turns the server's light response into a web stream, which
    // costs more than a small save itself, so it is read only when it may be compressed.
    if (!json.test(res.headers.get('content-type') ?? '') || res.status === 204 || c.req.method === 'HEAD')
      return;
    if (res.headers.has('content-encoding') || /no-transform/i.test(res.headers.get('cache-control') ?? ''))
      return;
    const vary = res.headers.get('vary');
    if (!vary) res.headers.set('vary', 'Accept-Encoding');
    else if (!/accept-encoding/i.test(vary)) res.headers.set('vary', `${vary}, Accept-Encoding`);
    const encoding = chooseEncoding(c.req.header('accept-encoding'));
    // A handler that knows its answer is small says so with its length (a save's acknowledgement).
    const declared = res.headers.get('content-length');
    if (!encoding || (declared !== null && Number(declared) < threshold) || !res.body) return;
    const raw = Buffer.from(await res.arrayBuffer());
    const body =
      raw.length < threshold
        ? raw
        : encoding === 'br'
          ? // Quality 5: most of brotli's gain at a fraction of its top setting's time, on every request.
            await brotli(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })
          : await gz(raw, { level: 6 });
    const headers = new Headers(res.headers);
    headers.delete('content-length');
    if (raw.length >= threshold) headers.set('content-encoding', encoding);
    c.res = undefined;
    c.res = new Response(body, { status: res.status, statusText: res.statusText, headers });
  };
}
