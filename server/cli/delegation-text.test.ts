// The plain-text delegation table: one column per section, delegates listed only when names are at hand.
import { describe, expect, it } from 'vitest';
import type { DelegationOverview } from '../delegation/overview.ts';
import type { SectionStatus } from '../delegation/status.ts';
import { delegationTable } from './delegation-text.ts';

const delegation = (name?: string | null) => ({
  delegateId: 'd1',
  delegatedAt: '2026-11-26T09:00:00.000Z',
  doneAt: null,
  locale: 'nn',
  ...(name === undefined ? {} : { name, email: name ? 'kari@oslo.kommune.no' : null }),
});
const section = (name: string, status: SectionStatus['status'], d: SectionStatus['delegation'] = null) => ({
  name,
  status,
  answered: 0,
  questions: 1,
  delegation: d,
});
const overview = (name?: string | null): DelegationOverview => ({
  waveId: 'w',
  sections: [
    { name: 's_a', title: 'A' },
    { name: 's_b', title: 'B' },
  ],
  units: [
    {
      externalId: '030101',
      municipalityCode: '030101',
      name: 'Gamle Oslo',
      response: 'in_progress',
      sections: [section('s_a', 'done', delegation(name)), section('s_b', 'not_started')],
    },
  ],
});

describe('delegationTable', () => {
  it('marks each section and lists the delegate by name', () => {
    const text = delegationTable(overview('Kari Nordmann'));
    expect(text).toContain('030101  Gamle Oslo  in progress  ✓→   –\n');
    expect(text).toContain(
      '030101  Gamle Oslo: s_a → Kari Nordmann <kari@oslo.kommune.no> (nn) since 2026-11-26',
    );
  });

  it('says when contacts are purged, and lists no delegates for a viewer without names', () => {
    expect(delegationTable(overview(null))).toContain('s_a → (contact purged) (nn)');
    expect(delegationTable(overview())).not.toContain('Delegates:');
  });

  it('says so when the wave has no units yet', () => {
    expect(delegationTable({ waveId: 'w', sections: [], units: [] })).toMatch(/No municipalities/);
  });
});
