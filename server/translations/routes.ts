// HTTP for the translation review workflow (translators and admins only): thin handlers over service.ts.
import { Hono } from 'hono';
import { allow } from '../http/access.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import { AppError } from '../http/errors.ts';
import { parseWith, readJson } from '../http/validate.ts';
import { listInstrumentVersions } from './queries.ts';
import { commentBody, editBody, languageParams, statusBody, stringsQuery, versionParams } from './schemas.ts';
import { addComment, changeStatus, editString, languageStrings, translationMatrix } from './service.ts';
import { downloadXliff, uploadXliff } from './xliff-service.ts';

const translator = () => allow('translator');
const xmlTypes = /^(application\/(xliff\+)?xml|text\/xml)\b/i;

export function translationRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const app = new Hono<AppEnv>();
  const staffId = (c: { get(k: 'staff'): AppEnv['Variables']['staff'] }) => c.get('staff')!.id;

  // A presentation view for the picker, straight from the query.
  app.get('/translations/instruments', translator(), async (c) => {
    const rows = await listInstrumentVersions(db);
    const byId = new Map<string, { id: string; title: string; versions: number[] }>();
    for (const r of rows) {
      const i = byId.get(r.id) ?? { id: r.id, title: r.title, versions: [] };
      i.versions.push(r.version);
      byId.set(r.id, i);
    }
    return c.json({ instruments: [...byId.values()] });
  });

  app.get('/translations/:id/:version', translator(), async (c) => {
    const p = parseWith(versionParams, c.req.param(), 'path');
    return c.json(await translationMatrix(db, { instrumentId: p.id, version: p.version }));
  });

  app.get('/translations/:id/:version/:locale', translator(), async (c) => {
    const p = parseWith(languageParams, c.req.param(), 'path');
    const filter = parseWith(stringsQuery, c.req.query(), 'query');
    return c.json(await languageStrings(db, { instrumentId: p.id, version: p.version }, p.locale, filter));
  });

  app.patch('/translations/:id/:version/:locale/strings/:key', translator(), async (c) => {
    const p = parseWith(languageParams, c.req.param(), 'path');
    const body = await readJson(c, editBody);
    const ref = { instrumentId: p.id, version: p.version };
    return c.json(
      await editString(db, ref, p.locale, c.req.param('key'), body.text, staffId(c), clock.now()),
    );
  });

  app.post('/translations/:id/:version/:locale/status', translator(), async (c) => {
    const p = parseWith(languageParams, c.req.param(), 'path');
    const body = await readJson(c, statusBody);
    const ref = { instrumentId: p.id, version: p.version };
    return c.json(await changeStatus(db, ref, p.locale, body.keys, body.status, staffId(c), clock.now()));
  });

  app.post('/translations/:id/:version/:locale/comments', translator(), async (c) => {
    const p = parseWith(languageParams, c.req.param(), 'path');
    const body = await readJson(c, commentBody);
    const ref = { instrumentId: p.id, version: p.version };
    return c.json(await addComment(db, ref, p.locale, body.key, body.body, staffId(c), clock.now()), 201);
  });

  app.get('/translations/:id/:version/:locale/xliff', translator(), async (c) => {
    const p = parseWith(languageParams, c.req.param(), 'path');
    const xml = await downloadXliff(db, { instrumentId: p.id, version: p.version }, p.locale);
    c.header('content-type', 'application/xliff+xml; charset=utf-8');
    c.header('content-disposition', `attachment; filename="${p.id}-v${p.version}-${p.locale}.xlf"`);
    return c.body(xml);
  });

  app.post('/translations/:id/:version/:locale/xliff', translator(), async (c) => {
    const p = parseWith(languageParams, c.req.param(), 'path');
    if (!xmlTypes.test(c.req.header('content-type') ?? ''))
      throw new AppError(415, 'unsupported_media_type', 'Send the XLIFF file as application/xliff+xml.');
    const ref = { instrumentId: p.id, version: p.version };
    return c.json(await uploadXliff(db, ref, p.locale, await c.req.text(), staffId(c), clock.now()));
  });

  return app;
}
