// Sending invitation and reminder e-mails for a round of links, in each unit's language, with a send log that
// records the outcome but never the address. Units that opted out get nothing.
import type { Config } from '../config.ts';
import type { Db } from '../db/connect.ts';
import { ConflictError } from '../http/errors.ts';
import { displayText } from '../surveys/localizable.ts';
import type { IssuedLink } from './issue-links.ts';
import { linkUrl, optOutUrl } from './links.ts';
import { createMailer, type MailKind, renderMail } from './mail.ts';
import * as q from './queries.ts';

export interface SendResult {
  sent: number;
  failed: number;
  /** No e-mail address, or opted out. */
  skipped: number;
}

export async function sendWaveMail(
  db: Db,
  config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'publicBaseUrl' | 'localesDir'>,
  waveId: string,
  links: IssuedLink[],
  kind: MailKind,
): Promise<SendResult> {
  if (!config.smtpUrl)
    throw new ConflictError(
      'smtp_not_configured',
      'Set SMTP_URL to send e-mail, or use the distribution list.',
    );
  const wave = (await q.findWave(db, waveId))!;
  const definition = (
    await db
      .selectFrom('instrument_version')
      .select('definition')
      .where('id', '=', wave.instrument_version_id)
      .executeTakeFirstOrThrow()
  ).definition;
  const units = new Map((await q.listFrameUnits(db, waveId)).map((u) => [u.id, u]));
  const mailer = createMailer(config.smtpUrl);
  const result: SendResult = { sent: 0, failed: 0, skipped: 0 };
  try {
    for (const link of links) {
      const unit = units.get(link.frameUnitId);
      if (!unit?.email || unit.opted_out_at) {
        result.skipped += 1;
        continue;
      }
      const locale = link.locale ?? wave.locales[0]!;
      const mail = renderMail(config.localesDir, {
        kind,
        locale,
        surveyTitle: displayText(definition.title, locale),
        link: linkUrl(config.publicBaseUrl, link.token),
        optOutLink: optOutUrl(config.publicBaseUrl, link.token),
        closesOn: wave.closes_at,
      });
      const log = { wave_id: waveId, frame_unit_id: link.frameUnitId, kind, locale };
      try {
        const info = await mailer.send(unit.email, config.mailFrom, mail);
        await db
          .insertInto('mail_log')
          .values({ ...log, status: 'sent', message_id: info.messageId })
          .execute();
        result.sent += 1;
      } catch (err) {
        const error = (err as Error).message.slice(0, 500);
        await db
          .insertInto('mail_log')
          .values({ ...log, status: 'failed', error })
          .execute();
        result.failed += 1;
      }
    }
  } finally {
    mailer.close();
  }
  return result;
}
