// Invitation and reminder e-mails: rendered from locales/<lng>/mail.json in the respondent's language, sent by SMTP.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { directionOf } from '../surveys/languages.ts';

export type MailKind = 'invitation' | 'reminder';

export interface MailContent {
  kind: MailKind;
  locale: string;
  surveyTitle: string;
  link: string;
  optOutLink: string;
  /** Shown as "answer by …" (in Oslo time) when present; the mail reads well without it. */
  closesOn?: Date | null;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const sourceLocale = 'nb';
/** The shape of every code in languages.ts; anything else (and so anything that could leave the folder) is unknown. */
const localePattern = /^[a-z]{2,3}$/;

/** A text and the language it is really in (the source language when the translation lacks the key). */
interface Text {
  value: string;
  lang: string;
}

function readTexts(localesDir: string, locale: string): Record<string, unknown> {
  if (!localePattern.test(locale)) return {};
  try {
    return JSON.parse(readFileSync(join(localesDir, locale, 'mail.json'), 'utf8')) as Record<string, unknown>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
}

/** Looks a key up in the mail's language, then in bokmål, never in English: a recipient may not read English. */
function loadTexts(localesDir: string, locale: string): (key: string) => Text {
  const source = readTexts(localesDir, sourceLocale);
  const own = locale === sourceLocale ? source : readTexts(localesDir, locale);
  return (key) => {
    const value = own[key];
    if (typeof value === 'string' && value.trim() !== '') return { value, lang: locale };
    const fallback = source[key];
    if (typeof fallback !== 'string') throw new Error(`locales/${sourceLocale}/mail.json has no "${key}"`);
    return { value: fallback, lang: sourceLocale };
  };
}

/** Fills {{name}} placeholders; `literal` transforms the template's own text, `value` renders a placeholder. */
function interpolate(
  template: string,
  value: (name: string) => string | undefined,
  literal = (s: string) => s,
) {
  return template
    .split(/\{\{(\w+)\}\}/)
    .map((part, i) => (i % 2 === 0 ? literal(part) : (value(part) ?? literal(`{{${part}}}`))))
    .join('');
}

function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Gregorian and in Oslo time in every language (Persian and Pashto would default to the Solar Hijri calendar). */
function formatDate(date: Date, lang: string): string {
  const locale = Intl.DateTimeFormat.supportedLocalesOf([lang]).length > 0 ? lang : 'nb-NO';
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'long',
    calendar: 'gregory',
    timeZone: 'Europe/Oslo',
  }).format(date);
}

function assertWebLink(name: string, url: string): void {
  const { protocol } = new URL(url);
  if (protocol !== 'https:' && protocol !== 'http:') throw new Error(`${name} must be an http(s) URL`);
}

const fontFamily =
  "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans Arabic', 'Noto Sans Ethiopic', Arial, sans-serif";
const buttonStyle =
  'display:inline-block;padding:12px 24px;background:#1f4e8c;color:#ffffff;font-weight:bold;text-decoration:none;border-radius:6px';

export function renderMail(localesDir: string, content: MailContent): RenderedMail {
  assertWebLink('link', content.link);
  assertWebLink('optOutLink', content.optOutLink);
  const t = loadTexts(localesDir, content.locale);
  const title = content.surveyTitle.replace(/\s+/g, ' ').trim();
  const body = t(`${content.kind}.body`);
  const lang = body.lang;
  const dir = directionOf(lang);
  const deadline = content.closesOn ? t('invitation.deadline') : null;
  const closesOn = content.closesOn && deadline ? formatDate(content.closesOn, deadline.lang) : undefined;
  const plain: Record<string, string | undefined> = {
    surveyTitle: title,
    link: content.link,
    optOutLink: content.optOutLink,
    closesOn,
  };
  const anchor = (url: string) => `<a href="${escapeHtml(url)}" dir="ltr">${escapeHtml(url)}</a>`;
  const rich: Record<string, string | undefined> = {
    surveyTitle: `<bdi>${escapeHtml(title)}</bdi>`,
    link: anchor(content.link),
    optOutLink: anchor(content.optOutLink),
    closesOn: closesOn && `<bdi>${escapeHtml(closesOn)}</bdi>`,
  };
  const text = (x: Text) => interpolate(x.value, (name) => plain[name]);
  const html = (x: Text) => interpolate(x.value, (name) => rich[name], escapeHtml);
  // A paragraph that fell back to bokmål says so, so screen readers pronounce it right.
  const langAttrs = (x: Text) => (x.lang === lang ? '' : ` lang="${x.lang}" dir="${directionOf(x.lang)}"`);
  const para = (x: Text, style = '') => `<p${langAttrs(x)}${style && ` style="${style}"`}>${html(x)}</p>`;

  const subject = text(t(`${content.kind}.subject`));
  const greeting = t('invitation.greeting');
  const button = t('invitation.button');
  const footer = [t('footer.privacy'), t('footer.ignore'), t('footer.optout')];

  const textBody = [
    text(greeting),
    text(body),
    ...(deadline ? [text(deadline)] : []),
    `${text(button)}:\n${content.link}`,
    `-- \n${footer.map(text).join('\n')}`,
  ].join('\n\n');

  const htmlBody = [
    '<!DOCTYPE html>',
    `<html lang="${lang}" dir="${dir}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title>`,
    '</head>',
    `<body style="margin:0;padding:24px 16px;background:#ffffff;color:#1a1a1a;font-family:${fontFamily};font-size:16px;line-height:1.5">`,
    '<div style="max-width:600px;margin:0 auto">',
    para(greeting),
    para(body),
    ...(deadline ? [`<p${langAttrs(deadline)}><strong>${html(deadline)}</strong></p>`] : []),
    `<p style="margin:24px 0"><a href="${escapeHtml(content.link)}" style="${buttonStyle}"${langAttrs(button)}>${html(button)}</a></p>`,
    `<p>${anchor(content.link)}</p>`,
    '<hr>',
    ...footer.map((x) => para(x, 'font-size:14px;color:#4a4a4a')),
    '</div>',
    '</body>',
    '</html>',
  ].join('\n');

  return { subject, text: textBody, html: htmlBody };
}

export interface Mailer {
  send(to: string, from: string, mail: RenderedMail): Promise<{ messageId: string }>;
  close(): void;
}

/** A nodemailer transport from SMTP_URL (smtp:// or smtps://, with optional user:pass@). */
export function createMailer(smtpUrl: string): Mailer {
  // The URL may hold a password: errors state the rule, never the URL (Node's URL error carries it as `input`).
  const protocol = URL.canParse(smtpUrl) ? new URL(smtpUrl).protocol : null;
  if (protocol !== 'smtp:' && protocol !== 'smtps:')
    throw new Error('SMTP_URL must be an smtp:// or smtps:// URL');
  const transport = createTransport(smtpUrl);
  return {
    async send(to, from, mail) {
      const info = await transport.sendMail({
        to,
        from,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
      });
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}
