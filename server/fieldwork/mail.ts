// Svar's e-mails: shared rendering (mail.json texts, bokmål fallback, one layout), invitations and reminders, SMTP.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { directionOf } from '../surveys/languages.ts';

export type MailKind = 'invitation' | 'reminder';

/** Who reads the mail: a participant, or the chief executive answering for a municipality. */
export type MailAudience = 'participant' | 'municipality';

export interface MailContent {
  kind: MailKind;
  locale: string;
  /** The instrument's own texts (`<instrument id>.<key>`) win over the audience's; none given: the audience's. */
  instrumentId?: string;
  /** The participant letter when not given. */
  audience?: MailAudience;
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
const localePattern = /^[a-z]{2,3}(-[A-Z][a-z]{3})?$/;

/** A text and the language it is really in (the source language when the translation lacks the key). */
export interface Text {
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

/**
 * Looks a key up in the mail's language, then in bokmål, never in English: a recipient may not read English.
 * `prefixes` name more specific texts (`municipality.`, `<instrument id>.`), most specific first: each is looked
 * for in the mail's language and then in bokmål before the plain key, so a chief executive never gets the
 * participant letter because one language lacks the chief executive's.
 */
export function loadTexts(
  localesDir: string,
  locale: string,
  prefixes: string[] = [],
): (key: string) => Text {
  const source = readTexts(localesDir, sourceLocale);
  const own = locale === sourceLocale ? source : readTexts(localesDir, locale);
  const find = (texts: Record<string, unknown>, key: string, lang: string): Text | null => {
    const value = texts[key];
    return typeof value === 'string' && value.trim() !== '' ? { value, lang } : null;
  };
  return (key) => {
    for (const prefix of prefixes) {
      const hit = find(own, `${prefix}${key}`, locale) ?? find(source, `${prefix}${key}`, sourceLocale);
      if (hit) return hit;
    }
    const hit = find(own, key, locale) ?? find(source, key, sourceLocale);
    if (!hit) throw new Error(`locales/${sourceLocale}/mail.json has no "${key}"`);
    return hit;
  };
}

/** The text prefixes of a fieldwork mail: the instrument's own texts, then its audience's. */
export function mailPrefixes(content: Pick<MailContent, 'instrumentId' | 'audience'>): string[] {
  return [
    ...(content.instrumentId ? [`${content.instrumentId}.`] : []),
    ...(content.audience === 'municipality' ? ['municipality.'] : []),
  ];
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

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Gregorian and in Oslo time in every language (Persian and Pashto would default to the Solar Hijri calendar). */
export function formatDate(date: Date, lang: string): string {
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

/** Links read left to right in every language, and show their address so it can be copied. */
const anchor = (url: string) => `<a href="${escapeHtml(url)}" dir="ltr">${escapeHtml(url)}</a>`;

/** A placeholder's value: text (isolated in HTML, as it may run the other way than the mail), or a web link. */
export type Placeholder = string | { url: string } | null | undefined;

/** One part of a mail's body, as plain text and as HTML. */
export interface Block {
  text: string;
  html: string;
}

/** Renders texts of one mail with its placeholder values, as plain text and as HTML. */
export interface MailWriter {
  /** The mail's language: its body's, so a mail whose body fell back to bokmål is marked as bokmål. */
  lang: string;
  text(x: Text): string;
  html(x: Text): string;
  /** ` lang=… dir=…` for a text that fell back to bokmål, so screen readers pronounce it right; else empty. */
  langAttrs(x: Text): string;
  para(x: Text, style?: string): Block;
  strongPara(x: Text): Block;
}

/** Values land in the subject header too, where a line break would end it; no-break spaces (in dates) stay. */
const oneLine = (s: string) => s.replace(/[^\S\u00a0\u2007\u202f]+/g, ' ').trim();

export function createWriter(lang: string, values: Record<string, Placeholder>): MailWriter {
  const plain = new Map<string, string>();
  const rich = new Map<string, string>();
  for (const [name, v] of Object.entries(values)) {
    if (v == null) continue;
    if (typeof v === 'string') {
      plain.set(name, oneLine(v));
      rich.set(name, `<bdi>${escapeHtml(oneLine(v))}</bdi>`);
    } else {
      assertWebLink(name, v.url);
      plain.set(name, v.url);
      rich.set(name, anchor(v.url));
    }
  }
  const w: MailWriter = {
    lang,
    text: (x) => interpolate(x.value, (name) => plain.get(name)),
    html: (x) => interpolate(x.value, (name) => rich.get(name), escapeHtml),
    langAttrs: (x) => (x.lang === lang ? '' : ` lang="${x.lang}" dir="${directionOf(x.lang)}"`),
    para: (x, style = '') => ({
      text: w.text(x),
      html: `<p${w.langAttrs(x)}${style && ` style="${style}"`}>${w.html(x)}</p>`,
    }),
    strongPara: (x) => ({ text: w.text(x), html: `<p${w.langAttrs(x)}><strong>${w.html(x)}</strong></p>` }),
  };
  return w;
}

/** What every mail has: a subject, its own body, one button to a personal link, and a footer. */
export interface MailLayout {
  subject: Text;
  blocks: Block[];
  button: Text;
  link: string;
  footer: Text[];
}

const fontFamily =
  "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans Arabic', 'Noto Sans Ethiopic', Arial, sans-serif";
const buttonStyle =
  'display:inline-block;padding:12px 24px;background:#1f4e8c;color:#ffffff;font-weight:bold;text-decoration:none;border-radius:6px';
const footerStyle = 'font-size:14px;color:#4a4a4a';

function htmlPage(lang: string, title: string, parts: string[]): string {
  return [
    '<!DOCTYPE html>',
    `<html lang="${lang}" dir="${directionOf(lang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    '</head>',
    `<body style="margin:0;padding:24px 16px;background:#ffffff;color:#1a1a1a;font-family:${fontFamily};font-size:16px;line-height:1.5">`,
    '<div style="max-width:600px;margin:0 auto">',
    ...parts,
    '</div>',
    '</body>',
    '</html>',
  ].join('\n');
}

export function composeMail(w: MailWriter, layout: MailLayout): RenderedMail {
  assertWebLink('link', layout.link);
  const subject = w.text(layout.subject);
  const { button, link } = layout;
  const text = [
    ...layout.blocks.map((b) => b.text),
    `${w.text(button)}:\n${link}`,
    `-- \n${layout.footer.map(w.text).join('\n')}`,
  ].join('\n\n');
  const html = htmlPage(w.lang, subject, [
    ...layout.blocks.map((b) => b.html),
    `<p style="margin:24px 0"><a href="${escapeHtml(link)}" style="${buttonStyle}"${w.langAttrs(button)}>${w.html(button)}</a></p>`,
    `<p>${anchor(link)}</p>`,
    '<hr>',
    ...layout.footer.map((x) => w.para(x, footerStyle).html),
  ]);
  return { subject, text, html };
}

export function renderMail(localesDir: string, content: MailContent): RenderedMail {
  const t = loadTexts(localesDir, content.locale, mailPrefixes(content));
  const body = t(`${content.kind}.body`);
  const deadline = content.closesOn ? t('invitation.deadline') : null;
  const w = createWriter(body.lang, {
    surveyTitle: content.surveyTitle,
    link: { url: content.link },
    optOutLink: { url: content.optOutLink },
    closesOn: content.closesOn && deadline && formatDate(content.closesOn, deadline.lang),
  });
  return composeMail(w, {
    subject: t(`${content.kind}.subject`),
    blocks: [w.para(t('invitation.greeting')), w.para(body), ...(deadline ? [w.strongPara(deadline)] : [])],
    button: t('invitation.button'),
    link: content.link,
    footer: [t('footer.privacy'), t('footer.ignore'), t('footer.optout')],
  });
}

export interface Mailer {
  send(to: string, from: string, mail: RenderedMail): Promise<{ messageId: string }>;
  close(): void;
}

/**
 * A nodemailer transport from SMTP_URL (smtp:// or smtps://, with optional user:pass@ and nodemailer's options as
 * query parameters). `connections` > 1 keeps that many connections open (a pool) for a send queue's workers.
 */
export function createMailer(smtpUrl: string, opts: { connections?: number } = {}): Mailer {
  // The URL may hold a password: errors state the rule, never the URL (Node's URL error carries it as `input`).
  const url = URL.canParse(smtpUrl) ? new URL(smtpUrl) : null;
  if (url?.protocol !== 'smtp:' && url?.protocol !== 'smtps:')
    throw new Error('SMTP_URL must be an smtp:// or smtps:// URL');
  // A hung server must fail a send well within the sender's lease (send.ts), so another sender never takes over
  // a mail still on its way; nodemailer waits up to ten minutes by default.
  const defaults: Record<string, string> = {
    connectionTimeout: '30000',
    greetingTimeout: '30000',
    socketTimeout: '60000',
  };
  if ((opts.connections ?? 1) > 1)
    Object.assign(defaults, { pool: 'true', maxConnections: String(opts.connections) });
  for (const [k, v] of Object.entries(defaults)) if (!url.searchParams.has(k)) url.searchParams.set(k, v);
  const transport = createTransport(url.toString());
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
