// Every /api route declares who may call it: allow(...roles) for staff, publicRoute(...) for everyone.
// assertAccessDeclared() refuses to build an app with a route that declares neither.
import { timingSafeEqual } from 'node:crypto';
import type { Hono, MiddlewareHandler } from 'hono';
import type { StaffRole } from '../db/schema.ts';
import type { AppEnv } from './context.ts';
import { ForbiddenError, UnauthorizedError } from './errors.ts';

const declarations = new WeakMap<MiddlewareHandler<AppEnv>, string>();
const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Admits staff with one of the roles (admins are admitted everywhere). Cookie sessions must also send the
 * session's CSRF token on unsafe methods; API tokens are not sent by browsers on their own, so they need none.
 */
export function allow(...roles: StaffRole[]): MiddlewareHandler<AppEnv> {
  const guard: MiddlewareHandler<AppEnv> = async (c, next) => {
    const staff = c.get('staff');
    if (!staff) throw new UnauthorizedError();
    if (staff.role !== 'admin' && !roles.includes(staff.role)) throw new ForbiddenError();
    if (staff.via === 'session' && unsafeMethods.has(c.req.method)) {
      const sent = c.req.header('x-csrf-token') ?? '';
      if (!staff.csrfToken || !sameSecret(sent, staff.csrfToken)) {
        throw new ForbiddenError('Missing or wrong x-csrf-token header for this session.', 'csrf_failed');
      }
    }
    await next();
  };
  declarations.set(guard, `roles:${roles.join(',') || 'admin'}`);
  return guard;
}

/** Marks a route as open to anyone (health, login, respondent links); the reason documents why. */
export function publicRoute(reason: string): MiddlewareHandler<AppEnv> {
  const marker: MiddlewareHandler<AppEnv> = async (_c, next) => {
    await next();
  };
  declarations.set(marker, `public:${reason}`);
  return marker;
}

export class UndeclaredAccessError extends Error {}

/** Hono wraps the handlers of a sub-app that has its own onError; the original stays on this property. */
function unwrap(handler: unknown): MiddlewareHandler<AppEnv> {
  const inner = (handler as { __COMPOSED_HANDLER?: unknown }).__COMPOSED_HANDLER;
  return (inner ?? handler) as MiddlewareHandler<AppEnv>;
}

/** Throws when any route under /api (or /health) has neither allow() nor publicRoute() among its handlers. */
export function assertAccessDeclared(app: Hono<AppEnv>): void {
  const byRoute = new Map<string, boolean>();
  for (const r of app.routes) {
    // app.use() registers middleware as ALL on a wildcard path; app.all() on a plain path is an endpoint for every
    // method, and must declare its rule like any other (or it would answer every method without one).
    if (r.method === 'ALL' && r.path.endsWith('*')) continue;
    if (!r.path.startsWith('/api') && r.path !== '/health') continue;
    const key = `${r.method} ${r.path}`;
    const declared = declarations.has(unwrap(r.handler));
    byRoute.set(key, (byRoute.get(key) ?? false) || declared);
  }
  const missing = [...byRoute].filter(([, declared]) => !declared).map(([key]) => key);
  if (missing.length > 0) {
    throw new UndeclaredAccessError(
      `These routes declare no access rule (use allow(...roles) or publicRoute(reason)): ${missing.join(', ')}`,
    );
  }
}

/** The access rule of each route, for documentation and tests. */
export function describeAccess(app: Hono<AppEnv>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of app.routes) {
    const rule = declarations.get(unwrap(r.handler));
    if (rule) out[`${r.method} ${r.path}`] = rule;
  }
  return out;
}
