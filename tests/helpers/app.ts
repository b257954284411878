// Builds the real app in-process over a test database; requests go through app.request(), no port.
import { pino } from 'pino';
import { buildApp } from '../../server/app.ts';
import { type Config, testConfig } from '../../server/config.ts';
import type { Db } from '../../server/db/connect.ts';
import type { StaffRole } from '../../server/db/schema.ts';
import type { Clock } from '../../server/http/context.ts';
import { createStaffUser } from '../../server/staff/service.ts';

export class TestClock implements Clock {
  constructor(private current = new Date('2026-11-25T12:00:00Z')) {}
  now() {
    return new Date(this.current);
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export function makeApp(
  handle: { db: Db; kind: 'pglite' | 'postgres' },
  opts: { clock?: Clock; config?: Partial<Config> } = {},
) {
  const clock = opts.clock ?? new TestClock();
  const config = testConfig(opts.config);
  return buildApp({
    db: handle.db,
    databaseKind: handle.kind,
    config,
    clock,
    logger: pino({ level: 'silent' }),
  });
}

let counter = 0;

/** A staff account with a known password. */
export async function createStaff(
  db: Db,
  overrides: { role?: StaffRole; email?: string; municipalityCode?: string | null; password?: string } = {},
) {
  const role = overrides.role ?? 'admin';
  const password = overrides.password ?? 'correct horse battery staple';
  counter += 1;
  const user = await createStaffUser(
    db,
    {
      email: overrides.email ?? `${role}${counter}-${Date.now()}@test.svar.local`,
      displayName: `Test ${role} ${counter}`,
      role,
      municipalityCode: role === 'municipality' ? (overrides.municipalityCode ?? '0301') : null,
      password,
    },
    { kind: 'system' },
  );
  return { ...user, password };
}

type RequestApp = { request: (path: string, init?: RequestInit) => Response | Promise<Response> };

/** Logs in through the API; returns the cookie header and CSRF token to send on later requests. */
export async function logInAs(app: RequestApp, email: string, password: string) {
  const res = await app.request('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0]!;
  const body = (await res.json()) as { csrfToken: string };
  return { cookie, csrfToken: body.csrfToken, setCookie };
}

export function jsonRequest(
  method: string,
  body: unknown,
  headers: Record<string, string> = {},
): RequestInit {
  return { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}
