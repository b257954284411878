// The append-only audit log: writes happen inside the same transaction as the change they record.
import type { Kysely, Transaction } from 'kysely';
import type { AuditActorKind, Database } from '../db/schema.ts';

export type Executor = Kysely<Database> | Transaction<Database>;

export interface AuditEntry {
  actor: { kind: AuditActorKind; id?: string | null };
  action: string;
  subject?: { kind: string; id: string };
  details?: Record<string, unknown>;
  requestId?: string | null;
  /** The app clock's time; defaults to the database's now(). */
  at?: Date;
}

export async function recordAudit(db: Executor, e: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_event')
    .values({
      actor_kind: e.actor.kind,
      actor_id: e.actor.id ?? null,
      action: e.action,
      subject_kind: e.subject?.kind ?? null,
      subject_id: e.subject?.id ?? null,
      details: JSON.stringify(e.details ?? {}),
      request_id: e.requestId ?? null,
      ...(e.at ? { occurred_at: e.at } : {}),
    })
    .execute();
}
