// Plain-text tables of delegation for the command line: the overview per municipality and progress per section.
import type { DelegationOverview, SectionProgressRow } from '../delegation/overview.ts';
import type { SectionStatus } from '../delegation/status.ts';

const mark: Record<SectionStatus['status'], string> = { not_started: '–', in_progress: '…', done: '✓' };
const responseLabel = { none: 'none', in_progress: 'in progress', completed: 'completed' } as const;

function unitLabel(u: { municipalityCode: string | null; externalId: string; name: string | null }): string {
  return `${u.municipalityCode ?? u.externalId}${u.name ? `  ${u.name}` : ''}`;
}

/** Delegates of each municipality, one line per delegate; only when names are at hand (admin, operator). */
function delegateLines(o: DelegationOverview): string[] {
  const lines: string[] = [];
  for (const u of o.units) {
    const byDelegate = new Map<string, { names: string[]; s: SectionStatus }>();
    for (const s of u.sections) {
      if (!s.delegation) continue;
      const d = byDelegate.get(s.delegation.delegateId) ?? { names: [], s };
      d.names.push(s.name);
      byDelegate.set(s.delegation.delegateId, d);
    }
    for (const { names, s } of byDelegate.values()) {
      const d = s.delegation!;
      if (d.name === undefined) continue;
      const who = [d.name, d.email && `<${d.email}>`].filter(Boolean).join(' ') || '(contact purged)';
      lines.push(
        `${unitLabel(u)}: ${names.join(', ')} → ${who} (${d.locale}) since ${d.delegatedAt.slice(0, 10)}`,
      );
    }
  }
  return lines.length ? ['', 'Delegates:', ...lines] : [];
}

/** One row per municipality, one column per section: – not started, … in progress, ✓ done, → delegated. */
export function delegationTable(o: DelegationOverview): string {
  if (o.units.length === 0) return 'No municipalities selected in this wave yet.';
  const key = o.sections.map((s, i) => `${String(i + 1).padStart(4)}  ${s.name}  ${s.title}`);
  const nameWidth = Math.max(12, ...o.units.map((u) => unitLabel(u).length)) + 2;
  const colWidth = Math.max(3, String(o.sections.length).length) + 2;
  const header =
    'municipality'.padEnd(nameWidth) +
    'response'.padEnd(13) +
    o.sections.map((_, i) => String(i + 1).padEnd(colWidth)).join('');
  const rows = o.units.map(
    (u) =>
      unitLabel(u).padEnd(nameWidth) +
      responseLabel[u.response].padEnd(13) +
      u.sections.map((s) => `${mark[s.status]}${s.delegation ? '→' : ''}`.padEnd(colWidth)).join(''),
  );
  return [
    'Sections:',
    ...key,
    '',
    header.trimEnd(),
    ...rows.map((r) => r.trimEnd()),
    '',
    '– not started   … in progress   ✓ done   → delegated',
    ...delegateLines(o),
  ].join('\n');
}

/** `svar wave progress --by section`: counts of invited units per section. */
export function sectionProgressTable(rows: SectionProgressRow[]): string {
  const width = Math.max(8, ...rows.map((r) => r.section.length)) + 2;
  const cols = ['invited', 'delegated', 'not-started', 'in-progress', 'done', 'completed'];
  return [
    'section'.padEnd(width) + cols.map((c) => c.padStart(12)).join(''),
    ...rows.map(
      (r) =>
        r.section.padEnd(width) +
        [r.invited, r.delegated, r.notStarted, r.inProgress, r.done, r.completed]
          .map((n) => String(n).padStart(12))
          .join(''),
    ),
  ].join('\n');
}
