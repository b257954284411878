// The flattening of questions into export columns: names, labels, value labels, missing codes and values.
import { describe, expect, it } from 'vitest';
import { alignColumns, answerColumns, dynamicCap, type ExportColumn } from './columns.ts';

const opts = { sourceLocale: 'nb', missingCodes: { '97': 'does_not_apply', '98': 'dont_know' } };
const page = (elements: unknown[]) => ({ pages: [{ name: 'p1', svarModule: 'core', elements }] });
const read = (def: Record<string, unknown>, answers: Record<string, unknown>) =>
  Object.fromEntries(answerColumns(def, opts).map((c) => [c.name, c.read!(answers)]));

describe('export columns', () => {
  it('a single choice: numeric codes with labels per language and the instrument missing codes as user-missing', () => {
    const [c] = answerColumns(
      page([
        {
          type: 'radiogroup',
          name: 'p_sat',
          title: { default: 'Hvor fornøyd?', en: 'How satisfied?' },
          choices: [
            { value: 1, text: { default: 'Lite', en: 'Little' } },
            { value: 98, text: { default: 'Vet ikke', en: "Don't know" } },
          ],
        },
      ]),
      opts,
    );
    expect(c).toMatchObject({
      name: 'p_sat',
      type: 'number',
      labels: { nb: 'Hvor fornøyd?', en: 'How satisfied?' },
      missing: [98],
      question: { code: 'p_sat', type: 'radiogroup', module: 'core', page: 'p1' },
    });
    expect(c!.valueLabels[1]).toEqual({
      value: 98,
      labels: { nb: 'Vet ikke', en: "Don't know" },
      missing: 'dont_know',
    });
    expect(c!.read!({ p_sat: 98 })).toBe(98);
    expect(c!.read!({})).toBeNull();
  });

  it('multi-select as one 0/1 column per choice, "other" as a choice and its text in its own column', () => {
    const def = page([
      {
        type: 'checkbox',
        name: 'q',
        title: 'Hva?',
        showOtherItem: true,
        choices: [
          { value: 1, text: 'A' },
          { value: 2, text: 'B' },
        ],
      },
    ]);
    expect(answerColumns(def, opts).map((c) => c.name)).toEqual(['q_1', 'q_2', 'q_other', 'q_other_text']);
    expect(read(def, { q: [2, 'other'], 'q-Comment': 'Noe annet' })).toEqual({
      q_1: 0,
      q_2: 1,
      q_other: 1,
      q_other_text: 'Noe annet',
    });
    expect(read(def, {})).toEqual({ q_1: null, q_2: null, q_other: null, q_other_text: null });
  });

  it('matrices as code_row, dropdown matrices as code_row_column, dynamic ones up to the cap', () => {
    const def = page([
      {
        type: 'matrix',
        name: 'm',
        columns: [
          { value: 1, text: 'Enig' },
          { value: 98, text: 'Vet ikke' },
        ],
        rows: [
          { value: 'a', text: 'A' },
          { value: 'b', text: 'B' },
        ],
      },
      {
        type: 'matrixdropdown',
        name: 'd',
        rows: ['r1'],
        columns: [
          { name: 'c1', choices: [1, 2] },
          { name: 'c2', cellType: 'text' },
        ],
      },
      { type: 'matrixdynamic', name: 'y', columns: [{ name: 'k', cellType: 'text' }] },
      {
        type: 'paneldynamic',
        name: 'pd',
        templateElements: [{ type: 'text', name: 'age', inputType: 'number' }],
      },
      { type: 'multipletext', name: 'mt', items: [{ name: 'x', inputType: 'number' }, { name: 'z' }] },
      { type: 'boolean', name: 'b' },
    ]);
    const cols = answerColumns(def, opts);
    const names = cols.map((c) => c.name);
    expect(names.slice(0, 4)).toEqual(['m_a', 'm_b', 'd_r1_c1', 'd_r1_c2']);
    expect(names.filter((n) => n.startsWith('y_'))).toHaveLength(dynamicCap);
    expect(names.filter((n) => n.startsWith('pd_'))).toHaveLength(dynamicCap);
    expect(cols.find((c) => c.name === 'm_a')!.missing).toEqual([98]);
    expect(
      read(def, {
        m: { a: 1, b: 98 },
        d: { r1: { c1: 2, c2: 'tekst' } },
        y: [{ k: 'én' }, { k: 'to' }],
        pd: [{ age: 30 }],
        mt: { x: '5', z: 'ja' },
        b: true,
      }),
    ).toMatchObject({
      m_a: 1,
      m_b: 98,
      d_r1_c1: 2,
      d_r1_c2: 'tekst',
      y_1_k: 'én',
      y_2_k: 'to',
      y_3_k: null,
      pd_1_age: 30,
      mt_x: 5,
      mt_z: 'ja',
      b: 1,
    });
  });
});

describe('aligning the columns of several versions', () => {
  const col = (name: string, label = name): ExportColumn => ({
    name,
    labels: { nb: label },
    type: 'number',
    role: 'answer',
    valueLabels: [],
    missing: [],
  });
  it('keeps the newest order, puts a column only older versions asked after its neighbour there, newest labels win', () => {
    const v1 = [col('a', 'old a'), col('b'), col('c'), col('gone_at_end')];
    const v2 = [col('a', 'new a'), col('b_dk'), col('c'), col('new_d')];
    const v3 = [col('x'), col('a', 'newest a'), col('b_dk'), col('c'), col('new_d')];
    const aligned = alignColumns([v1, v2, v3]);
    expect(aligned.map((c) => c.name)).toEqual(['x', 'a', 'b', 'b_dk', 'c', 'gone_at_end', 'new_d']);
    expect(aligned[1]!.labels.nb).toBe('newest a');
    // A column an older version asked first goes first.
    expect(alignColumns([[col('first'), col('a')], [col('a')]]).map((c) => c.name)).toEqual(['first', 'a']);
    expect(alignColumns([])).toEqual([]);
  });
});
