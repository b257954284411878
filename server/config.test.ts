// Configuration is read once and every bad variable is named.
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.ts';

describe('readConfig', () => {
  it('defaults to embedded PGlite in ./data on port 3000', () => {
    const c = readConfig({});
    expect(c.port).toBe(3000);
    expect(c.database).toMatchObject({ kind: 'pglite' });
    expect(c.database.kind === 'pglite' && c.database.dataDir?.endsWith('/data')).toBe(true);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const c = readConfig({ DATABASE_URL: 'postgres://u@db:5432/svar', DATABASE_POOL_MAX: '20' });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/svar', poolMax: 20 });
  });

  it('lists every bad variable at once', () => {
    let error: unknown;
    try {
      readConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL']) expect(message).toContain(name);
  });
});
