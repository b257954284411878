// What every route can rely on: the app's dependencies and the Hono environment they travel in.
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Db } from '../db/connect.ts';
import type { StaffRole } from '../db/schema.ts';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface AppDeps {
  db: Db;
  databaseKind: 'pglite' | 'postgres';
  config: Config;
  clock: Clock;
  logger: Logger;
}

/** The logged-in staff member behind a request. */
export interface StaffPrincipal {
  id: string;
  email: string;
  displayName: string;
  role: StaffRole;
  municipalityCode: string | null;
  via: 'session' | 'token';
  /** Set for cookie sessions: unsafe requests must echo it in the x-csrf-token header. */
  csrfToken: string | null;
  sessionTokenHash: string | null;
}

export type AppEnv = {
  Variables: {
    requestId: string;
    staff: StaffPrincipal | null;
    /** The language a respondent request says it shows, for answering its errors in that language. */
    respondentLocale?: string | undefined;
  };
};
