// Issuing respondent links: a fresh 256-bit token per unit from the OS CSPRNG, stored only as its hash.
import type { Executor } from '../audit/queries.ts';
import { hashSecretToken, newSecretToken } from '../security/secret-token.ts';
import { insertRoundInvitations } from './queue-round-queries.ts';

export interface IssuedLink {
  frameUnitId: string;
  externalId: string;
  locale: string | null;
  /** The secret of the link: shown once, stored only as a hash. */
  token: string;
}

/** Each unit with its new token (other fields kept). `round` is the wave round the links belong to (queue-rounds.ts); null for a reissued link. */
export async function issueLinks<U extends Omit<IssuedLink, 'token'>>(
  trx: Executor,
  waveId: string,
  units: U[],
  purpose: 'invitation' | 'reminder' | 'reissue',
  round: number | null = null,
): Promise<(U & { token: string })[]> {
  const links = units.map((u) => ({ ...u, token: newSecretToken() }));
  await insertRoundInvitations(
    trx,
    links.map((l) => ({
      waveId,
      frameUnitId: l.frameUnitId,
      tokenHash: hashSecretToken(l.token),
      locale: l.locale,
      purpose,
      round,
    })),
  );
  return links;
}
