// Builds the Svar HTTP app from its dependencies: middleware order, route mounts, one error mapping.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import { requestId } from 'hono/request-id';
import { sql } from 'kysely';
import { delegationRoutes } from './delegation/routes.ts';
import { qualityRoutes } from './exports/quality-routes.ts';
import { exportRoutes } from './exports/routes.ts';
import { fieldworkRoutes } from './fieldwork/routes.ts';
import { assertAccessDeclared, publicRoute } from './http/access.ts';
import { compressJson } from './http/compression.ts';
import type { AppDeps, AppEnv } from './http/context.ts';
import { AppError } from './http/errors.ts';
import { allowedMethodsLookup } from './http/method-not-allowed.ts';
import { problemResponse, toProblem } from './http/problem.ts';
import { securityHeaders } from './http/security-headers.ts';
import { estimateRoutes } from './reports/estimate-routes.ts';
import { reportRoutes } from './reports/report-routes.ts';
import { definitionRoutes } from './responses/definition-routes.ts';
import { respondentRoutes } from './responses/routes.ts';
import { sessionCookie, staffRoutes } from './staff/routes.ts';
import { resolvePrincipal } from './staff/service.ts';
import { instrumentRoutes } from './surveys/routes.ts';
import { translationRoutes } from './translations/routes.ts';
import { webRoutes } from './web/routes.ts';

/** Long random path segments are access tokens: they never reach the logs. */
function redactPath(path: string): string {
  return path.replace(/[A-Za-z0-9_-]{32,}/g, ':secret');
}

export interface BuildAppOptions {
  /** Folder of the built web app; omitted in API-only tests. */
  webDist?: string;
}

export function buildApp(deps: AppDeps, options: BuildAppOptions = {}) {
  const { db, logger, clock, config } = deps;
  const app = new Hono<AppEnv>();

  app.use(requestId({ limitLength: 64 }));
  app.use(securityHeaders(config));
  app.use('/api/*', compressJson());
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    logger.info(
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: redactPath(c.req.path),
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      'request',
    );
  });
  const limit = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new AppError(413, 'payload_too_large', `The request body is larger than ${maxSize} bytes.`);
      },
    });
  const generalLimit = limit(config.bodyLimitBytes);
  // A frame upload streams into the import, which enforces its own limit as it reads (fieldwork/routes.ts):
  // hono's bodyLimit would buffer a body without a content length in memory first.
  app.use((c, next) => {
    if (/^\/api\/v1\/waves\/[^/]+\/frame$/.test(c.req.path)) return next();
    // A declared length is checked from the header (Node's parser never reads past it), and a GET has no body:
    // hono's bodyLimit would first turn the request into a web stream, the largest cost of a small save.
    const declared = c.req.header('content-length');
    if (c.req.method === 'GET' || (declared !== undefined && !c.req.header('transfer-encoding'))) {
      if (Number(declared ?? 0) > config.bodyLimitBytes) return generalLimit(c, next);
      return next();
    }
    return generalLimit(c, next);
  });
  app.use('/api/*', async (c, next) => {
    const auth = c.req.header('authorization');
    const bearer = auth?.match(/^Bearer\s+(\S+)$/i)?.[1];
    c.set(
      'staff',
      await resolvePrincipal(db, { bearer, sessionToken: getCookie(c, sessionCookie) }, clock.now()),
    );
    await next();
  });

  app.get('/health', publicRoute('load balancers and monitoring'), async (c) => {
    try {
      await sql`select 1`.execute(db);
    } catch (err) {
      logger.error({ err }, 'health check: database unreachable');
      return problemResponse(c, {
        status: 503,
        code: 'database_unavailable',
        detail: `The ${deps.databaseKind} database cannot be reached.`,
        headers: { 'retry-after': '5' },
      });
    }
    return c.json({ status: 'ok', database: deps.databaseKind });
  });

  app.route('/api/v1', staffRoutes(deps));
  app.route('/api/v1', instrumentRoutes(deps));
  app.route('/api/v1', translationRoutes(deps));
  app.route('/api/v1', respondentRoutes(deps));
  app.route('/api/v1', definitionRoutes(deps));
  app.route('/api/v1', delegationRoutes(deps));
  app.route('/api/v1', fieldworkRoutes(deps));
  app.route('/api/v1', exportRoutes(deps));
  app.route('/api/v1', qualityRoutes(deps));
  app.route('/api/v1', estimateRoutes(deps));
  app.route('/api/v1', reportRoutes(deps));
  if (options.webDist) app.route('/', webRoutes(options.webDist));

  assertAccessDeclared(app);
  const allowedMethods = allowedMethodsLookup(app);

  app.notFound((c) => {
    const allowed = allowedMethods(new URL(c.req.url).pathname);
    if (allowed.length > 0) {
      return problemResponse(c, {
        status: 405,
        code: 'method_not_allowed',
        detail: `${c.req.method} is not allowed here. Allowed: ${allowed.join(', ')}.`,
        headers: { allow: allowed.join(', ') },
      });
    }
    return problemResponse(c, {
      status: 404,
      code: 'not_found',
      detail: 'There is nothing at this address.',
    });
  });
  app.onError((err, c) => problemResponse(c, toProblem(err, logger, c.get('requestId'))));

  return app;
}

export type SvarApp = ReturnType<typeof buildApp>;
