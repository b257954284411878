// The status of each section of one municipal response: not started, in progress or done, and to whom it is
// delegated. Pure: the chief executive's overview, the staff overview and progress all read it from here.
import type { SectionMap } from './sections.ts';

export type SectionState = 'not_started' | 'in_progress' | 'done';

export interface LiveDelegation {
  section: string;
  delegateId: string;
  delegatedAt: Date;
  doneAt: Date | null;
  locale: string;
  /** Contact data: present only for callers allowed to see it (and null once purged). */
  name?: string | null;
  email?: string | null;
}

export interface SectionStatus {
  name: string;
  status: SectionState;
  /** Questions of the section with an answer, of all its questions. */
  answered: number;
  questions: number;
  delegation: {
    delegateId: string;
    delegatedAt: string;
    doneAt: string | null;
    locale: string;
    name?: string | null;
    email?: string | null;
  } | null;
}

/** A section is done when its delegate said so; in progress when any of its questions has an answer; else not started. */
export function sectionStatuses(
  map: SectionMap,
  answers: Record<string, unknown>,
  live: LiveDelegation[],
  opts: { sections?: string[] } = {},
): SectionStatus[] {
  const bySection = new Map(live.map((d) => [d.section, d]));
  const wanted = opts.sections ? new Set(opts.sections) : null;
  return map.sections
    .filter((s) => !wanted || wanted.has(s.name))
    .map((s) => {
      const questions = s.codes.filter((c) => !c.endsWith('-Comment'));
      const answered = questions.filter((c) => answers[c] !== undefined && answers[c] !== null).length;
      const d = bySection.get(s.name);
      const status: SectionState = d?.doneAt ? 'done' : answered > 0 ? 'in_progress' : 'not_started';
      return {
        name: s.name,
        status,
        answered,
        questions: questions.length,
        delegation: d
          ? {
              delegateId: d.delegateId,
              delegatedAt: d.delegatedAt.toISOString(),
              doneAt: d.doneAt?.toISOString() ?? null,
              locale: d.locale,
              ...(d.name !== undefined ? { name: d.name, email: d.email ?? null } : {}),
            }
          : null,
      };
    });
}
