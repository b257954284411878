// HTTP for staff accounts: login/logout/me, user administration, API tokens.
import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { allow, publicRoute } from '../http/access.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import { readJson } from '../http/validate.ts';
import { clientSource } from './client-source.ts';
import { logIn } from './login.ts';
import { loginSchema, newApiTokenSchema, newStaffUserSchema, staffRoleChangeSchema } from './schemas.ts';
import * as staff from './service.ts';

export const sessionCookie = 'svar_session';

export function staffRoutes(deps: AppDeps) {
  const { db, clock, config } = deps;
  const secure = config.publicBaseUrl.startsWith('https://');
  const app = new Hono<AppEnv>();

  app.post('/auth/login', publicRoute('staff log in here'), async (c) => {
    const input = await readJson(c, loginSchema);
    const r = await logIn(db, input, {
      now: clock.now(),
      sessionTtlHours: config.sessionTtlHours,
      source: clientSource(c, config.trustedProxies),
      requestId: c.get('requestId'),
    });
    setCookie(c, sessionCookie, r.sessionToken, {
      httpOnly: true,
      secure,
      sameSite: 'Lax',
      path: '/',
      expires: r.expiresAt,
    });
    return c.json({ user: r.user, csrfToken: r.csrfToken, expiresAt: r.expiresAt.toISOString() });
  });

  app.post('/auth/logout', allow('analyst', 'municipality', 'translator'), async (c) => {
    const principal = c.get('staff')!;
    await staff.logOut(db, principal, c.get('requestId'));
    deleteCookie(c, sessionCookie, { path: '/' });
    return c.body(null, 204);
  });

  app.get('/auth/me', allow('analyst', 'municipality', 'translator'), (c) => {
    const p = c.get('staff')!;
    return c.json({
      user: {
        id: p.id,
        email: p.email,
        displayName: p.displayName,
        role: p.role,
        municipalityCode: p.municipalityCode,
      },
      via: p.via,
      csrfToken: p.csrfToken,
    });
  });

  app.get('/staff/users', allow('admin'), async (c) => c.json({ users: await staff.listStaff(db) }));

  app.post('/staff/users', allow('admin'), async (c) => {
    const input = await readJson(c, newStaffUserSchema);
    const user = await staff.createStaffUser(
      db,
      input,
      { kind: 'staff', id: c.get('staff')!.id },
      c.get('requestId'),
    );
    return c.json({ user }, 201);
  });

  app.post('/staff/users/:id/disable', allow('admin'), async (c) => {
    const user = await staff.disableStaffUser(
      db,
      c.req.param('id'),
      { kind: 'staff', id: c.get('staff')!.id },
      clock.now(),
      c.get('requestId'),
    );
    return c.json({ user });
  });

  app.patch('/staff/users/:id', allow('admin'), async (c) => {
    const input = await readJson(c, staffRoleChangeSchema);
    const user = await staff.changeStaffRole(
      db,
      c.req.param('id'),
      input,
      { kind: 'staff', id: c.get('staff')!.id },
      c.get('requestId'),
    );
    return c.json({ user });
  });

  // Anyone logged in may make a token for their own scripts; it carries their own role and nothing more.
  app.post('/staff/tokens', allow('analyst', 'municipality'), async (c) => {
    const input = await readJson(c, newApiTokenSchema);
    const me = c.get('staff')!;
    const token = await staff.createApiToken(
      db,
      { staffUserId: me.id, name: input.name, expiresInDays: input.expiresInDays },
      { kind: 'staff', id: me.id },
      clock.now(),
      c.get('requestId'),
    );
    return c.json(token, 201);
  });

  return app;
}
