// HTTP for respondents, who hold a link instead of a login: read the survey, save answers, submit.
// Every error comes back in the respondent's language.
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { publicRoute } from '../http/access.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import { problemResponse, toProblem } from '../http/problem.ts';
import { readJson } from '../http/validate.ts';
import { languageCodes as allLanguages, negotiateLocale } from '../surveys/languages.ts';
import { deviceClass, respondentText } from './respondent-language.ts';
import { openSurvey, optOut, saveAnswers, submitResponse } from './service.ts';

const saveSchema = z
  .object({
    answers: z
      .record(z.string().max(200), z.unknown())
      .refine((a) => Object.keys(a).length <= 1000, 'at most 1000 answers'),
    clientTime: z.number().int().positive(),
    page: z.string().max(200).nullish(),
    locale: z.string().min(2).max(16).optional(),
  })
  .strict();

const submitSchema = z.object({ locale: z.string().min(2).max(16).optional() }).strict();

const linkReason = 'respondents hold a personal link, never a login';

export function respondentRoutes(deps: AppDeps) {
  const { db, clock, config, logger } = deps;
  const app = new Hono<AppEnv>();

  /** The language to answer errors in: what the page says it shows, else the browser's, else bokmål. */
  const languageOf = (c: Context<AppEnv>) =>
    [c.get('respondentLocale'), c.req.query('locale'), c.req.header('x-svar-locale')].find(
      (l) => l && allLanguages.includes(l),
    ) ??
    negotiateLocale(c.req.header('accept-language'), allLanguages) ??
    'nb';

  app.onError((err, c) => {
    const problem = toProblem(err, logger, c.get('requestId'));
    const text = respondentText(config.localesDir, languageOf(c), `problem.${problem.code}`);
    return problemResponse(c, { ...problem, detail: text ?? problem.detail });
  });

  app.get('/respond/:token', publicRoute(linkReason), async (c) => {
    const view = await openSurvey(db, c.req.param('token'), {
      now: clock.now(),
      requested: c.req.query('locale'),
      browser: negotiateLocale(c.req.header('accept-language'), allLanguages),
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
    return c.json(result);
  });

  app.post('/respond/:token/submit', publicRoute(linkReason), async (c) => {
    const body = await readJson(c, submitSchema);
    c.set('respondentLocale', body.locale);
    return c.json(await submitResponse(db, c.req.param('token'), { now: clock.now(), locale: body.locale }));
  });

  app.post('/respond/:token/opt-out', publicRoute(linkReason), async (c) =>
    c.json(await optOut(db, c.req.param('token'), clock.now())),
  );

  return app;
}
