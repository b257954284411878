// A real SMTP server on a free loopback port for the mail tests (mail is tested end to end, never mocked). It can
// misbehave the way real ones do: answer 4xx or 5xx to a recipient (with the address in the text, as real servers
// do), or die after some mails. It keeps what it receives, when each recipient was tried and each mail accepted,
// and each mail's link token.
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface AcceptedMail {
  to: string;
  at: number;
  raw: string;
  /** The token of the link in the mail; empty when it has none. */
  token: string;
}

export interface ReceivedMail {
  to: string[];
  raw: string;
}

export interface SmtpBehaviour {
  /** An SMTP reply code for this recipient's nth try (1, 2, …), or nothing to accept it. */
  reply?: (address: string, attempt: number) => number | undefined;
  /** After this many accepted mails the server drops every connection and takes no more. */
  dieAfter?: number;
}

export interface MisbehavingSmtp {
  url: string;
  port: number;
  accepted: AcceptedMail[];
  /** The same mails with every recipient, in the order received. */
  received: ReceivedMail[];
  /** Recipient → times (ms) it was tried, answered or not. */
  tries: Map<string, number[]>;
  close(): Promise<void>;
}

/** A mail's text and HTML parts, decoded (quoted-printable or base64, UTF-8). */
export function mailText(raw: string): string {
  return raw
    .split(/\r\n--[^\r\n]+\r\n/)
    .map((part) => {
      const split = part.indexOf('\r\n\r\n');
      const head = part.slice(0, split);
      const body = part.slice(split + 4);
      if (/^Content-Transfer-Encoding: base64/im.test(head))
        return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
      if (/^Content-Transfer-Encoding: quoted-printable/im.test(head))
        return Buffer.from(
          body
            .replace(/=\r?\n/g, '')
            .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
          'latin1',
        ).toString('utf8');
      return body;
    })
    .join('\n');
}

/** The token of the mail's link. */
export function tokenIn(raw: string): string {
  const token = linkTokenIn(raw);
  if (!token) throw new Error('no respondent link in this mail');
  return token;
}

function linkTokenIn(raw: string): string | null {
  return /\/s\/([A-Za-z0-9_-]{43})/.exec(mailText(raw))?.[1] ?? null;
}

export async function startMisbehavingSmtp(b: SmtpBehaviour = {}): Promise<MisbehavingSmtp> {
  const accepted: AcceptedMail[] = [];
  const received: ReceivedMail[] = [];
  const tries = new Map<string, number[]>();
  const sockets = new Set<Socket>();
  let dead = false;
  const die = () => {
    dead = true;
    for (const s of sockets) s.destroy();
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onConnect(_session, callback) {
      if (dead) die();
      else callback();
    },
    onRcptTo(address, _session, callback) {
      if (dead) return die();
      const times = tries.get(address.address) ?? [];
      times.push(performance.now());
      tries.set(address.address, times);
      const code = b.reply?.(address.address, times.length);
      if (!code) return callback();
      // Real servers echo the address in their answer; Svar must never store it.
      callback(Object.assign(new Error(`<${address.address}>: not now or not ever`), { responseCode: code }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (dead) return die();
        const raw = Buffer.concat(chunks).toString('utf8');
        accepted.push({
          to: session.envelope.rcptTo[0]!.address,
          at: performance.now(),
          raw,
          token: linkTokenIn(raw) ?? '',
        });
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
        if (b.dieAfter !== undefined && accepted.length >= b.dieAfter) dead = true;
      });
    },
  });
  server.server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    accepted,
    received,
    tries,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export type TestSmtp = MisbehavingSmtp;

/** A well-behaved server; `refuse` names recipients it answers with a permanent failure (550). */
export function startSmtp(opts: { refuse?: (address: string) => boolean } = {}): Promise<TestSmtp> {
  return startMisbehavingSmtp({ reply: (address) => (opts.refuse?.(address) ? 550 : undefined) });
}
