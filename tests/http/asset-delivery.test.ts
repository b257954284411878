// What a respondent's phone downloads: built assets precompressed (brotli, gzip) and cached for good, the survey
// definition per version and language from its own immutable URL holding that one language, JSON compressed
// from 1 KB up, and everything that carries a respondent's answers never stored by a cache.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { languageCodes } from '../../server/surveys/languages.ts';
import { buildWebInto } from '../helpers/browser.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { startRespondentServer } from '../helpers/respondent-server.ts';

vi.setConfig({ testTimeout: 60_000 });

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request without fetch's automatic decompression: the bytes as they travel. */
function raw(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<Raw>((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

const decoded = (r: Raw) =>
  r.headers['content-encoding'] === 'br'
    ? brotliDecompressSync(r.body)
    : r.headers['content-encoding'] === 'gzip'
      ? gunzipSync(r.body)
      : r.body;

let dist: string;
beforeAll(async () => {
  dist = await buildWebInto();
}, 120_000);
afterAll(() => rmSync(dist, { recursive: true, force: true }));

describe.each(backends())('asset delivery on $name', (backend) => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startRespondentServer>>;
  let token: string;

  beforeAll(async () => {
    if (backend.skip) return;
    db = await backend.open();
    server = await startRespondentServer(db, {
      webDist: dist,
      locales: languageCodes,
      units: [{ externalId: 'ar1', preferredLocale: 'ar' }],
    });
    token = server.links.get('ar1')!;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it.skipIf(backend.skip)(
    'sends the respondent page and its script precompressed, cached for good',
    async () => {
      const page = await raw(`${server.base}/s/${token}`, { headers: { 'accept-encoding': 'gzip, br' } });
      expect(page.status).toBe(200);
      expect(page.headers['cache-control']).toBe('no-cache');
      const html = decoded(page).toString('utf8');
      // The respondent's own entry: no staff code.
      const script = html.match(/src="(\/assets\/respond-[^"]+\.js)"/)?.[1];
      expect(script).toBeDefined();
      const entry = await raw(`${server.base}${script}`);
      expect(entry.headers['cache-control']).toBe('public, max-age=31536000, immutable');

      // SurveyJS, the big one, loaded by the respondent page: a fraction of its size over the wire.
      const name = readdirSync(join(dist, 'assets')).find((f) => /^survey-page-.*\.js$/.test(f))!;
      const url = `${server.base}/assets/${name}`;
      const file = readFileSync(join(dist, 'assets', name));

      const br = await raw(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers.vary).toMatch(/accept-encoding/i);
      expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(br.body.length).toBeLessThan(file.length / 4);
      expect(decoded(br).equals(file)).toBe(true);

      const gz = await raw(url, { headers: { 'accept-encoding': 'gzip' } });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(decoded(gz).equals(file)).toBe(true);

      const plain = await raw(url);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers.vary).toMatch(/accept-encoding/i);
      expect(plain.body.equals(file)).toBe(true);

      // Fonts are compressed inside already: sent as they are.
      const font = readdirSync(join(dist, 'assets')).find((f) => f.endsWith('.woff2'))!;
      const woff2 = await raw(`${server.base}/assets/${font}`, { headers: { 'accept-encoding': 'br' } });
      expect(woff2.headers['content-encoding']).toBeUndefined();
    },
  );

  it.skipIf(backend.skip)(
    'serves the survey per version and language, immutable, in that language only',
    async () => {
      const view = await raw(`${server.base}/api/v1/respond/${token}?definition=url`);
      expect(view.status).toBe(200);
      expect(view.headers['cache-control']).toBe('no-store');
      const body = JSON.parse(decoded(view).toString('utf8'));
      expect(body.locale).toBe('ar');
      expect(body.definition).toBeNull();
      expect(body.definitionUrl).toMatch(/^\/api\/v1\/definitions\/[0-9a-f-]{36}\/ar$/);

      const def = await raw(`${server.base}${body.definitionUrl}`, { headers: { 'accept-encoding': 'br' } });
      expect(def.status).toBe(200);
      expect(def.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(def.headers['content-encoding']).toBe('br');
      const text = decoded(def).toString('utf8');
      const definition = JSON.parse(text);
      expect(Object.keys(definition.title).sort()).toEqual(['ar', 'default']);
      expect(Object.keys(definition.pages[0].elements[0].title).sort()).toEqual(['ar', 'default']);
      expect(text).not.toMatch(/"(ti|en|nn|pl|so|fa)":/);

      // The inline view (API clients) carries every language: the per-language one is a fraction of it.
      const inline = await raw(`${server.base}/api/v1/respond/${token}`);
      const all = JSON.parse(inline.body.toString('utf8'));
      expect(Object.keys(all.definition.title)).toContain('ti');
      expect(text.length).toBeLessThan(JSON.stringify(all.definition).length / 3);

      // Another language only when asked for; unknown ones and malformed ids are a plain 404.
      const ti = await raw(`${server.base}${body.definitionUrl.replace(/ar$/, 'ti')}`);
      expect(Object.keys(JSON.parse(ti.body.toString('utf8')).title).sort()).toEqual(['default', 'ti']);
      expect((await raw(`${server.base}${body.definitionUrl.replace(/ar$/, 'xx')}`)).status).toBe(404);
      expect((await raw(`${server.base}/api/v1/definitions/not-a-uuid/ar`)).status).toBe(404);
    },
  );

  it.skipIf(backend.skip)(
    'compresses JSON from 1 KB up, and keeps respondent data out of every cache',
    async () => {
      const big = await raw(`${server.base}/api/v1/respond/${token}`, {
        headers: { 'accept-encoding': 'gzip' },
      });
      expect(big.headers['content-encoding']).toBe('gzip');
      expect(big.headers.vary).toMatch(/accept-encoding/i);
      expect(big.headers['cache-control']).toBe('no-store');
      expect(JSON.parse(decoded(big).toString('utf8')).instrumentId).toBe('participant-survey');

      const save = await raw(`${server.base}/api/v1/respond/${token}/answers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-encoding': 'br' },
        body: JSON.stringify({ answers: { p_prog_months: 14 }, bases: {}, device: 'test-device' }),
      });
      expect(save.status).toBe(200);
      // A few bytes: not worth compressing.
      expect(save.headers['content-encoding']).toBeUndefined();
      expect(save.headers['cache-control']).toBe('no-store');
      expect(JSON.parse(save.body.toString('utf8')).applied).toEqual(['p_prog_months']);

      const answers = await raw(`${server.base}/api/v1/respond/${token}/answers`);
      expect(answers.headers['cache-control']).toBe('no-store');
      expect(JSON.parse(answers.body.toString('utf8')).answers).toMatchObject({ p_prog_months: 14 });

      const refused = await raw(`${server.base}/api/v1/respond/${'x'.repeat(43)}?definition=url`, {
        headers: { 'accept-encoding': 'br' },
      });
      expect(refused.status).toBe(404);
      expect(refused.headers['cache-control']).toBe('no-store');
    },
  );
});
