// Mail rendering in every language, the locale files' completeness, and one real SMTP round trip.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, describe, expect, it } from 'vitest';
import { languages } from '../surveys/languages.ts';
import { createMailer, createWriter, type MailContent, renderMail } from './mail.ts';

const localesDir = resolve(import.meta.dirname, '../../locales');
const readMailTexts = (lng: string) =>
  JSON.parse(readFileSync(join(localesDir, lng, 'mail.json'), 'utf8')) as Record<string, string>;
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

const link = 'https://svar.example.no/s/Abc123?src=mail&x=1';
const optOutLink = 'https://svar.example.no/optout/Abc123';
const content = (overrides: Partial<MailContent> = {}): MailContent => ({
  kind: 'invitation',
  locale: 'nb',
  surveyTitle: 'Ny i Norge 2025',
  link,
  optOutLink,
  ...overrides,
});

describe('renderMail', () => {
  it('renders a bokmål invitation with the deadline, a real button link and the plain link', () => {
    const mail = renderMail(localesDir, content({ closesOn: new Date('2025-06-15T10:00:00Z') }));
    expect(mail.subject).toBe('Vil du svare på en undersøkelse? – Ny i Norge 2025');
    expect(mail.html).toContain('<html lang="nb" dir="ltr">');
    expect(mail.html).toContain('Svar innen <bdi>15. juni 2025</bdi>.');
    expect(mail.html).toMatch(
      /<a href="https:\/\/svar\.example\.no\/s\/Abc123\?src=mail&amp;x=1" style="[^"]+">Svar på undersøkelsen<\/a>/,
    );
    expect(mail.html).toContain(`>${optOutLink}</a>`);
    expect(mail.text).toContain('Hei!');
    expect(mail.text).toContain('Svar innen 15. juni 2025.');
    expect(mail.text).toContain(`Svar på undersøkelsen:\n${link}`);
    expect(mail.text).toContain(`Vil du ikke få flere e-poster om denne undersøkelsen? ${optOutLink}`);
    expect(`${mail.subject}${mail.text}${mail.html}`).not.toContain('{{');
  });

  it('leaves the deadline out when there is no date', () => {
    const mail = renderMail(localesDir, content({ closesOn: null }));
    expect(mail.text).not.toContain('Svar innen');
    expect(mail.html).not.toContain('Svar innen');
  });

  it('renders an Arabic invitation right to left, with an Arabic subject and an Arabic date', () => {
    const ar = readMailTexts('ar');
    const mail = renderMail(
      localesDir,
      content({ locale: 'ar', surveyTitle: 'الحياة في النرويج', closesOn: new Date('2025-06-15T10:00:00Z') }),
    );
    expect(mail.subject).toBe(ar['invitation.subject']!.replace('{{surveyTitle}}', 'الحياة في النرويج'));
    expect(mail.subject).toMatch(/^[\u0600-\u06FF]/);
    expect(mail.html).toContain('<html lang="ar" dir="rtl">');
    expect(mail.html).toContain(`<a href="${optOutLink}" dir="ltr">`);
    expect(mail.text).toContain('يونيو 2025');
    expect(mail.text).toContain(ar['invitation.greeting']);
  });

  it('renders a Tigrinya reminder in Ethiopic script, left to right', () => {
    const ti = readMailTexts('ti');
    const mail = renderMail(localesDir, content({ kind: 'reminder', locale: 'ti' }));
    expect(mail.subject).toBe(ti['reminder.subject']!.replace('{{surveyTitle}}', 'Ny i Norge 2025'));
    expect(mail.subject).toMatch(/[\u1200-\u137F]/);
    expect(mail.html).toContain('<html lang="ti" dir="ltr">');
    expect(mail.text).toContain(ti['invitation.button']);
  });

  it('escapes every interpolated value in the HTML, and keeps the subject plain', () => {
    const title = '<script>alert("x")</script> & co';
    const mail = renderMail(localesDir, content({ surveyTitle: title }));
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
    expect(mail.subject).toContain(title);
    expect(() => renderMail(localesDir, content({ link: 'javascript:alert(1)' }))).toThrow(/http/);
  });

  it('falls back to bokmål, never English, for an unknown language', () => {
    const mail = renderMail(localesDir, content({ locale: 'de' }));
    expect(mail.subject).toBe('Vil du svare på en undersøkelse? – Ny i Norge 2025');
    expect(mail.html).toContain('<html lang="nb" dir="ltr">');
    expect(renderMail(localesDir, content({ locale: '../nb' })).subject).toBe(mail.subject);
  });

  it('falls back to bokmål key by key, marking the paragraph as bokmål', () => {
    const dir = mkdtempSync(join(tmpdir(), 'svar-mail-'));
    try {
      cpSync(join(localesDir, 'nb', 'mail.json'), join(dir, 'nb', 'mail.json'));
      const { 'footer.ignore': _, ...partial } = readMailTexts('ar');
      mkdirSync(join(dir, 'ar'));
      writeFileSync(join(dir, 'ar', 'mail.json'), JSON.stringify(partial));
      const mail = renderMail(dir, content({ locale: 'ar' }));
      expect(mail.html).toContain('<html lang="ar" dir="rtl">');
      expect(mail.html).toContain('<p lang="nb" dir="ltr" style="font-size:14px;color:#4a4a4a">Har du fått');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('renderMail for a municipality', () => {
  const municipal = (o: Partial<MailContent> = {}) =>
    content({ audience: 'municipality', surveyTitle: 'Kommuneundersøkelsen', ...o });

  it('writes to the chief executive, without the participant letter’s promises', () => {
    for (const locale of ['nb', 'nn', 'en']) {
      for (const kind of ['invitation', 'reminder'] as const) {
        const mail = renderMail(localesDir, municipal({ locale, kind }));
        const participant = renderMail(
          localesDir,
          content({ locale, kind, surveyTitle: 'Kommuneundersøkelsen' }),
        );
        expect(mail.subject).not.toBe(participant.subject);
        expect(mail.text).not.toMatch(/10–15|penge|money|pengane|hjelp/);
        expect(mail.text).toMatch(/kommunedirektøren|chief executive/);
      }
    }
    expect(renderMail(localesDir, municipal()).subject).toBe('Kommunen bes svare – Kommuneundersøkelsen');
  });

  it("uses the instrument's own text where it has one, the audience's elsewhere", () => {
    const mail = renderMail(localesDir, municipal({ locale: 'nn', instrumentId: 'municipal-survey' }));
    expect(mail.text).toContain('Som kommunedirektør svarer du på del A');
    expect(mail.text).toContain('Til kommunedirektøren');
    expect(renderMail(localesDir, municipal({ instrumentId: 'some-other-survey' })).text).not.toContain(
      'del A',
    );
  });

  it("falls back to the chief executive's letter in bokmål, never to the participant letter in the language", () => {
    const dir = mkdtempSync(join(tmpdir(), 'svar-mail-'));
    try {
      cpSync(join(localesDir, 'nb', 'mail.json'), join(dir, 'nb', 'mail.json'));
      const partial = Object.fromEntries(
        Object.entries(readMailTexts('en')).filter(([k]) => !k.startsWith('municipality.')),
      );
      mkdirSync(join(dir, 'en'));
      writeFileSync(join(dir, 'en', 'mail.json'), JSON.stringify(partial));
      const mail = renderMail(dir, municipal({ locale: 'en' }));
      expect(mail.text).toContain('Til kommunedirektøren');
      expect(mail.text).toContain('Vi ber kommunen svare');
      expect(mail.text).toContain('Svar for kommunen');
      // A text every audience shares stays in the mail's language.
      expect(mail.html).toContain('<p lang="en" dir="ltr" style="font-size:14px;color:#4a4a4a">Don’t want');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('createWriter', () => {
  const w = createWriter('ar', {
    title: 'Line one\n  <two> ',
    link: { url: link },
    date: '15\u00a0juni',
    none: null,
  });
  const ar = (value: string) => ({ value, lang: 'ar' });

  it('puts a value on one line in the text and escapes and isolates it in the HTML', () => {
    expect(w.text(ar('{{title}} – {{date}}'))).toBe('Line one <two> – 15\u00a0juni');
    expect(w.html(ar('<{{title}}>'))).toBe('&lt;<bdi>Line one &lt;two&gt;</bdi>&gt;');
    expect(w.html(ar('{{link}}'))).toBe(
      `<a href="${link.replace('&', '&amp;')}" dir="ltr">${link.replace('&', '&amp;')}</a>`,
    );
  });

  it('leaves unknown, empty and inherited names as written', () => {
    expect(w.text(ar('{{nope}} {{none}} {{constructor}} {{toString}}'))).toBe(
      '{{nope}} {{none}} {{constructor}} {{toString}}',
    );
  });

  it('marks only a text in another language than the mail', () => {
    expect(w.para(ar('x')).html).toBe('<p>x</p>');
    expect(w.para({ value: 'x', lang: 'nb' }).html).toBe('<p lang="nb" dir="ltr">x</p>');
  });

  it('refuses a link value that is not http(s)', () => {
    expect(() => createWriter('nb', { optOutLink: { url: 'data:text/html,x' } })).toThrow(/optOutLink.*http/);
  });
});

describe('locales/<lng>/mail.json', () => {
  const nb = readMailTexts('nb');
  it.each(languages.map((l) => l.code))('%s has exactly the bokmål keys and placeholders', (lng) => {
    const texts = readMailTexts(lng);
    expect(Object.keys(texts).sort()).toEqual(Object.keys(nb).sort());
    for (const [key, source] of Object.entries(nb)) {
      expect(texts[key]?.trim(), key).toBeTruthy();
      expect(placeholders(texts[key]!), key).toEqual(placeholders(source));
    }
  });
});

/** Decodes RFC 2047 encoded words; adjacent ones are joined as bytes, as a multibyte character may be split. */
function decodeHeader(value: string): string {
  const decodeWord = (word: string) => {
    const [, , encoding, data = ''] = word.split('?');
    return encoding?.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64')
      : decodeQuotedPrintableBytes(data.replace(/_/g, '=20'));
  };
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/(=\?utf-8\?[BQ]\?[^?]*\?=)+/gi, (run) =>
      Buffer.concat((run.match(/=\?utf-8\?[BQ]\?[^?]*\?=/gi) ?? []).map(decodeWord)).toString('utf8'),
    );
}

function decodeQuotedPrintableBytes(s: string): Buffer {
  const src = s.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < src.length; i++) {
    const hex = src.slice(i + 1, i + 3);
    if (src[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else bytes.push(src.charCodeAt(i));
  }
  return Buffer.from(bytes);
}

function header(raw: string, name: string): string | undefined {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  return new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1];
}

function textPart(raw: string): string {
  const start = raw.search(/^Content-Type: text\/plain/im);
  const headEnd = raw.indexOf('\r\n\r\n', start);
  const body = raw.slice(headEnd + 4, raw.indexOf('\r\n--', headEnd));
  const encoding = /^Content-Transfer-Encoding: (\S+)/im.exec(raw.slice(start, headEnd))?.[1]?.toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintableBytes(body).toString('utf8');
  return body;
}

describe('createMailer', () => {
  const received: { rcptTo: string[]; raw: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('sends an Arabic invitation over SMTP with a UTF-8 subject and the link', async () => {
    const port = await new Promise<number>((done) => {
      const listening = server.listen(0, '127.0.0.1', () => done((listening.address() as AddressInfo).port));
    });
    const mail = renderMail(localesDir, content({ locale: 'ar', surveyTitle: 'الحياة في النرويج' }));
    const mailer = createMailer(`smtp://127.0.0.1:${port}`);
    try {
      const { messageId } = await mailer.send('ahmad@example.org', 'Svar <noreply@svar.example.no>', mail);
      expect(messageId).toMatch(/^<.+@.+>$/);
    } finally {
      mailer.close();
    }

    expect(received).toHaveLength(1);
    const { rcptTo, raw } = received[0]!;
    expect(rcptTo).toEqual(['ahmad@example.org']);
    expect(header(raw, 'To')).toBe('ahmad@example.org');
    const subject = header(raw, 'Subject')!;
    expect(subject).toMatch(/=\?UTF-8\?[BQ]\?/i);
    expect(decodeHeader(subject)).toBe(mail.subject);
    expect(textPart(raw)).toBe(mail.text);
    expect(textPart(raw)).toContain(link);
  });

  it('refuses a URL that is not smtp:// or smtps://, without echoing it', () => {
    expect(() => createMailer('http://user:secret@mail.example')).toThrow(/^((?!secret).)*$/);
  });
});
