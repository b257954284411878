// Random access secrets (sessions, API tokens, invitation links): 256 bits from the OS CSPRNG, stored only as hashes.
import { createHash, randomBytes } from 'node:crypto';

/** A new secret: 32 random bytes, base64url (43 characters), optionally with a readable prefix. */
export function newSecretToken(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

/**
 * SHA-256, hex. A fast hash is right here (unlike passwords): the secret has 256 bits of entropy, so it cannot
 * be guessed from the hash, and lookups by hash stay a plain index probe.
 */
export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
