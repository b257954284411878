// The delegation e-mail: rendered in the chief executive's choice of language, the message kept literal, and sent.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtp, type TestSmtp } from '../../tests/helpers/smtp.ts';
import { languages } from '../surveys/languages.ts';
import { type DelegationMailContent, renderDelegationMail, sendDelegationMail } from './mail.ts';

const localesDir = resolve(import.meta.dirname, '../../locales');
const readMailTexts = (lng: string) =>
  JSON.parse(readFileSync(join(localesDir, lng, 'mail.json'), 'utf8')) as Record<string, string>;

const link = 'https://svar.example.no/d/Xyz789?src=mail&x=1';
const content = (overrides: Partial<DelegationMailContent> = {}): DelegationMailContent => ({
  locale: 'nb',
  surveyTitle: 'Kommuneundersøkelsen 2025',
  municipalityName: 'Bergen kommune',
  sectionTitles: ['Barnehage', 'Helse og omsorg'],
  link,
  ...overrides,
});
const june15 = new Date('2025-06-15T10:00:00Z');

/** A temporary locales folder: bokmål as it is, and `lng` without `missing` keys. */
function localesWithout(lng: string, missing: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'svar-delegation-mail-'));
  cpSync(join(localesDir, 'nb', 'mail.json'), join(dir, 'nb', 'mail.json'));
  const texts = readMailTexts(lng);
  for (const key of missing) delete texts[key];
  mkdirSync(join(dir, lng));
  writeFileSync(join(dir, lng, 'mail.json'), JSON.stringify(texts));
  return dir;
}

