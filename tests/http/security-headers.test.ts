// Security headers on every answer of the real app: CSP without inline scripts, no framing, no Referer, no sniffing,
// HSTS behind https only, no-store on API answers, and the session cookie's flags.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { type Config, testConfig } from '../../server/config.ts';
import { createStaff, logInAs, TestClock } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';

/** The CSP as a map of directive → sources. */
function directives(csp: string | null): Map<string, string[]> {
  return new Map(
    (csp ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

// Pure header checks: one database is enough, and the embedded one needs no server.
const pglite = backends().find((b) => b.name === 'pglite')!;

describe('security headers', () => {
  let t: TestDatabase;
  let dist: string;
  const appWith = (config: Partial<Config> = {}) =>
    buildApp(
      {
        db: t.db,
        databaseKind: t.kind,
        config: testConfig(config),
        clock: new TestClock(),
        logger: pino({ level: 'silent' }),
      },
      { webDist: dist },
    );
  let app: ReturnType<typeof appWith>;

  beforeAll(async () => {
    t = await pglite.open();
    dist = mkdtempSync(join(tmpdir(), 'svar-headers-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(
      join(dist, 'index.html'),
      '<!doctype html><script type="module" src="/assets/app.js"></script>',
    );
    writeFileSync(join(dist, 'assets', 'app.js'), 'export {};');
    app = appWith();
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  const everyKind = [
    ['a respondent page', '/s/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'],
    ['a built asset', '/assets/app.js'],
    ['an API answer', '/api/v1/auth/me'],
    ['an API error for a link', '/api/v1/respond/not-a-real-token'],
    ['an unknown address', '/no-such-page'],
    ['the health check', '/health'],
  ] as const;

  it.each(everyKind)('%s carries the CSP and the other headers', async (_kind, path) => {
    const res = await app.request(path);
    const csp = directives(res.headers.get('content-security-policy'));
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    for (const [name, sources] of csp) {
      if (name !== 'style-src') expect(sources, name).not.toContain("'unsafe-inline'");
      expect(sources, name).not.toContain("'unsafe-eval'");
    }
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('sends HSTS only when the public address is https', async () => {
    const https = appWith({ publicBaseUrl: 'https://svar.example.no' });
    for (const [, path] of everyKind) {
      expect((await https.request(path)).headers.get('strict-transport-security')).toMatch(/^max-age=\d{7,}/);
    }
  });

  it('marks every API answer no-store, and keeps what a page says', async () => {
    const admin = await createStaff(t.db, { role: 'admin' });
    const login = await app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: admin.email, password: admin.password }),
    });
    expect(login.status).toBe(200);
    expect(login.headers.get('cache-control')).toBe('no-store');
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    for (const path of ['/api/v1/auth/me', '/api/v1/staff/users', '/api/v1/respond/not-a-real-token']) {
      const res = await app.request(path, { headers: { cookie } });
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
    expect((await app.request('/login')).headers.get('cache-control')).toBe('no-cache');
  });

  it('sets the session cookie HttpOnly, SameSite, for the whole site, and Secure behind https', async () => {
    const u = await createStaff(t.db, { role: 'analyst' });
    const plain = (await logInAs(app, u.email, u.password)).setCookie;
    expect(plain).toMatch(/^svar_session=[A-Za-z0-9_-]{43};/);
    expect(plain).toMatch(/; HttpOnly/);
    expect(plain).toMatch(/; SameSite=(Lax|Strict)/);
    expect(plain).toMatch(/; Path=\//);
    expect(plain).toMatch(/; Expires=/);
    expect(plain).not.toMatch(/Secure/);
    const https = appWith({ publicBaseUrl: 'https://svar.example.no' });
    expect((await logInAs(https, u.email, u.password)).setCookie).toMatch(/; Secure/);
  });

  it('the web app’s pages have no inline script the CSP would block', () => {
    const web = new URL('../../web/', import.meta.url);
    const pages = readdirSync(web).filter((f) => f.endsWith('.html'));
    expect(pages).toContain('index.html');
    for (const page of pages) {
      const html = readFileSync(new URL(page, web), 'utf8');
      const scripts = html.match(/<script\b[^>]*>[\s\S]*?<\/script>/gi) ?? [];
      expect(scripts.length, page).toBeGreaterThan(0);
      for (const s of scripts) expect(s, page).toMatch(/^<script\b[^>]*\bsrc=[^>]*>\s*<\/script>$/i);
      expect(html, page).not.toMatch(/\son[a-z]+\s*=/i);
      expect(html, page).not.toMatch(/javascript:/i);
    }
  });
});
