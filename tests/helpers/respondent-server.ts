// The real app on a loopback port over a given database, with the participant survey (or another instrument)
// published and an open census wave whose links are returned: what the browser tests and the respondent benchmark
// both need.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { pino } from 'pino';
import { buildApp } from '../../server/app.ts';
import { testConfig } from '../../server/config.ts';
import type { DatabaseHandle } from '../../server/db/connect.ts';
import { addUnits, createWave, openWave } from '../../server/fieldwork/service.ts';
import { systemClock } from '../../server/http/context.ts';
import { publishInstrument } from '../../server/surveys/service.ts';
import { realPaths } from './surveys.ts';

export async function startRespondentServer(
  handle: DatabaseHandle,
  opts: {
    webDist: string;
    locales: string[];
    units: { externalId: string; preferredLocale: string; municipalityCode?: string }[];
    instrumentId?: string;
    /** The wave's theme modules (an override of the rotation plan); absent: every module. */
    themes?: string[];
  },
) {
  const instrumentId = opts.instrumentId ?? 'participant-survey';
  const published = await publishInstrument(handle.db, realPaths, instrumentId, { kind: 'cli' });
  const wave = await createWave(
    handle.db,
    {
      instrumentId,
      version: published.version,
      name: 'Test',
      mode: 'census',
      locales: opts.locales,
      allowDraftLocales: true,
      ...(opts.themes ? { themes: opts.themes } : {}),
    },
    { kind: 'cli' },
    // Themes are told from core by the instrument's sources, which wave creation reads only when planning.
    opts.themes ? { paths: realPaths, now: new Date() } : undefined,
  );
  await addUnits(handle.db, wave.id, opts.units);
  const links = new Map(
    (await openWave(handle.db, wave.id, { kind: 'cli' }, new Date())).map((l) => [l.externalId, l.token]),
  );
  const served = await serveWebApp(handle, { webDist: opts.webDist });
  return { ...served, links, published };
}

/** The real app with a built web folder on a loopback port: its base URL and how to stop it. */
export async function serveWebApp(
  handle: DatabaseHandle,
  opts: { webDist: string; config?: Parameters<typeof testConfig>[0] },
): Promise<{ base: string; close: () => Promise<void> }> {
  const app = buildApp(
    {
      db: handle.db,
      databaseKind: handle.kind,
      config: testConfig(opts.config),
      clock: systemClock,
      logger: pino({ level: 'silent' }),
    },
    { webDist: opts.webDist },
  );
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
