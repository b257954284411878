// How a failed send is classified, with errors shaped as nodemailer throws them, and the backoff between tries.
import { describe, expect, it } from 'vitest';
import { classifySendError, retryDelayMs } from './send-errors.ts';

const smtpError = (responseCode: number, command: string, code = 'EENVELOPE') =>
  Object.assign(
    new Error(`Can't send mail - all recipients were rejected: ${responseCode} <kari@example.no>`),
    {
      code,
      responseCode,
      command,
      response: `${responseCode} <kari@example.no>: nope`,
      rejected: ['kari@example.no'],
    },
  );

describe('classifySendError', () => {
  it('retries a 4xx, whatever the command', () => {
    expect(classifySendError(smtpError(451, 'RCPT TO'))).toEqual({
      errorClass: 'temporary',
      smtpCode: 451,
      retry: true,
      stopRun: false,
      refused: true,
    });
    expect(classifySendError(smtpError(421, 'DATA', 'EMESSAGE')).errorClass).toBe('temporary');
  });

  it('records a 5xx to the recipient as a rejected recipient, any other 5xx as permanent, neither retried', () => {
    expect(classifySendError(smtpError(550, 'RCPT TO'))).toMatchObject({
      errorClass: 'rejected_recipient',
      retry: false,
    });
    expect(classifySendError(smtpError(554, 'DATA', 'EMESSAGE'))).toMatchObject({
      errorClass: 'permanent',
      smtpCode: 554,
      retry: false,
    });
  });

  it('retries a broken connection, which was not a refusal, and stops the run on a refused login', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2525'), { code: 'ESOCKET' });
    expect(classifySendError(refused)).toMatchObject({
      errorClass: 'connection',
      retry: true,
      refused: false,
    });
    const closed = Object.assign(new Error('Connection closed unexpectedly'), { code: 'ECONNECTION' });
    expect(classifySendError(closed).errorClass).toBe('connection');
    const login = Object.assign(new Error('Invalid login: 535'), { code: 'EAUTH', responseCode: 535 });
    expect(classifySendError(login)).toMatchObject({ errorClass: 'auth', stopRun: true });
    expect(
      classifySendError(Object.assign(new Error('No recipients defined'), { code: 'EENVELOPE' })),
    ).toMatchObject({ errorClass: 'other', retry: false });
  });

  it('keeps nothing of the text, so no address', () => {
    expect(JSON.stringify(classifySendError(smtpError(550, 'RCPT TO')))).not.toContain('@');
  });
});

describe('retryDelayMs', () => {
  it('doubles from the base and stops at an hour', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 60))).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(retryDelayMs(20, 60)).toBe(3_600_000);
  });
});
