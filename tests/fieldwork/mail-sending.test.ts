// Invitation and reminder e-mails through the send queue and a real SMTP server started here: each in the unit's
// language, none to units that opted out, units without an address in the round's list, every attempt in the send
// log (without the address).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFrame } from '../../server/fieldwork/frames.ts';
import { openWaveRound, remindRound } from '../../server/fieldwork/queue-rounds.ts';
import { runMailQueue } from '../../server/fieldwork/send.ts';
import { createWave } from '../../server/fieldwork/service.ts';
import { optOut } from '../../server/responses/service.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { publishMini } from '../helpers/fieldwork.ts';
import { type ReceivedMail, startSmtp, type TestSmtp, tokenIn } from '../helpers/smtp.ts';
import { type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';
import { isLive, sendConfig } from './send-fixtures.ts';

function decodeSubject(raw: string): string {
  const line = raw.match(/^Subject: (.*(?:\r\n[ \t].*)*)/m)![1]!.replace(/\r\n[ \t]/g, ' ');
  return line.replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text
            .replace(/_/g, ' ')
            .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

describe.each(backends())('sending fieldwork e-mail on $name', (backend) => {
  let t: TestDatabase;
  let w: SurveyWorkspace;
  let smtp: TestSmtp | undefined;
  let port: number;
  const received = (): ReceivedMail[] => smtp!.received;
  beforeAll(async () => {
    if (backend.skip) return;
    t = await backend.open();
    w = surveyWorkspace();
    smtp = await startSmtp();
    port = smtp.port;
  });
  afterAll(async () => {
    await smtp?.close();
    w?.remove();
    await t?.close();
  });

  it.skipIf(backend.skip)(
    'sends invitations in each language, skips opted-out units on reminders, logs every send',
    async () => {
      const instrumentId = await publishMini(t.db, w);
      const wave = await createWave(
        t.db,
        {
          instrumentId,
          version: 1,
          name: 'Mail',
          mode: 'census',
          locales: ['nb', 'nn', 'ar'],
          allowDraftLocales: true,
        },
        { kind: 'cli' },
      );
      const frame = Buffer.from(
        [
          'external_id;municipality_code;preferred_language;email',
          'a1;0301;ar;amina@example.no',
          'b1;0301;nb;bo@example.no',
          'c1;0301;nn;',
        ].join('\n'),
      );
      await importFrame(t.db, wave.id, { data: frame, name: 'f.csv' }, { kind: 'cli' }, new Date());
      const config = sendConfig(`smtp://127.0.0.1:${port}`);

      const opened = await openWaveRound(t.db, wave.id, { kind: 'cli' }, new Date(), { mail: true });
      expect(opened.links.map((l) => l.externalId)).toEqual(['c1']);
      expect(opened.queued).toBe(2);
      expect(await runMailQueue(t.db, config, wave.id)).toMatchObject({ sent: 2, failed: 0, skipped: 0 });
      const arabic = received().find((m) => m.to.includes('amina@example.no'))!;
      expect(decodeSubject(arabic.raw)).toMatch(/[\u0600-\u06FF]/);
      const bokmal = received().find((m) => m.to.includes('bo@example.no'))!;
      expect(decodeSubject(bokmal.raw)).toMatch(/undersøkelse/i);
      expect(await isLive(t.db, tokenIn(bokmal.raw))).toBe(true);

      await optOut(t.db, tokenIn(arabic.raw), new Date());
      const reminders = await remindRound(t.db, wave.id, { kind: 'cli' }, new Date(), { mail: true });
      expect(reminders).toMatchObject({ round: 2, queued: 1 });
      expect(reminders.links.map((r) => r.externalId)).toEqual(['c1']);
      received().length = 0;
      expect(await runMailQueue(t.db, config, wave.id)).toMatchObject({ sent: 1, failed: 0 });
      expect(received().map((m) => m.to[0])).toEqual(['bo@example.no']);

      const log = await t.db
        .selectFrom('mail_log')
        .selectAll()
        .where('wave_id', '=', wave.id)
        .orderBy('id')
        .execute();
      expect(log.map((l) => `${l.round} ${l.kind} ${l.locale} ${l.status}`).sort()).toEqual([
        '1 invitation ar sent',
        '1 invitation nb sent',
        '2 reminder nb sent',
      ]);
      expect(JSON.stringify(log)).not.toContain('@example.no');

      const unconfigured = await runMailQueue(t.db, { ...config, smtpUrl: null }, wave.id).catch((e) => e);
      expect(unconfigured.code).toBe('smtp_not_configured');
    },
  );
});
