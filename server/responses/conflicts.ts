// Explaining a refused save (the rare path): which answers someone else changed since this writer last saw them,
// their current value, who set it and when. The rule itself is ADR 5's, applied in the saving statement.

import type { Executor } from '../audit/queries.ts';
import type { AnswerMeta } from '../db/schema.ts';
import { ConflictError } from '../http/errors.ts';
import type { Link } from './links.ts';
import { roleOfWriter } from './view.ts';

export interface AnswerConflict {
  code: string;
  /** The stored value (null: cleared). */
  value: unknown;
  by: string;
  byRole: 'respondent' | 'chief_executive' | 'delegate';
  /** The delegate's name, for the chief executive only (who gave it). */
  byName?: string | null;
  at: string;
  rev: number;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The answers of a save that conflict with what is stored, by the rule of ADR 5. */
export async function conflictsOf(
  db: Executor,
  link: Link,
  stored: { answers: Record<string, unknown>; answer_meta: Record<string, AnswerMeta> },
  answers: Record<string, unknown>,
  bases: Record<string, number>,
  device: string,
): Promise<AnswerConflict[]> {
  const found: AnswerConflict[] = [];
  for (const [code, value] of Object.entries(answers)) {
    const meta = stored.answer_meta[code];
    if (!meta) continue;
    if (Number(meta.rev ?? 0) === Number(bases[code] ?? 0)) continue;
    if (meta.by === link.by && (meta.dev ?? '') === device) continue;
    if (same(stored.answers[code], value)) continue;
    found.push({
      code,
      value: stored.answers[code] ?? null,
      by: meta.by,
      byRole: roleOfWriter(meta.by),
      at: meta.at,
      rev: Number(meta.rev ?? 0),
    });
  }
  if (link.role !== 'chief_executive') return found;
  const ids = [
    ...new Set(found.filter((c) => c.byRole === 'delegate').map((c) => c.by.slice('delegate:'.length))),
  ];
  if (ids.length === 0) return found;
  const names = new Map(
    (
      await db
        .selectFrom('delegate_contact')
        .select(['delegate_id', 'name'])
        .where('delegate_id', 'in', ids)
        .execute()
    ).map((r) => [r.delegate_id, r.name]),
  );
  return found.map((c) =>
    c.byRole === 'delegate' ? { ...c, byName: names.get(c.by.slice('delegate:'.length)) ?? null } : c,
  );
}

export function answerConflictError(conflicts: AnswerConflict[]) {
  return new ConflictError(
    'answer_conflict',
    'Someone else changed these answers since you last saw them. Keep yours or take theirs.',
  ).with({ conflicts });
}
