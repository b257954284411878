// What a failed send was, in a class and an SMTP status code: the only things of a failure Svar stores, since the
// SMTP server's text (and nodemailer's message, `response` and `rejected`) usually echoes the recipient's address.

export type SendErrorClass =
  /** 4xx: greylisting, a full mailbox, a throttling provider. Retried with backoff. */
  | 'temporary'
  /** 5xx to the recipient (RCPT TO): no such mailbox, or refused. Recorded, not retried. */
  | 'rejected_recipient'
  /** Any other 5xx (the message refused, policy). Recorded, not retried. */
  | 'permanent'
  /** The server could not be reached, or the connection broke. Retried with backoff. */
  | 'connection'
  /** The server refused Svar's login: every mail would fail the same way, so the run stops. */
  | 'auth'
  /** A message nodemailer could not send at all (no recipient, a bad message); recorded, not retried. */
  | 'other';

export interface ClassifiedError {
  errorClass: SendErrorClass;
  smtpCode: number | null;
  retry: boolean;
  /** The failure is the server's or the setup's, not this mail's: stop sending to the others. */
  stopRun: boolean;
  /** The server answered with a refusal, so the mail was certainly not delivered. */
  refused: boolean;
}

const connectionCodes = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Nodemailer's codes for a message it could not send whatever the server: retrying cannot help. */
const messageCodes = new Set(['EENVELOPE', 'EMESSAGE', 'ECONFIG']);

export function classifySendError(err: unknown): ClassifiedError {
  const e = (err ?? {}) as { code?: unknown; responseCode?: unknown; command?: unknown };
  const smtpCode = typeof e.responseCode === 'number' ? e.responseCode : null;
  const code = typeof e.code === 'string' ? e.code : '';
  const refused = smtpCode !== null && smtpCode >= 400;
  const result = (errorClass: SendErrorClass, retry: boolean, stopRun = false): ClassifiedError => ({
    errorClass,
    smtpCode,
    retry,
    stopRun,
    refused,
  });
  if (code === 'EAUTH') return result('auth', true, true);
  if (smtpCode !== null && smtpCode >= 400 && smtpCode < 500) return result('temporary', true);
  if (smtpCode !== null && smtpCode >= 500) {
    const toRecipient = e.command === 'RCPT TO' || code === 'EENVELOPE';
    return result(toRecipient ? 'rejected_recipient' : 'permanent', false);
  }
  if (connectionCodes.has(code)) return result('connection', true);
  // No answer from the server and no complaint about the message itself: the transport broke on the way.
  if (smtpCode === null && !messageCodes.has(code)) return result('connection', true);
  return result('other', false);
}

/** Exponential backoff: base, 2 × base, 4 × base …, at most an hour. */
export function retryDelayMs(attempts: number, baseSeconds: number): number {
  return Math.min(baseSeconds * 1000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}