describe('renderDelegationMail', () => {
  it('renders a bokmål request naming the municipality, the survey, the sections, the deadline and the link', () => {
    const mail = renderDelegationMail(localesDir, content({ closesOn: june15 }));
    expect(mail.subject).toBe('Kan du svare på deler av «Kommuneundersøkelsen 2025» for Bergen kommune?');
    expect(mail.html).toContain('<html lang="nb" dir="ltr">');
    expect(mail.text).toContain(
      'Kommunedirektøren i Bergen kommune ber deg svare på noen deler av undersøkelsen',
    );
    expect(mail.html).toContain('Kommunedirektøren i <bdi>Bergen kommune</bdi> ber deg');
    expect(mail.html).toContain(
      '<ul>\n<li><bdi>Barnehage</bdi></li>\n<li><bdi>Helse og omsorg</bdi></li>\n</ul>',
    );
    expect(mail.text).toContain('Du er bedt om å svare på disse delene:\n- Barnehage\n- Helse og omsorg');
    expect(mail.html).toContain('<strong>Kommunen må svare innen <bdi>15. juni 2025</bdi>.');
    expect(mail.html).toMatch(
      /<a href="https:\/\/svar\.example\.no\/d\/Xyz789\?src=mail&amp;x=1" style="[^"]+">Svar på delene dine<\/a>/,
    );
    expect(mail.text).toContain(`Svar på delene dine:\n${link}`);
    expect(mail.text).toContain('Lenken er personlig');
    expect(`${mail.subject}${mail.text}${mail.html}`).not.toContain('{{');
  });

  it('has no opt-out link and none of the participant survey’s wording', () => {
    for (const locale of ['nb', 'en', 'ar']) {
      const texts = readMailTexts(locale);
      const mail = renderDelegationMail(localesDir, content({ locale, closesOn: june15 }));
      const all = `${mail.subject}\n${mail.text}\n${mail.html}`;
      expect(all).not.toContain(texts['footer.optout']!.split('{{')[0]);
      expect(all).not.toContain(texts['footer.privacy']);
      expect(all).not.toMatch(/optout|opt-out|10–15|10 إلى 15/i);
      expect(
        all.match(/https?:\/\/[^\s"<]+/g)!.every((url) => url.startsWith('https://svar.example.no/d/')),
      ).toBe(true);
    }
  });

  it('renders an English request', () => {
    const mail = renderDelegationMail(localesDir, content({ locale: 'en', municipalityName: 'Tromsø' }));
    expect(mail.subject).toBe('Can you answer some sections of “Kommuneundersøkelsen 2025” for Tromsø?');
    expect(mail.html).toContain('<html lang="en" dir="ltr">');
    expect(mail.text).toContain('The chief executive of Tromsø asks you to answer some sections');
    expect(mail.text).toContain('press “I am done”');
    expect(mail.text).not.toContain('Please answer well before');
  });

  it('renders an Arabic request right to left, with its date in Arabic and the link left to right', () => {
    const ar = readMailTexts('ar');
    const mail = renderDelegationMail(localesDir, content({ locale: 'ar', closesOn: june15 }));
    expect(mail.subject).toBe(
      ar['delegation.subject']!.replace('{{surveyTitle}}', 'Kommuneundersøkelsen 2025').replace(
        '{{municipalityName}}',
        'Bergen kommune',
      ),
    );
    expect(mail.subject).toMatch(/^[\u0600-\u06FF]/);
    expect(mail.html).toContain('<html lang="ar" dir="rtl">');
    expect(mail.html).not.toMatch(/<p lang=/);
    expect(mail.html).toContain(`<p><a href="${link.replace('&', '&amp;')}" dir="ltr">`);
    expect(mail.text).toContain('يونيو 2025');
    expect(mail.text).toContain(ar['delegation.sections']);
  });

  it('keeps the chief executive’s message literal: escaped in HTML, never a placeholder, marked as theirs', () => {
    const message = '  <script>alert("x")</script>\nSe {{link}} & {{closesOn}} før fredag.\n\nHilsen Kari  ';
    const mail = renderDelegationMail(localesDir, content({ message, closesOn: june15 }));
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain(
      '<p><strong>Melding fra kommunedirektøren:</strong></p>\n<blockquote lang="" dir="auto" style="',
    );
    expect(mail.html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>\nSe {{link}} &amp; {{closesOn}} før fredag.<br>\n<br>\nHilsen Kari</blockquote>',
    );
    expect(mail.text).toContain(
      'Melding fra kommunedirektøren:\n> <script>alert("x")</script>\n> Se {{link}} & {{closesOn}} før fredag.\n>\n> Hilsen Kari\n\n',
    );
  });

  it('leaves the message out when there is none, or only blanks', () => {
    for (const message of [undefined, null, ' \n ']) {
      const mail = renderDelegationMail(localesDir, content({ message }));
      expect(mail.text).not.toContain('Melding fra kommunedirektøren');
      expect(mail.html).not.toContain('<blockquote');
    }
  });

  it('escapes the survey title, the municipality and the section titles in the HTML', () => {
    const mail = renderDelegationMail(
      localesDir,
      content({
        surveyTitle: 'A <b>&',
        municipalityName: '"Ås"',
        sectionTitles: ['<i>Helse</i>\n & omsorg'],
      }),
    );
    expect(mail.html).not.toMatch(/<b>|<i>/);
    expect(mail.html).toContain('<li><bdi>&lt;i&gt;Helse&lt;/i&gt; &amp; omsorg</bdi></li>');
    expect(mail.html).toContain('<bdi>&quot;Ås&quot;</bdi>');
    expect(mail.subject).toBe('Kan du svare på deler av «A <b>&» for "Ås"?');
  });

  it('refuses a link that is not http(s)', () => {
    expect(() => renderDelegationMail(localesDir, content({ link: 'javascript:alert(1)' }))).toThrow(/http/);
  });

  it('falls back to bokmål key by key, marking what fell back as bokmål', () => {
    const dir = localesWithout('ar', ['delegation.sections', 'delegation.footer']);
    try {
      const mail = renderDelegationMail(dir, content({ locale: 'ar' }));
      expect(mail.html).toContain('<html lang="ar" dir="rtl">');
      expect(mail.html).toContain('<p lang="nb" dir="ltr">Du er bedt om å svare på disse delene:</p>');
      expect(mail.html).toContain(
        '<p lang="nb" dir="ltr" style="font-size:14px;color:#4a4a4a">Lenken er personlig',
      );
      expect(mail.text).toContain(readMailTexts('ar')['delegation.greeting']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('marks the whole mail as bokmål when the body fell back, and the translated parts as theirs', () => {
    const dir = localesWithout('ar', ['delegation.body']);
    try {
      const mail = renderDelegationMail(dir, content({ locale: 'ar' }));
      expect(mail.html).toContain('<html lang="nb" dir="ltr">');
      expect(mail.html).toContain(`<p lang="ar" dir="rtl">${readMailTexts('ar')['delegation.greeting']}</p>`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(languages.map((l) => [l.code, l.dir]))(
    'renders in %s (%s) with every placeholder filled',
    (lng, dir) => {
      const mail = renderDelegationMail(
        localesDir,
        content({ locale: lng, closesOn: june15, message: 'Takk!' }),
      );
      expect(mail.html).toContain(`<html lang="${lng}" dir="${dir}">`);
      expect(mail.html).not.toMatch(/<p lang=/);
      expect(mail.subject).toContain('Bergen kommune');
      expect(`${mail.subject}${mail.text}${mail.html}`.replace('Takk!', '')).not.toContain('{{');
    },
  );
});

/** Decodes RFC 2047 words; adjacent ones are joined as bytes first, as one character may be split between them. */
function decodeSubject(raw: string): string {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  const value = /^Subject: (.*)$/im.exec(head)![1]!.replace(/\?=\s+=\?/g, '?==?');
  const decodeWord = (word: string) => {
    const [, , encoding, data = ''] = word.split('?');
    if (encoding!.toUpperCase() === 'B') return Buffer.from(data, 'base64');
    const qp = data
      .replace(/_/g, ' ')
      .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
    return Buffer.from(qp, 'latin1');
  };
  return value.replace(/(=\?utf-8\?[BQ]\?[^?]*\?=)+/gi, (run) =>
    Buffer.concat(run.match(/=\?utf-8\?[BQ]\?[^?]*\?=/gi)!.map(decodeWord)).toString('utf8'),
  );
}

describe('sendDelegationMail', () => {
  let smtp: TestSmtp;
  let smtpUrl = '';
  let received: TestSmtp['received'] = [];
  beforeAll(async () => {
    smtp = await startSmtp({ refuse: (address) => address.startsWith('gone') });
    smtpUrl = smtp.url;
    received = smtp.received;
  });
  afterAll(() => smtp.close());
  const mailFrom = 'Svar <noreply@svar.example.no>';

  it('delivers the subject and the link to the delegate', async () => {
    const mail = renderDelegationMail(localesDir, content({ message: 'Takk for hjelpen!' }));
    const { messageId } = await sendDelegationMail(
      { smtpUrl, mailFrom },
      'kari.nordmann@bergen.kommune.no',
      mail,
    );
    expect(messageId).toMatch(/^<.+@.+>$/);
    expect(received).toHaveLength(1);
    const { to, raw } = received[0]!;
    expect(to).toEqual(['kari.nordmann@bergen.kommune.no']);
    expect(decodeSubject(raw)).toBe(mail.subject);
    expect(raw.replace(/=\r\n/g, '').replace(/=3D/g, '=')).toContain(link);
  });

  it('fails without naming the address when the server refuses it', async () => {
    const mail = renderDelegationMail(localesDir, content());
    const err = await sendDelegationMail({ smtpUrl, mailFrom }, 'gone.person@bergen.kommune.no', mail).then(
      () => expect.unreachable('the server refuses this address'),
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toContain('<address>');
    expect(`${err.message}${JSON.stringify(err)}${err.stack}`).not.toContain('gone.person');
  });

  it('refuses to send when SMTP is not configured', async () => {
    const err = await sendDelegationMail({ smtpUrl: null, mailFrom }, 'kari@example.no', {
      subject: 's',
      text: 't',
      html: 'h',
    }).then(
      () => expect.unreachable('there is no SMTP server'),
      (e: { code?: string }) => e,
    );
    expect(err.code).toBe('smtp_not_configured');
  });
});
