// A census wave of the fixture instrument whose units have e-mail addresses, a sender config for a test SMTP
// server, and what the tests ask of the database afterwards (is this link live, where does each mail stand).
import { testConfig } from '../../server/config.ts';
import type { Db } from '../../server/db/connect.ts';
import * as q from '../../server/fieldwork/queries.ts';
import type { SendConfig } from '../../server/fieldwork/send.ts';
import { addUnits, createWave } from '../../server/fieldwork/service.ts';
import { hashSecretToken } from '../../server/security/secret-token.ts';
import { publishMini } from '../helpers/fieldwork.ts';
import { realPaths, type SurveyWorkspace } from '../helpers/surveys.ts';

export const cli = { kind: 'cli' } as const;

export interface TestUnit {
  id: string;
  email?: string;
  locale?: string;
}

/** `n` units u1…un with addresses u1@example.no…, in bokmål. */
export const unitsWithMail = (n: number): TestUnit[] =>
  Array.from({ length: n }, (_, i) => ({ id: `u${i + 1}`, email: `u${i + 1}@example.no` }));

export async function waveWithContacts(db: Db, w: SurveyWorkspace, units: TestUnit[]) {
  const instrumentId = await publishMini(db, w);
  const wave = await createWave(
    db,
    {
      instrumentId,
      version: 1,
      name: 'Send',
      mode: 'census',
      locales: ['nb', 'nn', 'ar'],
      allowDraftLocales: true,
    },
    cli,
  );
  const added = await addUnits(
    db,
    wave.id,
    units.map((u) => ({ externalId: u.id, preferredLocale: u.locale ?? null })),
  );
  for (const a of added) {
    const email = units.find((u) => u.id === a.external_id)?.email;
    if (email) await q.upsertContact(db, a.id, { name: null, email, phone: null }, new Date());
  }
  return wave;
}

export function sendConfig(smtpUrl: string | null, overrides: Partial<SendConfig> = {}): SendConfig {
  return {
    ...testConfig(),
    localesDir: realPaths.localesDir,
    publicBaseUrl: 'https://svar.example',
    smtpUrl,
    mailRate: 1000,
    mailConcurrency: 2,
    mailMaxAttempts: 5,
    mailRetryBaseSeconds: 60,
    ...overrides,
  };
}

/** A clock running with real time but `ms` ahead: a later run, after leases expired and retries fell due. */
export const later = (ms: number) => ({ now: () => new Date(Date.now() + ms) });

/** Whether the link with this token exists and still works (was not revoked). */
export async function isLive(db: Db, token: string): Promise<boolean> {
  const row = await db
    .selectFrom('invitation')
    .select('revoked_at')
    .where('token_hash', '=', hashSecretToken(token))
    .executeTakeFirst();
  return row !== undefined && row.revoked_at === null;
}

/** External id → its queue rows' status, attempts, error class and SMTP code. */
export async function queueOf(db: Db, waveId: string) {
  const rows = await db
    .selectFrom('mail_queue')
    .innerJoin('frame_unit', 'frame_unit.id', 'mail_queue.frame_unit_id')
    .select([
      'frame_unit.external_id',
      'mail_queue.round',
      'mail_queue.status',
      'mail_queue.attempts',
      'mail_queue.error_class',
      'mail_queue.smtp_code',
      'mail_queue.invitation_id',
    ])
    .where('mail_queue.wave_id', '=', waveId)
    .orderBy('frame_unit.external_id')
    .execute();
  return rows;
}

/** The tokens of a distribution list (CSV), in its order. */
export const tokensIn = (csv: string) => [...csv.matchAll(/\/s\/([A-Za-z0-9_-]{43});/g)].map((m) => m[1]!);
