// HTTP for respondents, who hold a link instead of a login: read the survey, save answers, submit.
// Every error comes back in the respondent's language.
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { publicRoute } from '../http/access.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import { problemResponse, toProblem } from '../http/problem.ts';
import { parseWith, readJson } from '../http/validate.ts';
import { languageCodes as allLanguages, negotiateLocale } from '../surveys/languages.ts';
import { readAnswers, readSections } from './read.ts';
import { deviceClass, respondentText } from './respondent-language.ts';
import { openSurvey, optOut, saveAnswers, submitResponse } from './service.ts';
import { submitValidator } from './validation-pool.ts';

const saveSchema = z
  .object({
    answers: z
      .record(z.string().max(200), z.unknown())
      .refine((a) => Object.keys(a).length <= 1000, 'at most 1000 answers'),
    bases: z
      .record(z.string().max(200), z.number().int().nonnegative())
      .refine((a) => Object.keys(a).length <= 1000, 'at most 1000 bases')
      .optional(),
    device: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .optional(),
    clientTime: z.number().int().positive().optional(),
    seq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
    page: z.string().max(200).nullish(),
    locale: z.string().min(2).max(16).optional(),
  })
  .strict();

const submitSchema = z
  .object({ locale: z.string().min(2).max(16).optional(), confirmSectionsNotDone: z.boolean().optional() })
  .strict();

const codesSchema = z
  .string()
  .max(20_000)
  .transform((s) => s.split(',').filter(Boolean))
  .pipe(z.array(z.string().max(200)).max(1000));

export const linkReason = 'respondents hold a personal link, never a login';

/** The language to answer a respondent's errors in: what the page says it shows, else the browser's, else bokmål. */
export function respondentErrorHandler(deps: AppDeps) {
  const { config, logger } = deps;
  const languageOf = (c: Context<AppEnv>) =>
    [c.get('respondentLocale'), c.req.query('locale'), c.req.header('x-svar-locale')].find(
      (l) => l && allLanguages.includes(l),
    ) ??
    negotiateLocale(c.req.header('accept-language'), allLanguages) ??
    'nb';

  return (err: Error, c: Context<AppEnv>) => {
    const problem = toProblem(err, logger, c.get('requestId'));
    const text = respondentText(config.localesDir, languageOf(c), `problem.${problem.code}`);
    return problemResponse(c, { ...problem, detail: text ?? problem.detail });
  };
}

export function respondentRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  // survey-core's full pass at submit runs off the event loop, in a pool started on the first submit.
  const validate = submitValidator(deps.config.submitWorkers);
  const app = new Hono<AppEnv>();
  app.onError(respondentErrorHandler(deps));

  app.get('/respond/:token', publicRoute(linkReason), async (c) => {
    const view = await openSurvey(db, c.req.param('token'), {
      now: clock.now(),
      requested: c.req.query('locale'),
      browser: negotiateLocale(c.req.header('accept-language'), allLanguages),
      // The respondent page fetches the definition from its own, cacheable URL (definition-routes.ts).
      byUrl: c.req.query('definition') === 'url',
    });
    c.header('cache-control', 'no-store');
    return c.json(view);
  });

  app.post('/respond/:token/answers', publicRoute(linkReason), async (c) => {
    const body = await readJson(c, saveSchema);
    c.set('respondentLocale', body.locale);
    const result = await saveAnswers(db, c.req.param('token'), body, {
      now: clock.now(),
      userAgentClass: deviceClass(c.req.header('user-agent')),
    });
    // With its length: compression (http/compression.ts) then leaves a save's small acknowledgement as it is
    // without reading it back, a cost paid on every save.
    const text = JSON.stringify(result);
    return c.body(text, 200, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text)),
    });
  });

  app.post('/respond/:token/submit', publicRoute(linkReason), async (c) => {
    const body = await readJson(c, submitSchema);
    c.set('respondentLocale', body.locale);
    return c.json(
      await submitResponse(db, c.req.param('token'), {
        now: clock.now(),
        locale: body.locale,
        confirmSectionsNotDone: body.confirmSectionsNotDone,
        validate,
      }),
    );
  });

  app.get('/respond/:token/answers', publicRoute(linkReason), async (c) => {
    const asked = c.req.query('codes');
    const codes = asked === undefined ? null : parseWith(codesSchema, asked, 'codes parameter');
    c.header('cache-control', 'no-store');
    return c.json(await readAnswers(db, c.req.param('token'), codes, clock.now()));
  });

  app.get('/respond/:token/sections', publicRoute(linkReason), async (c) => {
    c.header('cache-control', 'no-store');
    return c.json(await readSections(db, c.req.param('token'), clock.now()));
  });

  app.post('/respond/:token/opt-out', publicRoute(linkReason), async (c) =>
    c.json(await optOut(db, c.req.param('token'), clock.now())),
  );

  return app;
}
