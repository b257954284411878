// Response headers that keep pages and API answers from being framed, sniffed, leaked through Referer or cached.
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from './context.ts';

/**
 * The Content-Security-Policy of every response. The built web app (web/index.html → dist/) loads one module
 * script and its chunks, CSS files and fonts from /assets, and talks only to its own /api: scripts are 'self' only,
 * never 'unsafe-inline' or 'unsafe-eval'.
 * - style-src 'unsafe-inline': survey-react-ui renders its theme as a <style> element (`:where(.sd-theme-root)
 *   { --sjs2-… }`, content that varies with the theme, so no fixed hash) and sets style="" attributes through
 *   innerHTML (the timer's SVG); without it a respondent's survey loses its layout (seen in Chromium's CSP reports).
 *   Inline styles cannot run code; scripts stay strict.
 * - img-src data: blob:: SurveyJS's signature pad and file previews show images as data:/blob: URLs.
 */
export const contentSecurityPolicy = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** One year; no includeSubDomains: Svar often runs on one host of a municipality's domain it does not own. */
const hsts = 'max-age=31536000';

export function securityHeaders(opts: { publicBaseUrl: string }): MiddlewareHandler<AppEnv> {
  const https = opts.publicBaseUrl.startsWith('https://');
  const headers = secureHeaders({
    contentSecurityPolicy,
    // Respondent links carry their token in the path (/s/<token>): no Referer may ever leave a page.
    referrerPolicy: 'no-referrer',
    xContentTypeOptions: true,
    xFrameOptions: 'DENY',
    // HSTS over plain http would be ignored by browsers and is wrong for a local install; only behind https.
    strictTransportSecurity: https ? hsts : false,
    crossOriginOpenerPolicy: true,
    crossOriginResourcePolicy: true,
    permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [] },
  });
  return async (c, next) => {
    await headers(c, next);
    // API answers carry respondents' answers or staff data: never stored by a browser or a proxy. A handler that
    // serves something immutable and public (a published version's definition) sets its own cache-control.
    if (c.req.path.startsWith('/api/') && !c.res.headers.has('cache-control')) {
      c.res.headers.set('cache-control', 'no-store');
    }
  };
}
