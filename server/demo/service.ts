// Demo content so a newcomer has something to click: staff accounts of each role (later issues add surveys).
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/connect.ts';
import { AppError } from '../http/errors.ts';
import { findStaffUserByEmail } from '../staff/queries.ts';
import { createStaffUser } from '../staff/service.ts';
import { type PublishResult, publishInstrument, type SurveyPaths } from '../surveys/service.ts';
import { listInstrumentIds } from '../surveys/source.ts';

export interface DemoAccount {
  email: string;
  role: string;
  password: string | null;
  created: boolean;
}

const demoStaff = [
  { email: 'admin@demo.svar.local', displayName: 'Demo Admin', role: 'admin', municipalityCode: null },
  { email: 'analyst@demo.svar.local', displayName: 'Demo Analyst', role: 'analyst', municipalityCode: null },
  {
    email: 'oslo@demo.svar.local',
    displayName: 'Demo Oslo kommune',
    role: 'municipality',
    municipalityCode: '0301',
  },
] as const;

export interface DemoResult {
  accounts: DemoAccount[];
  instruments: PublishResult[];
  /** Instruments that could not be published, with the reason (the demo goes on without them). */
  problems: { instrument: string; message: string }[];
}

/**
 * Idempotent: accounts that exist are left alone (and their passwords are not shown again); every instrument in
 * surveys/ is published, which is a no-op when its content is already published.
 */
export async function loadDemo(db: Db, paths: SurveyPaths): Promise<DemoResult> {
  const accounts: DemoAccount[] = [];
  for (const s of demoStaff) {
    if (await findStaffUserByEmail(db, s.email)) {
      accounts.push({ email: s.email, role: s.role, password: null, created: false });
      continue;
    }
    // Random, not a well-known password: a demo database that ends up reachable must not be open to anyone.
    const password = randomBytes(9).toString('base64url');
    await createStaffUser(db, { ...s, password: `demo-${password}` }, { kind: 'cli' });
    accounts.push({ email: s.email, role: s.role, password: `demo-${password}`, created: true });
  }
  const instruments: PublishResult[] = [];
  const problems: DemoResult['problems'] = [];
  for (const id of listInstrumentIds(paths.surveysDir)) {
    try {
      instruments.push(await publishInstrument(db, paths, id, { kind: 'cli' }));
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      problems.push({
        instrument: id,
        message: `${err.message} ${err.invalidParams?.map((p) => `${p.name}: ${p.reason}`).join('; ') ?? ''}`,
      });
    }
  }
  return { accounts, instruments, problems };
}

export async function isEmptyDatabase(db: Db): Promise<boolean> {
  const row = await db.selectFrom('staff_user').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}
