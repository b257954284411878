// All SQL for the send queue, its sender lease and the send log.
import type { Executor } from '../audit/queries.ts';
import type { RoundKind } from '../db/schema.ts';

export async function enqueueMail(
  db: Executor,
  waveId: string,
  round: number,
  kind: RoundKind,
  units: { frameUnitId: string; locale: string | null }[],
  at: Date,
): Promise<void> {
  for (let i = 0; i < units.length; i += 1000) {
    await db
      .insertInto('mail_queue')
      .values(
        units.slice(i, i + 1000).map((u) => ({
          wave_id: waveId,
          round,
          kind,
          frame_unit_id: u.frameUnitId,
          locale: u.locale,
          next_attempt_at: at,
          created_at: at,
          updated_at: at,
        })),
      )
      .execute();
  }
}

/** Takes the wave's sender lease: free, expired or already ours; false when another sender holds it. */
export async function takeSendLease(db: Executor, waveId: string, holder: string, now: Date, until: Date) {
  const row = await db
    .insertInto('mail_send_lease')
    .values({ wave_id: waveId, holder, expires_at: until })
    .onConflict((oc) =>
      oc
        .column('wave_id')
        .doUpdateSet({ holder, expires_at: until })
        .where((eb) =>
          eb.or([eb('mail_send_lease.expires_at', '<', now), eb('mail_send_lease.holder', '=', holder)]),
        ),
    )
    .returning('holder')
    .executeTakeFirst();
  return row !== undefined;
}

export async function findSendLease(db: Executor, waveId: string) {
  return db.selectFrom('mail_send_lease').selectAll().where('wave_id', '=', waveId).executeTakeFirst();
}

/** Extends our lease; false when it is no longer ours (it expired and another sender took it). */
export async function renewSendLease(db: Executor, waveId: string, holder: string, until: Date) {
  const r = await db
    .updateTable('mail_send_lease')
    .set({ expires_at: until })
    .where('wave_id', '=', waveId)
    .where('holder', '=', holder)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function releaseSendLease(db: Executor, waveId: string, holder: string): Promise<void> {
  await db.deleteFrom('mail_send_lease').where('wave_id', '=', waveId).where('holder', '=', holder).execute();
}

/** Rows a dead sender left `sending` (the mail may or may not have gone out) go back to the queue. */
export async function requeueInDoubt(db: Executor, waveId: string, at: Date): Promise<number> {
  const r = await db
    .updateTable('mail_queue')
    .set({ status: 'pending', next_attempt_at: at, updated_at: at })
    .where('wave_id', '=', waveId)
    .where('status', '=', 'sending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function listDueMail(db: Executor, waveId: string, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('mail_queue')
    .select('id')
    .where('wave_id', '=', waveId)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => String(r.id));
}

/** A pending row with what its mail needs, locked for the claim; undefined when another claim was first. */
export function findPendingMail(db: Executor, id: string) {
  return db
    .selectFrom('mail_queue')
    .innerJoin('frame_unit', 'frame_unit.id', 'mail_queue.frame_unit_id')
    .leftJoin('unit_contact', 'unit_contact.frame_unit_id', 'frame_unit.id')
    .leftJoin('response', 'response.frame_unit_id', 'frame_unit.id')
    .select([
      'mail_queue.id',
      'mail_queue.round',
      'mail_queue.kind',
      'mail_queue.locale',
      'mail_queue.attempts',
      'mail_queue.frame_unit_id',
      'frame_unit.opted_out_at',
      'unit_contact.email',
      'response.status as response_status',
    ])
    .where('mail_queue.id', '=', id)
    .where('mail_queue.status', '=', 'pending')
    .forUpdate('mail_queue')
    .executeTakeFirst();
}

export async function setMailStatus(
  db: Executor,
  id: string,
  /** Only while the row is still the claim this sender made (a later sender may have taken it over). */
  claim: { attempts: number } | null,
  set: {
    status: 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';
    attempts?: number;
    invitation_id?: string | null;
    next_attempt_at?: Date;
    error_class?: string | null;
    smtp_code?: number | null;
    sent_at?: Date;
    updated_at: Date;
  },
): Promise<boolean> {
  const r = await db
    .updateTable('mail_queue')
    .set(set)
    .where('id', '=', id)
    .$if(claim !== null, (qb) => qb.where('status', '=', 'sending').where('attempts', '=', claim!.attempts))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function revokeInvitation(db: Executor, invitationId: string, at: Date): Promise<void> {
  await db
    .updateTable('invitation')
    .set({ revoked_at: at })
    .where('id', '=', invitationId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** The queue of a wave by status, with the rows waiting for a retry and when the first one is due. */
export async function queueCounts(db: Executor, waveId: string, now: Date) {
  const rows = await db
    .selectFrom('mail_queue')
    .select((eb) => [
      'status',
      eb.fn.countAll<string>().as('n'),
      eb.fn.count<string>('id').filterWhere('next_attempt_at', '>', now).as('later'),
      eb.fn.min('next_attempt_at').as('next_at'),
    ])
    .where('wave_id', '=', waveId)
    .groupBy('status')
    .execute();
  const count = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
  const pending = rows.find((r) => r.status === 'pending');
  return {
    pending: count('pending'),
    waiting: Number(pending?.later ?? 0),
    nextAttemptAt: pending ? new Date(pending.next_at as Date) : null,
    sending: count('sending'),
    sent: count('sent'),
    failed: count('failed'),
    skipped: count('skipped'),
  };
}

/** The link a queued mail carries, issued as the mail is claimed; its id ties the queue row to it. */
export async function insertQueuedInvitation(
  db: Executor,
  row: {
    waveId: string;
    frameUnitId: string;
    tokenHash: string;
    locale: string | null;
    kind: RoundKind;
    round: number;
  },
): Promise<string> {
  const { id } = await db
    .insertInto('invitation')
    .values({
      wave_id: row.waveId,
      frame_unit_id: row.frameUnitId,
      token_hash: row.tokenHash,
      locale: row.locale,
      purpose: row.kind,
      round: row.round,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** One attempt in the send log: never the address, never the server's text. */
export async function insertMailLog(
  db: Executor,
  row: {
    waveId: string;
    frameUnitId: string;
    kind: RoundKind;
    round: number;
    locale: string;
    status: 'sent' | 'failed';
    messageId?: string | null;
    errorClass?: string | null;
    smtpCode?: number | null;
    at: Date;
  },
): Promise<void> {
  await db
    .insertInto('mail_log')
    .values({
      wave_id: row.waveId,
      frame_unit_id: row.frameUnitId,
      kind: row.kind,
      round: row.round,
      locale: row.locale,
      status: row.status,
      message_id: row.messageId ?? null,
      error_class: row.errorClass ?? null,
      smtp_code: row.smtpCode ?? null,
      sent_at: row.at,
    })
    .execute();
}

/** What every mail of a wave shares: the pinned version's title and the instrument and audience of its texts. */
export function findWaveMailContext(db: Executor, waveId: string) {
  return db
    .selectFrom('wave')
    .innerJoin('instrument_version', 'instrument_version.id', 'wave.instrument_version_id')
    .select([
      'wave.instrument_id',
      'wave.unit_type',
      'wave.locales',
      'wave.closes_at',
      'instrument_version.definition',
    ])
    .where('wave.id', '=', waveId)
    .executeTakeFirstOrThrow();
}
