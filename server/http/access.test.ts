// A route without a declared access rule cannot exist: building such an app fails.
import { Hono } from 'hono';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { testConfig } from '../config.ts';
import type { Db } from '../db/connect.ts';
import { allow, assertAccessDeclared, describeAccess, publicRoute, UndeclaredAccessError } from './access.ts';
import { type AppEnv, systemClock } from './context.ts';

describe('access declarations', () => {
  it('refuses an /api route that declares neither roles nor public access', () => {
    const api = new Hono<AppEnv>();
    api.get('/declared', allow('analyst'), (c) => c.text('ok'));
    api.get('/open', publicRoute('test'), (c) => c.text('ok'));
    api.post('/forgotten', (c) => c.text('oops'));
    const app = new Hono<AppEnv>().route('/api/v1', api);
    expect(() => assertAccessDeclared(app)).toThrow(UndeclaredAccessError);
    expect(() => assertAccessDeclared(app)).toThrow(/POST \/api\/v1\/forgotten/);
  });

  it('does not accept a declaration made for another method on the same path', () => {
    const app = new Hono<AppEnv>();
    app.get('/api/x', allow('admin'), (c) => c.text('ok'));
    app.delete('/api/x', (c) => c.text('oops'));
    expect(() => assertAccessDeclared(app)).toThrow(/DELETE \/api\/x/);
  });

  it('refuses an app.all() route without a rule: it would answer every method', () => {
    const app = new Hono<AppEnv>();
    app.all('/api/anything', (c) => c.text('oops'));
    expect(() => assertAccessDeclared(app)).toThrow(/ALL \/api\/anything/);
    const declared = new Hono<AppEnv>();
    declared.all('/api/anything', allow('admin'), (c) => c.text('ok'));
    expect(() => assertAccessDeclared(declared)).not.toThrow();
  });

  it('accepts middleware-only app.use() and fully declared routes', () => {
    const app = new Hono<AppEnv>();
    app.use('/api/*', async (_c, next) => next());
    app.get('/api/x', allow('admin'), (c) => c.text('ok'));
    expect(() => assertAccessDeclared(app)).not.toThrow();
  });

  it('the real app builds, and every one of its API routes has a rule', () => {
    const app = buildApp({
      db: {} as Db,
      databaseKind: 'pglite',
      config: testConfig(),
      clock: systemClock,
      logger: pino({ level: 'silent' }),
    });
    const rules = describeAccess(app);
    expect(rules['POST /api/v1/auth/login']).toMatch(/^public:/);
    expect(rules['GET /api/v1/staff/users']).toBe('roles:admin');
    expect(rules['GET /health']).toMatch(/^public:/);
  });
});
