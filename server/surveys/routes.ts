// HTTP for instruments: published versions in any of their languages, codebooks and differences.
import { Hono } from 'hono';
import { z } from 'zod';
import { allow } from '../http/access.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import { ValidationError } from '../http/errors.ts';
import { parseWith } from '../http/validate.ts';
import { type Codebook, codebookForYears } from './codebook.ts';
import { listInstrumentsWithLatest } from './queries.ts';
import { diffVersions, getVersion } from './service.ts';

const versionParam = z.union([z.literal('latest'), z.coerce.number().int().positive()]);
const diffQuery = z.object({
  from: z.coerce.number().int().positive(),
  to: z.coerce.number().int().positive(),
});

export function instrumentRoutes(deps: AppDeps) {
  const { db } = deps;
  const app = new Hono<AppEnv>();

  // A presentation view straight from the query: no rules involved.
  app.get('/instruments', allow('analyst', 'municipality'), async (c) => {
    const rows = await listInstrumentsWithLatest(db);
    return c.json({
      instruments: rows.map((r) => ({
        id: r.id,
        title: r.title,
        unitType: r.unit_type,
        sourceLocale: r.source_locale,
        latestVersion: r.latest_version === null ? null : Number(r.latest_version),
        versions: Number(r.versions),
      })),
    });
  });

  app.get('/instruments/:id/versions/:version', allow('analyst', 'municipality'), async (c) => {
    const version = parseWith(versionParam, c.req.param('version'), 'version');
    const row = await getVersion(db, c.req.param('id'), version);
    const locales = row.locales;
    const requested = c.req.query('locale');
    const locale = requested ?? locales.find((l) => l.source)?.locale ?? 'nb';
    const chosen = locales.find((l) => l.locale === locale);
    if (!chosen) {
      throw new ValidationError(
        `Version ${row.version} has no language "${locale}".`,
        [{ name: 'locale', reason: `one of ${locales.map((l) => l.locale).join(', ')}` }],
        'unknown_locale',
      );
    }
    return c.json({
      instrumentId: row.instrument_id,
      version: row.version,
      contentHash: row.content_hash,
      publishedAt: row.published_at.toISOString(),
      locale,
      dir: chosen.dir,
      locales,
      changelog: row.changelog,
      definition: { ...row.definition, locale },
    });
  });

  app.get('/instruments/:id/versions/:version/codebook', allow('analyst', 'municipality'), async (c) => {
    const version = parseWith(versionParam, c.req.param('version'), 'version');
    const row = await getVersion(db, c.req.param('id'), version);
    return c.json({
      instrumentId: row.instrument_id,
      version: row.version,
      contentHash: row.content_hash,
      // No wave here, so no years: "[previous year]" reads where "{previousYear}" would puzzle.
      ...(row.codebook && codebookForYears(row.codebook as unknown as Codebook, null)),
    });
  });

  app.get('/instruments/:id/diff', allow('analyst', 'municipality'), async (c) => {
    const q = parseWith(diffQuery, c.req.query(), 'query');
    return c.json(await diffVersions(db, c.req.param('id'), q.from, q.to));
  });

  return app;
}
