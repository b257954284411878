// The wave's years in export labels: filled for one year, a marker in each label's language for several, and the
// codebook's note of which year each wave means.
import { describe, expect, it } from 'vitest';
import { codebookForYears } from '../surveys/codebook.ts';
import { answerColumns, type ExportColumn } from './columns.ts';
import { exportYears, fillColumnYears, waveFacts, yearNotes } from './wave-years.ts';

const opts = { sourceLocale: 'nb', missingCodes: {} };
const columns = answerColumns(
  {
    pages: [
      {
        name: 'p1',
        elements: [
          {
            type: 'radiogroup',
            name: 'm_change',
            title: {
              default: 'Endring i {previousYear}?',
              en: 'Change in {previousYear}?',
              ar: 'في {previousYear}',
            },
            choices: [
              { value: 1, text: { default: 'Mer enn i {nextYear}', en: 'More than in {nextYear}' } },
              { value: 2, text: { default: 'Like mye', en: 'The same' } },
            ],
          },
          { type: 'text', name: 'm_plain', title: { default: 'Uten år {m_code}', en: 'No year' } },
        ],
      },
    ],
  },
  opts,
);
const [change, plain] = columns as [ExportColumn, ExportColumn];

describe('export labels and the wave years', () => {
  it('names the years when every wave asks about the same one, else none', () => {
    expect(exportYears([2027])).toEqual({ referenceYear: 2027, previousYear: 2026, nextYear: 2028 });
    expect(exportYears([2027, 2027])).toMatchObject({ referenceYear: 2027 });
    expect(exportYears([2026, 2027])).toBeNull();
  });

  it("fills one wave's years into variable and value labels in every language, keeping the reader", () => {
    const [c, p] = fillColumnYears(columns, exportYears([2027]));
    expect(c!.labels).toEqual({ nb: 'Endring i 2026?', en: 'Change in 2026?', ar: 'في 2026' });
    expect(c!.valueLabels[0]!.labels).toEqual({ nb: 'Mer enn i 2028', en: 'More than in 2028' });
    expect(c!.valueLabels[1]).toBe(change.valueLabels[1]);
    expect(c!.read!({ m_change: 2 })).toBe(2);
    // Other placeholders stay, and a column without years is the same object.
    expect(p).toBe(plain);
    expect(p!.labels.nb).toBe('Uten år {m_code}');
  });

  it("marks the years in each label's language when the waves differ, English where we have no words", () => {
    const [c] = fillColumnYears(columns, null);
    expect(c!.labels).toEqual({
      nb: 'Endring i [året før]?',
      en: 'Change in [previous year]?',
      ar: 'في [previous year]',
    });
    expect(c!.valueLabels[0]!.labels.nb).toBe('Mer enn i [året etter]');
  });

  it('says per wave which year a marker means, only for the waves that asked it', () => {
    const [c, p] = fillColumnYears(columns, null);
    const waves = [
      { id: 'a', name: 'Runde 2026', instrumentVersion: 2, referenceYear: 2026 },
      { id: 'b', name: 'Runde 2027', instrumentVersion: 2, referenceYear: 2027 },
    ];
    expect(yearNotes(c!, waves, ['Runde 2026', 'Runde 2027'])).toEqual([
      'Runde 2026: [previous year] = 2025, [next year] = 2027',
      'Runde 2027: [previous year] = 2026, [next year] = 2028',
    ]);
    expect(yearNotes(c!, waves, ['Runde 2027'])).toEqual([
      'Runde 2027: [previous year] = 2026, [next year] = 2028',
    ]);
    expect(yearNotes(p!, waves, undefined)).toEqual([]);
    // Filled labels need no note.
    expect(yearNotes(fillColumnYears(columns, exportYears([2027]))[0]!, waves, undefined)).toEqual([]);
    expect(waveFacts(waves[0]!)).toBe('instrument version 2, reference year 2026');
    expect(waveFacts({ id: 'x', name: 'x', instrumentVersion: 1 })).toBe('instrument version 1');
  });

  it("marks a version's codebook, leaving the stored one as it was", () => {
    const stored = {
      locales: ['nb', 'en'],
      variables: [
        {
          code: 'm_change',
          questionType: 'matrix',
          valueType: 'structure' as const,
          module: null,
          page: 'p1',
          required: false,
          visibleIf: null,
          labels: { nb: 'Endring i {previousYear}?', en: 'Change in {previousYear}?' },
          values: [{ value: 1, labels: { nb: 'Som i {referenceYear}' } }],
          rows: [{ value: 'r', labels: { en: 'By {nextYear}' } }],
        },
      ],
    };
    const marked = codebookForYears(stored, null);
    expect(marked.variables[0]!.labels).toEqual({
      nb: 'Endring i [året før]?',
      en: 'Change in [previous year]?',
    });
    expect(marked.variables[0]!.values[0]!.labels.nb).toBe('Som i [referanseåret]');
    expect(marked.variables[0]!.rows![0]!.labels.en).toBe('By [next year]');
    expect(stored.variables[0]!.labels.nb).toBe('Endring i {previousYear}?');
  });
});
