// The e-mail a colleague gets when the chief executive delegates sections of the municipal survey to them.
import type { Config } from '../config.ts';
import {
  type Block,
  composeMail,
  createMailer,
  createWriter,
  escapeHtml,
  formatDate,
  loadTexts,
  type MailWriter,
  type RenderedMail,
  type Text,
} from '../fieldwork/mail.ts';
import { ConflictError } from '../http/errors.ts';

export interface DelegationMailContent {
  /** The language the chief executive picked for this colleague. */
  locale: string;
  surveyTitle: string;
  municipalityName: string;
  /** Titles of the delegated sections, in the mail's language. */
  sectionTitles: string[];
  /** The chief executive's own words, shown as written: never read as HTML or as a template. */
  message?: string | null;
  link: string;
  /** The municipality's deadline (the wave's close), in Oslo time; the mail reads well without it. */
  closesOn?: Date | null;
}

const quoteStyle = 'margin:0 0 16px;padding:12px 16px;background:#f2f4f7;border-radius:6px';

/** Section titles are data: escaped, and isolated, as a bokmål title may sit in a right-to-left mail. */
function sectionList(w: MailWriter, heading: Text, titles: string[]): Block {
  const items = titles.map((title) => title.replace(/\s+/g, ' ').trim());
  return {
    text: [w.text(heading), ...items.map((item) => `- ${item}`)].join('\n'),
    html: [
      w.para(heading).html,
      '<ul>',
      ...items.map((item) => `<li><bdi>${escapeHtml(item)}</bdi></li>`),
      '</ul>',
    ].join('\n'),
  };
}

/**
 * The chief executive's message under a label saying whose it is. It is in a language we do not know (often
 * bokmål in a mail in another language), so it gets `lang=""` (unknown) and `dir="auto"`.
 */
function personalMessage(w: MailWriter, label: Text, message: string): Block {
  const lines = message.split(/\r\n?|\n/);
  return {
    text: [w.text(label), ...lines.map((line) => (line ? `> ${line}` : '>'))].join('\n'),
    html: [
      w.strongPara(label).html,
      `<blockquote lang="" dir="auto" style="${quoteStyle}">${lines.map(escapeHtml).join('<br>\n')}</blockquote>`,
    ].join('\n'),
  };
}

/** No opt-out link: this is a work request from the recipient's own employer, not a survey invitation. */
export function renderDelegationMail(localesDir: string, content: DelegationMailContent): RenderedMail {
  const t = loadTexts(localesDir, content.locale);
  const body = t('delegation.body');
  const deadline = content.closesOn ? t('delegation.deadline') : null;
  const message = content.message?.trim();
  const w = createWriter(body.lang, {
    surveyTitle: content.surveyTitle,
    municipalityName: content.municipalityName,
    link: { url: content.link },
    closesOn: content.closesOn && deadline && formatDate(content.closesOn, deadline.lang),
  });
  return composeMail(w, {
    subject: t('delegation.subject'),
    blocks: [
      w.para(t('delegation.greeting')),
      w.para(body),
      sectionList(w, t('delegation.sections'), content.sectionTitles),
      ...(message ? [personalMessage(w, t('delegation.message'), message)] : []),
      ...(deadline ? [w.strongPara(deadline)] : []),
    ],
    button: t('delegation.button'),
    link: content.link,
    footer: [t('delegation.footer')],
  });
}

/**
 * Nodemailer's errors name rejected recipients (in the message and in `rejected`/`response`), and a caller that
 * logs the error would log the address: pass on only the message, with every address in it blanked.
 */
function withoutAddresses(err: unknown): Error {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  return Object.assign(new Error(message.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, '<address>')), {
    ...(typeof code === 'string' ? { code } : {}),
  });
}

/** Sends one delegation mail; the address goes to the SMTP server only, never to a log, the database or an error. */
export async function sendDelegationMail(
  config: Pick<Config, 'smtpUrl' | 'mailFrom'>,
  to: string,
  mail: RenderedMail,
): Promise<{ messageId: string }> {
  if (!config.smtpUrl)
    throw new ConflictError('smtp_not_configured', 'Set SMTP_URL to send e-mail to delegates.');
  const mailer = createMailer(config.smtpUrl);
  try {
    return await mailer.send(to, config.mailFrom, mail);
  } catch (err) {
    throw withoutAddresses(err);
  } finally {
    mailer.close();
  }
}
