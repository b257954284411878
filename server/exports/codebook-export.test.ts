// The export codebook: every variable with labels in every language, missing codes and wave history, in CSV, JSON
// and an accessible HTML page.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  codebookRows,
  type VariableHistory,
  writeCodebookCsv,
  writeCodebookHtml,
  writeCodebookJson,
} from './codebook-export.ts';
import { answerColumns, type ExportColumn } from './columns.ts';
import { datasetOf, memorySink } from './dataset.ts';
import { sectionColumns, systemColumns } from './system-columns.ts';

const definition = {
  pages: [
    {
      name: 'p_programme',
      svarModule: 'core',
      elements: [
        {
          type: 'radiogroup',
          name: 'q_sat',
          title: {
            default: 'Hvor fornøyd er du?',
            en: 'How satisfied are you?',
            ar: 'ما مدى رضاك؟',
            ti: 'ክንደይ ዕጉብ ኢኻ?',
          },
          choices: [
            { value: 1, text: { default: 'Fornøyd', en: 'Satisfied', ar: 'راضٍ', ti: 'ዕጉብ' } },
            { value: 2, text: { default: 'Misfornøyd <ikke> "fornøyd"', en: 'Dissatisfied', ar: 'غير راضٍ' } },
            { value: 97, text: { default: 'Gjelder ikke', en: 'Does not apply', ar: 'لا ينطبق' } },
            { value: 98, text: { default: 'Vet ikke', en: "Don't know", ar: 'لا أعرف' } },
          ],
        },
        { type: 'comment', name: 'q_why', title: { default: 'Hvorfor?', ar: 'لماذا؟' } },
        // Imported: the SurveyJS name "recommend friends" was not a usable code.
        {
          type: 'boolean',
          name: 'recommend_friends',
          svarSourceName: 'recommend friends',
          title: 'Anbefale?',
        },
      ],
    },
    {
      name: 'p_theme',
      svarModule: 'settlement',
      elements: [{ type: 'text', inputType: 'number', name: 'q_count', title: 'Antall bosatte' }],
    },
  ],
};

function dataset() {
  const answers = answerColumns(definition, {
    sourceLocale: 'nb',
    missingCodes: { '97': 'does_not_apply', '98': 'dont_know' },
  });
  const quality: ExportColumn = {
    name: 'qf_speeding',
    labels: { nb: 'Svarte svært raskt', en: 'Answered very fast' },
    type: 'number',
    role: 'quality',
    valueLabels: [],
    missing: [],
  };
  const columns = [
    ...systemColumns(),
    ...sectionColumns([{ name: 'settlement', title: 'Bosetting', codes: ['q_count'] }]),
    ...answers,
    quality,
  ];
  return datasetOf(columns, [], { title: { nb: 'Brukerundersøkelsen', en: 'User survey' } });
}

const history: VariableHistory = {
  waves: { q_sat: ['Høst 2024', 'Høst 2025'], q_why: ['Høst 2025'] },
  versions: { q_sat: [2, 3], q_why: [3] },
  minorEdits: { q_sat: [{ version: 3, note: 'Tydeligere ordlyd' }] },
};

describe('codebookRows', () => {
  it('carries every language, the missing codes and the question', () => {
    const sat = codebookRows(dataset()).find((r) => r.name === 'q_sat')!;
    expect(Object.keys(sat.labels).sort()).toEqual(['ar', 'en', 'nb', 'ti']);
    expect(sat.missing).toEqual([
      { value: 97, meaning: 'does_not_apply' },
      { value: 98, meaning: 'dont_know' },
    ]);
    expect(sat.question).toEqual({ code: 'q_sat', type: 'radiogroup', module: 'core', page: 'p_programme' });
    expect(sat).not.toHaveProperty('waves');
    expect(sat).not.toHaveProperty('minorEdits');
  });

  it('adds waves and minor edits when the caller knows them', () => {
    const rows = codebookRows(dataset(), history);
    const sat = rows.find((r) => r.name === 'q_sat')!;
    expect(sat.waves).toEqual(['Høst 2024', 'Høst 2025']);
    expect(sat.wordingChanged).toBe(true);
    expect(sat.minorEdits).toEqual([{ version: 3, note: 'Tydeligere ordlyd' }]);
    const why = rows.find((r) => r.name === 'q_why')!;
    expect(why).toMatchObject({ waves: ['Høst 2025'], versions: [3], wordingChanged: false, minorEdits: [] });
    expect(rows.find((r) => r.name === 'design_weight')).not.toHaveProperty('waves');
  });
});

