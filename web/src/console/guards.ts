// Who may open which screen. The server decides again on every call; the console only avoids offering a screen
// that would answer 403, and says so plainly when someone types its address anyway.

import type { QueryClient } from '@tanstack/react-query';
import { redirect } from '@tanstack/react-router';
import { fetchSession, type Session, type StaffRole, sessionQueryKey } from './session.ts';

export interface RouterContext {
  queryClient: QueryClient;
}

/** Thrown by a route a role may not open; the root's error screen shows it in plain words. */
export class RoleNotAllowed extends Error {
  constructor(readonly role: StaffRole) {
    super(`role ${role} may not open this screen`);
  }
}

export function ensureSession(queryClient: QueryClient): Promise<Session | null> {
  return queryClient.ensureQueryData({ queryKey: sessionQueryKey, queryFn: fetchSession });
}

/** beforeLoad of every screen behind the login: no session → the login page, which returns here afterwards. */
export async function requireSession(ctx: { context: RouterContext; location: { href: string } }) {
  const session = await ensureSession(ctx.context.queryClient);
  if (!session) throw redirect({ to: '/login', search: { next: ctx.location.href } });
  return { session };
}

/** Admins are admitted everywhere, as on the server (server/http/access.ts). */
export function roleAllowed(role: StaffRole, roles: readonly StaffRole[]): boolean {
  return role === 'admin' || roles.includes(role);
}

export function requireRoles(...roles: StaffRole[]) {
  return (ctx: { context: { session?: Session } }) => {
    const role = ctx.context.session?.user.role;
    if (role && !roleAllowed(role, roles)) throw new RoleNotAllowed(role);
  };
}

/** Where each role works: the home page sends them there. */
export function homeOf(role: StaffRole): '/municipality' | '/translations' | '/waves' {
  if (role === 'municipality') return '/municipality';
  if (role === 'translator') return '/translations';
  return '/waves';
}
