// Every wave command finds its wave the same way: inside the command's transaction, with the row locked, so two
// commands on one wave (a redraw racing an open, an import racing a close) run one after the other and each sees
// the status the other left.
import type { Transaction } from 'kysely';
import type { Executor } from '../audit/queries.ts';
import type { Database } from '../db/schema.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';

export type WaveStatus = 'draft' | 'open' | 'closed';

/** Why a command refuses a wave in a given status: the stable code and the sentence a survey manager reads. */
const refusals: Record<WaveStatus, { code: string; message: string }> = {
  draft: { code: 'wave_not_open', message: 'The wave is still a draft: open it first.' },
  open: { code: 'wave_open', message: 'The wave is open already.' },
  closed: { code: 'wave_closed', message: 'The wave is closed.' },
};

export interface LockOptions {
  /** The statuses the command works in; any other is a 409 with the status's own code. */
  allow: readonly WaveStatus[];
  /** A sentence of the command's own for a refused status, e.g. "Units can only be added while the wave is a draft." */
  refuse?: Partial<Record<WaveStatus, { code: string; message: string }>>;
}

// An id that is not a UUID names no wave; PostgreSQL would refuse it with a cast error instead of a 404.
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkId(waveId: string) {
  if (!uuid.test(waveId)) throw new NotFoundError('No such wave.', 'wave_not_found');
}

/** Finds and locks the wave (`FOR UPDATE`) in `trx`; 404 `wave_not_found`, or 409 when its status is not allowed. */
export async function lockWave(trx: Transaction<Database>, waveId: string, opts: LockOptions) {
  checkId(waveId);
  const wave = await trx
    .selectFrom('wave')
    .selectAll()
    .where('id', '=', waveId)
    .forUpdate()
    .executeTakeFirst();
  if (!wave) throw new NotFoundError('No such wave.', 'wave_not_found');
  const status = wave.status as WaveStatus;
  if (!opts.allow.includes(status)) {
    const r = opts.refuse?.[status] ?? refusals[status];
    throw new ConflictError(r.code, r.message);
  }
  return wave;
}

/** Finds the wave without locking it (reads that change nothing); 404 `wave_not_found`. */
export async function requireWave(db: Executor, waveId: string) {
  checkId(waveId);
  const wave = await db.selectFrom('wave').selectAll().where('id', '=', waveId).executeTakeFirst();
  if (!wave) throw new NotFoundError('No such wave.', 'wave_not_found');
  return wave;
}
