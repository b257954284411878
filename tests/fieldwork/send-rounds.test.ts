// Rounds of links over the API and in the service: --send refused up front without SMTP, a round's distribution
// list produced again (new links for units never mailed and never opened, the old ones revoked, audited), and a
// municipal wave's mail written to a chief executive.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { relistRound } from '../../server/fieldwork/links.ts';
import * as q from '../../server/fieldwork/queries.ts';
import { openWaveRound, remindRound } from '../../server/fieldwork/queue-rounds.ts';
import { runMailQueue } from '../../server/fieldwork/send.ts';
import { createStaff, jsonRequest, logInAs, makeApp } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { openMunicipalWave } from '../helpers/municipal.ts';
import { type MisbehavingSmtp, mailText, startMisbehavingSmtp } from '../helpers/smtp.ts';
import { type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';
import { cli, isLive, sendConfig, tokensIn, waveWithContacts } from './send-fixtures.ts';

describe.each(backends())('rounds of links on $name', (backend) => {
  let t: TestDatabase;
  let w: SurveyWorkspace;
  let server: MisbehavingSmtp | undefined;
  beforeAll(async () => {
    if (!backend.skip) t = await backend.open();
  });
  afterAll(async () => t?.close());
  beforeEach(() => {
    w = surveyWorkspace();
  });
  afterEach(async () => {
    w.remove();
    await server?.close();
    server = undefined;
  });

  it.skipIf(backend.skip)(
    'refuses to open with send when SMTP is not set, before anything is issued; a lost list is produced again',
    async () => {
      const app = makeApp(t);
      const admin = await createStaff(t.db, { role: 'admin' });
      const a = await logInAs(app, admin.email, admin.password);
      const asAdmin = { cookie: a.cookie, 'x-csrf-token': a.csrfToken };
      const wave = await waveWithContacts(t.db, w, [{ id: 'a', email: 'a@example.no' }, { id: 'b' }]);
      const post = (path: string, body: unknown) =>
        app.request(`/api/v1/waves/${wave.id}${path}`, jsonRequest('POST', body, asAdmin));

      const refused = await post('/open', { send: true });
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as { code: string }).code).toBe('smtp_not_configured');
      expect((await q.findWave(t.db, wave.id))!.status).toBe('draft');
      for (const table of ['invitation', 'wave_round', 'mail_queue'] as const)
        expect(
          await t.db.selectFrom(table).select('wave_id').where('wave_id', '=', wave.id).execute(),
        ).toEqual([]);
      expect((await post('/send', {})).status).toBe(409);

      const opened = await post('/open', { send: false });
      expect(opened.headers.get('svar-round')).toBe('1');
      const lost = tokensIn(await opened.text());
      expect(lost).toHaveLength(2);

      const rounds = await app.request(`/api/v1/waves/${wave.id}/rounds`, { headers: asAdmin });
      expect(((await rounds.json()) as { rounds: unknown[] }).rounds).toMatchObject([
        { number: 1, kind: 'invitation', live_links: 2, queued: 0, mailed: 0 },
      ]);
      const again = await post('/rounds/1/links', {});
      expect(again.headers.get('svar-round')).toBe('1');
      const fresh = tokensIn(await again.text());
      expect(fresh).toHaveLength(2);
      for (const token of lost) expect(await isLive(t.db, token)).toBe(false);
      for (const token of fresh) expect(await isLive(t.db, token)).toBe(true);
      expect((await post('/rounds/2/links', {})).status).toBe(404);
    },
  );

  it.skipIf(backend.skip)(
    'a round listed again leaves out mailed units and opened links, and takes in units whose mail failed for good',
    async () => {
      const wave = await waveWithContacts(t.db, w, [
        { id: 'a', email: 'a@example.no' },
        { id: 'b', email: 'b@example.no' },
        { id: 'c' },
        { id: 'd' },
      ]);
      const r = await openWaveRound(t.db, wave.id, cli, new Date(), { mail: true });
      expect(r.links.map((l) => l.externalId)).toEqual(['c', 'd']);
      server = await startMisbehavingSmtp({ reply: (to) => (to === 'b@example.no' ? 550 : undefined) });
      await runMailQueue(t.db, sendConfig(server.url), wave.id);
      const mailedA = server.accepted[0]!.token;
      const [c, d] = r.links;
      await t.db
        .updateTable('invitation')
        .set({ opened_at: new Date() })
        .where('round', '=', 1)
        .where('frame_unit_id', '=', c!.frameUnitId)
        .execute();

      const relisted = await relistRound(t.db, wave.id, 1, cli, new Date());
      expect(relisted.links.map((l) => l.externalId)).toEqual(['b', 'd']);
      expect(relisted.opened).toBe(1);
      expect(await isLive(t.db, mailedA)).toBe(true);
      expect(await isLive(t.db, c!.token)).toBe(true);
      expect(await isLive(t.db, d!.token)).toBe(false);
      for (const l of relisted.links) expect(await isLive(t.db, l.token)).toBe(true);
      const audit = await t.db
        .selectFrom('audit_event')
        .select('details')
        .where('action', '=', 'wave.round_relisted')
        .where('subject_id', '=', wave.id)
        .executeTakeFirstOrThrow();
      expect(audit.details).toEqual({ round: 1, links: 2, opened: 1 });
      expect((await relistRound(t.db, wave.id, 7, cli, new Date()).catch((e) => e)).code).toBe(
        'round_not_found',
      );
    },
  );

  it.skipIf(backend.skip)("a municipal wave's reminder is the chief executive's letter", async () => {
    const m = await openMunicipalWave(t.db, w);
    for (const code of ['030101', '4601'])
      await q.upsertContact(
        t.db,
        m.unitId(code),
        { name: null, email: `post@${code}.kommune.no`, phone: null },
        new Date(),
      );
    const round = await remindRound(t.db, m.wave.id, cli, new Date(), { mail: true });
    expect(round).toMatchObject({ round: 2, kind: 'reminder', queued: 2 });
    server = await startMisbehavingSmtp();
    expect(await runMailQueue(t.db, sendConfig(server.url), m.wave.id)).toMatchObject({ sent: 2 });
    for (const mail of server.accepted) {
      const text = mailText(mail.raw);
      expect(text).toContain('Til kommunedirektøren');
      expect(text).toContain('Vi har ikke fått kommunens svar ennå');
      expect(text).not.toMatch(/pengene|hjelpen du får|10–15 minutter/);
    }
  });
});
