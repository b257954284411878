// Secrets: long random tokens hashed for storage; passwords hashed with scrypt and checked in constant time.
import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from './password.ts';
import { hashSecretToken, newSecretToken } from './secret-token.ts';

describe('secret tokens', () => {
  it('carry 256 random bits and differ every time', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => newSecretToken()));
    expect(tokens.size).toBe(1000);
    for (const t of tokens) expect(Buffer.from(t, 'base64url')).toHaveLength(32);
  });

  it('hash to a stable SHA-256 that does not contain the token', () => {
    const t = newSecretToken('svar_');
    expect(hashSecretToken(t)).toBe(hashSecretToken(t));
    expect(hashSecretToken(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecretToken(t)).not.toBe(hashSecretToken(`${t}x`));
  });
});

describe('passwords', () => {
  it('verify only the right password, with a fresh salt per hash', async () => {
    const a = await hashPassword('sju lange ord er bra');
    const b = await hashPassword('sju lange ord er bra');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('sju lange ord er bra', a)).toBe(true);
    expect(await verifyPassword('sju lange ord er bra ', a)).toBe(false);
    expect(await verifyPassword('anything', 'not-a-hash')).toBe(false);
  });

  it('require at least 12 characters', () => {
    expect(passwordProblem('short')).toMatch(/12/);
    expect(passwordProblem('twelve chars')).toBeNull();
  });
});
