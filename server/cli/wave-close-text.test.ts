// What `svar wave close` prints: the classes, where empty classes went, and the weight sum against N.
import { describe, expect, it } from 'vitest';
import { closeReportText } from './wave-close-text.ts';

const report = {
  adjustBy: 'county',
  defaulted: true,
  classes: 3,
  respondents: 3,
  population: 12,
  weightSum: 12.000000000001,
  collapsed: [{ class: '55', into: 'all', units: 4, weight: 4 }],
};

describe('closeReportText', () => {
  it('names the classes, the county carried by all, and the sum against N', () => {
    const text = closeReportText({ id: 'w1', nonresponse_adjustment: report });
    expect(text).toContain(
      'Non-response adjusted within county (the default): 3 class(es), 3 respondent(s).',
    );
    expect(text).toContain('Weights sum to 12; N = 12.');
    expect(text).toContain('county 55 Troms: 4, 4 → all respondents');
  });

  it('says so when the weights fall short of N (nobody responded)', () => {
    const none = { ...report, weightSum: 0, collapsed: [{ class: '03', into: null, units: 12, weight: 12 }] };
    const text = closeReportText({ id: 'w1', nonresponse_adjustment: none });
    expect(text).toContain('Weights sum to 0; N = 12 (SHORT: see below).');
    expect(text).toContain('county 03 Oslo: 12, 12 → nobody (no respondent in the wave)');
  });
});