describe('writeCodebookCsv', () => {
  it('writes a label column per language, value labels per language and the history', async () => {
    const sink = memorySink();
    await writeCodebookCsv(dataset(), sink, history);
    const text = sink.text();
    expect(text.startsWith('\uFEFF')).toBe(true);
    const records = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    const sat = records.find((r) => r.name === 'q_sat')!;
    expect(Object.keys(sat)).toEqual(
      expect.arrayContaining(['label_nb', 'label_en', 'label_ar', 'label_ti', 'value_labels_ar', 'waves']),
    );
    // Svar's language order: nb, en, ar, ti.
    expect(Object.keys(sat).filter((k) => k.startsWith('label_'))).toEqual([
      'label_nb',
      'label_en',
      'label_ar',
      'label_ti',
    ]);
    expect(sat).toMatchObject({
      role: 'answer',
      type: 'number',
      label_ar: 'ما مدى رضاك؟',
      label_ti: 'ክንደይ ዕጉብ ኢኻ?',
      missing_codes: '97 = does_not_apply\n98 = dont_know',
      question_code: 'q_sat',
      module: 'core',
      page: 'p_programme',
      source_name: '',
      waves: 'Høst 2024\nHøst 2025',
      versions: '2 3',
      wording_changed: 'yes',
      minor_edits: 'version 3: Tydeligere ordlyd',
    });
    expect(sat.value_labels_ar).toBe('1 = راضٍ\n2 = غير راضٍ\n97 = لا ينطبق\n98 = لا أعرف');
    expect(sat.value_labels_ti).toBe('1 = ዕጉብ');
    // The name an imported question had in its SurveyJS definition, beside the code Svar gave it.
    expect(records.find((r) => r.name === 'recommend_friends')).toMatchObject({
      question_code: 'recommend_friends',
      source_name: 'recommend friends',
    });
    const weight = records.find((r) => r.name === 'nr_weight')!;
    expect(weight).toMatchObject({ role: 'weight', label_en: 'Non-response adjusted weight', label_ar: '' });
    expect(records.find((r) => r.name === 'by_settlement')).toMatchObject({ role: 'system', type: 'string' });
  });

  it('makes labels that a spreadsheet would run as formulas inert', async () => {
    const ds = dataset();
    ds.columns.push({
      name: 'q_evil',
      labels: { nb: '=HYPERLINK("http://x")' },
      type: 'number',
      role: 'answer',
      valueLabels: [{ value: -1, labels: { nb: 'Minus' } }],
      missing: [],
    });
    const sink = memorySink();
    await writeCodebookCsv(ds, sink);
    const evil = (parse(sink.text(), { bom: true, columns: true }) as Record<string, string>[]).at(-1)!;
    expect(evil.label_nb).toBe('\'=HYPERLINK("http://x")');
    expect(evil.value_labels_nb).toBe("'-1 = Minus");
  });

  it('leaves the history columns out when there is none', async () => {
    const sink = memorySink();
    await writeCodebookCsv(dataset(), sink);
    const [header] = parse(sink.text(), { bom: true, to_line: 1 }) as string[][];
    expect(header).not.toContain('waves');
    expect(header).toContain('question_code');
  });
});

