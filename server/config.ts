// The one place that reads process.env: parsed once at boot into a frozen, typed Config passed down explicitly.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export type DatabaseConfig =
  | { kind: 'pglite' /** null = in memory (tests) */; dataDir: string | null }
  | { kind: 'postgres'; url: string; poolMax: number };

export type Config = Readonly<{
  port: number;
  host: string;
  publicBaseUrl: string;
  database: DatabaseConfig;
  bodyLimitBytes: number;
  sessionTtlHours: number;
  /** Proxies in front of Svar that append to X-Forwarded-For; 0: the client is the TCP peer (login limits). */
  trustedProxies: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Where instrument sources and their translations live (paths in messages are shown relative to projectRoot). */
  projectRoot: string;
  surveysDir: string;
  localesDir: string;
  /** smtp:// or smtps:// URL; without it Svar sends no mail and distribution lists are the way out. */
  smtpUrl: string | null;
  mailFrom: string;
  /** The send queue (send.ts): mails per second, at once, tries per mail, and the first retry's delay. */
  mailRate: number;
  mailConcurrency: number;
  mailMaxAttempts: number;
  mailRetryBaseSeconds: number;
  /** Worker threads that format one large CSV export from PostgreSQL (exports/csv-parallel.ts). */
  exportWorkers: number;
  /** Worker threads for survey-core's full validation at submit (responses/validation-pool.ts); 0: on the event loop. */
  submitWorkers: number;
}>;

const projectRoot = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

const envSchema = z.object({
  PORT: z.coerce
    .number({ error: 'must be a port number from 1 to 65535' })
    .int()
    .min(1)
    .max(65535)
    .default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_BASE_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  SVAR_DATA_DIR: z.string().min(1).default('./data'),
  SVAR_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  SVAR_SESSION_TTL_HOURS: z.coerce
    .number()
    .min(0.1)
    .max(24 * 30)
    .default(12),
  SVAR_TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SVAR_SURVEYS_DIR: z.string().min(1).optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  SVAR_MAIL_FROM: z.string().min(3).default('Svar <noreply@localhost>'),
  SVAR_MAIL_RATE: z.coerce.number().min(0.01).max(1000).default(10),
  SVAR_MAIL_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
  SVAR_MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  SVAR_MAIL_RETRY_BASE_SECONDS: z.coerce.number().min(0.01).max(86_400).default(60),
  SVAR_LOCALES_DIR: z.string().min(1).optional(),
  SVAR_EXPORT_WORKERS: z.coerce.number().int().min(1).max(32).default(Math.min(4, availableParallelism())),
  SVAR_SUBMIT_WORKERS: z.coerce.number().int().min(0).max(32).default(Math.min(2, availableParallelism())),
});

export class ConfigError extends Error {}

/** Reads the environment once; throws a ConfigError listing every bad variable. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    database: e.DATABASE_URL
      ? { kind: 'postgres' as const, url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX }
      : { kind: 'pglite' as const, dataDir: resolve(e.SVAR_DATA_DIR) },
    bodyLimitBytes: e.SVAR_BODY_LIMIT_BYTES,
    sessionTtlHours: e.SVAR_SESSION_TTL_HOURS,
    trustedProxies: e.SVAR_TRUSTED_PROXIES,
    logLevel: e.LOG_LEVEL,
    projectRoot,
    surveysDir: e.SVAR_SURVEYS_DIR ? resolve(e.SVAR_SURVEYS_DIR) : `${projectRoot}/surveys`,
    localesDir: e.SVAR_LOCALES_DIR ? resolve(e.SVAR_LOCALES_DIR) : `${projectRoot}/locales`,
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.SVAR_MAIL_FROM,
    mailRate: e.SVAR_MAIL_RATE,
    mailConcurrency: e.SVAR_MAIL_CONCURRENCY,
    mailMaxAttempts: e.SVAR_MAIL_MAX_ATTEMPTS,
    mailRetryBaseSeconds: e.SVAR_MAIL_RETRY_BASE_SECONDS,
    exportWorkers: e.SVAR_EXPORT_WORKERS,
    submitWorkers: e.SVAR_SUBMIT_WORKERS,
  });
}

/** A config for tests and in-process tools: defaults plus overrides, no environment involved. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return Object.freeze({
    ...readConfig({}),
    database: { kind: 'pglite', dataDir: null },
    logLevel: 'silent',
    ...overrides,
  } as Config);
}