describe('writeCodebookJson', () => {
  it('gives labels as an object per language', async () => {
    const sink = memorySink();
    await writeCodebookJson(dataset(), sink, history);
    const doc = JSON.parse(sink.text());
    expect(doc.locales).toEqual(['nb', 'en', 'ar', 'ti']);
    const sat = doc.variables.find((v: { name: string }) => v.name === 'q_sat');
    expect(sat.labels.ar).toBe('ما مدى رضاك؟');
    expect(sat.valueLabels[3]).toEqual({
      value: 98,
      labels: { nb: 'Vet ikke', en: "Don't know", ar: 'لا أعرف' },
      missing: 'dont_know',
    });
    expect(sat.minorEdits).toEqual([{ version: 3, note: 'Tydeligere ordlyd' }]);
    expect(sat.versions).toEqual([2, 3]);
    const imported = doc.variables.find((v: { name: string }) => v.name === 'recommend_friends');
    expect(imported.question.sourceName).toBe('recommend friends');
    expect(doc.variables.find((v: { name: string }) => v.name === 'response_id').role).toBe('id');
  });
});

describe('writeCodebookHtml', () => {
  async function html(h?: VariableHistory) {
    const sink = memorySink();
    await writeCodebookHtml(dataset(), sink, h);
    return sink.text();
  }

  it('is a standalone page with a language, a title, headings in order and a table of contents', async () => {
    const page = await html(history);
    expect(page.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(page).toContain('<meta charset="utf-8">');
    expect(page).toContain('<title>Codebook: Brukerundersøkelsen</title>');
    expect(page).not.toMatch(/<(link|script)\b/);
    // No heading level is skipped.
    const levels = [...page.matchAll(/<h([1-6])\b/g)].map((m) => Number(m[1]));
    expect(levels[0]).toBe(1);
    for (let i = 1; i < levels.length; i += 1) expect(levels[i]! - levels[i - 1]!).toBeLessThanOrEqual(1);
    // Every table-of-contents link has its target.
    const ids = new Set([...page.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]));
    const links = [...page.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(20);
    for (const l of links) expect(ids).toContain(l);
    expect(ids.size).toBe([...page.matchAll(/\bid="/g)].length);
    for (const g of [
      'Identification and system variables',
      'Weights',
      'Answers: module core',
      'Quality flags',
    ])
      expect(page).toContain(`>${g}</h2>`);
  });

  it('renders each variable as a table with header cells, language marks and right-to-left cells', async () => {
    const page = await html(history);
    expect(page).toContain('<h3 id="var-q_sat-h"><code>q_sat</code></h3>');
    expect(page).toMatch(
      /<th scope="row">Label, <span lang="ar" dir="rtl">العربية<\/span> \(ar\)<\/th><td lang="ar" dir="rtl">ما مدى رضاك؟<\/td>/,
    );
    expect(page).toContain('<td lang="ti">ዕጉብ</td>');
    expect(page).toContain('<th scope="col">Value</th>');
    expect(page).toContain('<tr><th scope="row">98</th><td lang="nb">Vet ikke</td>');
    expect(page).toContain('97 = does_not_apply; 98 = dont_know');
    expect(page).toContain('<th scope="row">Waves</th><td>Høst 2024; Høst 2025</td>');
    expect(page).toContain('<th scope="row">Instrument versions</th><td>2, 3</td>');
    expect(page).toContain('<th scope="row">Source name</th><td><code>recommend friends</code></td>');
    expect(page).toContain('yes: version 3: Tydeligere ordlyd');
    expect(page).toContain('<td lang="en">Non-response adjusted weight</td>');
    expect(page).toContain('<code>by_settlement</code>');
  });

  it('escapes every text', async () => {
    const page = await html();
    expect(page).toContain('Misfornøyd &lt;ikke&gt; &quot;fornøyd&quot;');
    expect(page).not.toContain('<ikke>');
    expect(page).not.toContain('Wording changed');
  });
});
