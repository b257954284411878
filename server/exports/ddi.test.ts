// DDI-Codebook 2.5: the export validates against the official 2.5.1 schema offline, and says what analysts need.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { answerColumns, type ExportColumn } from './columns.ts';
import { datasetOf, memorySink } from './dataset.ts';
import { writeDdi } from './ddi.ts';
import { systemColumns } from './system-columns.ts';

const hasXmllint = spawnSync('sh', ['-c', 'command -v xmllint']).status === 0;
if (!hasXmllint && process.env.CI === 'true') throw new Error('xmllint is missing: run npm run setup:system');

const schema = fileURLToPath(
  new URL('../../tests/fixtures/schemas/ddi-codebook-2.5.1/codebook.xsd', import.meta.url),
);
const dir = mkdtempSync(join(tmpdir(), 'svar-ddi-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** xmllint's verdict; --nonet proves every schema import resolves from the fixture folder. */
function validate(xml: string): { ok: boolean; output: string } {
  const file = join(dir, 'codebook.xml');
  writeFileSync(file, xml);
  const r = spawnSync('xmllint', ['--nonet', '--noout', '--schema', schema, file], { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

const title = (nb: string, en: string, ar: string, ti: string) => ({ default: nb, en, ar, ti });
const definition = {
  pages: [
    {
      name: 'p_programme',
      svarModule: 'core',
      elements: [
        {
          type: 'radiogroup',
          name: 'q_sat',
          title: title('Hvor fornøyd er du?', 'How satisfied are you?', 'ما مدى رضاك؟', 'ክንደይ ዕጉብ ኢኻ?'),
          choices: [
            { value: 1, text: title('Fornøyd', 'Satisfied', 'راضٍ', 'ዕጉብ') },
            { value: 2, text: title('Misfornøyd', 'Dissatisfied', 'غير راضٍ', 'ዘይዕጉብ') },
            { value: 97, text: title('Gjelder ikke', 'Does not apply', 'لا ينطبق', 'ኣይምልከተንን') },
            { value: 98, text: title('Vet ikke', "Don't know", 'لا أعرف', 'ኣይፈልጥን') },
          ],
        },
        {
          type: 'checkbox',
          name: 'q_help',
          title: { default: 'Hvem hjalp deg? <&>', ar: 'من ساعدك؟' },
          choices: [
            { value: 'family', text: { default: 'Familie', ar: 'العائلة' } },
            { value: 'advisor', text: { default: 'Programrådgiver', ar: 'المستشار' } },
          ],
        },
        { type: 'text', inputType: 'number', name: 'q_hours', title: 'Timer norskopplæring per uke' },
        // Imported: its SurveyJS name "Hot hatch" was not a usable code.
        { type: 'text', name: 'hot_hatch', svarSourceName: 'Hot hatch', title: 'Bil' },
      ],
    },
  ],
};

function dataset(): ReturnType<typeof datasetOf> {
  const answers = answerColumns(definition, {
    sourceLocale: 'nb',
    missingCodes: { '97': 'does_not_apply', '98': 'dont_know' },
  });
  const quality: ExportColumn = {
    name: 'qf_straightlining',
    labels: { nb: 'Samme svar i hele matrisen', en: 'Same answer across the grid' },
    type: 'number',
    role: 'quality',
    valueLabels: [
      { value: 0, labels: { nb: 'Nei', en: 'No' } },
      { value: 1, labels: { nb: 'Ja', en: 'Yes' } },
    ],
    missing: [],
  };
  return datasetOf([...systemColumns(), ...answers, quality], [], {
    title: { nb: 'Brukerundersøkelsen', en: 'User survey', ar: 'استطلاع المستخدمين' },
    waves: [
      { id: 'w1', name: 'Høst 2024', instrumentVersion: 2 },
      { id: 'w2', name: 'Høst 2025', instrumentVersion: 3 },
    ],
  });
}

async function ddi(): Promise<string> {
  const sink = memorySink();
  const ds = { ...dataset(), rowCount: 1234 };
  await writeDdi(ds, sink, {
    agency: 'IMDi',
    fileName: 'participant-survey_Høst-2025.csv',
    history: {
      waves: { q_sat: ['Høst 2024', 'Høst 2025'], q_help_family: ['Høst 2025'] },
      versions: { q_sat: [2, 3], q_help_family: [3] },
      minorEdits: { q_sat: [{ version: 3, note: 'Tydeligere ordlyd' }] },
    },
  });
  return sink.text();
}

/** The <var> element of one column. */
function varOf(xml: string, name: string): string {
  const m = new RegExp(`<var [^>]*name="${name}"[^>]*>[\\s\\S]*?</var>`).exec(xml);
  if (!m) throw new Error(`no var ${name}`);
  return m[0];
}

describe('writeDdi', () => {
  it.skipIf(!hasXmllint)('validates against the DDI-Codebook 2.5.1 schema, offline', async () => {
    const xml = await ddi();
    const r = validate(xml);
    expect(r.output).toContain('validates');
    expect(r.ok).toBe(true);
    // The validation itself can fail: a broken document is refused.
    expect(validate(xml.replace('<catValu>', '<bogus/><catValu>')).ok).toBe(false);
    expect(validate(xml.replace('intrvl="contin"', 'intrvl="ordinal"')).ok).toBe(false);
    // An empty study validates too.
    const sink = memorySink();
    await writeDdi(datasetOf([], [], { title: {} }), sink, {});
    expect(validate(sink.text()).ok).toBe(true);
  });

  it('resolves every reference (xmllint does not check IDREFs)', async () => {
    const xml = await ddi();
    const ids = new Set([...xml.matchAll(/ ID="([^"]+)"/g)].map((m) => m[1]));
    const refs = [...xml.matchAll(/ (?:wgt-var|var|files)="([^"]+)"/g)].flatMap((m) => m[1]!.split(' '));
    expect(refs.length).toBeGreaterThan(10);
    for (const r of refs) expect(ids).toContain(r);
    expect(ids.size).toBe([...xml.matchAll(/ ID="/g)].length);
  });

  it('describes the study and the file', async () => {
    const xml = await ddi();
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<codeBook xmlns="ddi:codebook:2_5"/);
    expect(xml).toContain('version="2.5"');
    expect(xml).toContain('<titl xml:lang="nb">Brukerundersøkelsen</titl>');
    expect(xml).toContain('<parTitl xml:lang="ar">استطلاع المستخدمين</parTitl>');
    expect(xml).toContain('<IDNo agency="IMDi" level="study">test</IDNo>');
    expect(xml).toContain('<fileName>participant-survey_Høst-2025.csv</fileName>');
    expect(xml).toContain('<caseQnty>1234</caseQnty>');
    expect(xml).toContain(`<varQnty>${dataset().columns.length}</varQnty>`);
    expect(xml).toContain('<notes type="svar:wave">Høst 2025 (instrument version 3)</notes>');
  });

  it('gives a coded answer its labels, question text and categories in every language, missing codes marked', async () => {
    const v = varOf(await ddi(), 'q_sat');
    expect(v).toMatch(/^<var ID="V\d+" name="q_sat" files="F1" intrvl="discrete" wgt-var="V\d+ V\d+">/);
    expect(v).toContain('<labl xml:lang="ar">ما مدى رضاك؟</labl>');
    expect(v).toContain('<labl xml:lang="ti">ክንደይ ዕጉብ ኢኻ?</labl>');
    expect(v).toContain(
      '<qstn responseDomainType="category"><qstnLit xml:lang="nb">Hvor fornøyd er du?</qstnLit>',
    );
    expect(v).toContain('<qstnLit xml:lang="ar">ما مدى رضاك؟</qstnLit>');
    expect(v).toContain('<catgry><catValu>1</catValu><labl xml:lang="nb">Fornøyd</labl>');
    expect(v).toContain('<catgry missing="Y" missType="dont_know"><catValu>98</catValu>');
    expect(v).toContain('<labl xml:lang="ti">ኣይፈልጥን</labl>');
    expect(v).toContain('<invalrng><item VALUE="97" UNITS="INT"/><item VALUE="98" UNITS="INT"/></invalrng>');
    expect(v).toContain('<varFormat type="numeric" schema="other"/>');
    expect(v).toContain(
      '<verStmt><version type="minor_edit">3</version><notes>Tydeligere ordlyd</notes></verStmt>',
    );
    expect(v).toContain('<notes type="svar:wave">Høst 2024</notes>');
    expect(v).toContain('<notes type="svar:versions">2 3</notes>');
    expect(v).not.toContain('svar:sourceName');
  });

  it('keeps the name an imported question had in its SurveyJS definition', async () => {
    const v = varOf(await ddi(), 'hot_hatch');
    expect(v).toContain('<notes type="svar:sourceName">Hot hatch</notes>');
  });

  it('marks weights, and answers name them in wgt-var', async () => {
    const xml = await ddi();
    const design = varOf(xml, 'design_weight');
    const nr = varOf(xml, 'nr_weight');
    expect(design).toContain('wgt="wgt"');
    expect(design).toContain('intrvl="contin"');
    expect(nr).toContain('<labl xml:lang="en">Non-response adjusted weight</labl>');
    const ids = [design, nr].map((v) => /ID="(V\d+)"/.exec(v)![1]);
    expect(varOf(xml, 'q_hours')).toContain(`wgt-var="${ids.join(' ')}"`);
    expect(varOf(xml, 'q_hours')).toContain('intrvl="contin"');
    expect(varOf(xml, 'response_id')).not.toContain('wgt-var');
    expect(varOf(xml, 'response_id')).not.toContain('<qstn');
  });

  it('types text and times as characters, escapes text, and groups modules and multi-column questions', async () => {
    const xml = await ddi();
    expect(varOf(xml, 'started_at')).toContain('<varFormat type="character" schema="ISO" category="date"');
    expect(varOf(xml, 'locale')).toContain('<varFormat type="character" schema="other"/>');
    expect(varOf(xml, 'q_help_family')).toContain('Hvem hjalp deg? &lt;&amp;&gt;: Familie');
    expect(xml).toMatch(
      /<varGrp ID="GM1" type="section" name="core" var="(V\d+ ?)+"><labl>core<\/labl><\/varGrp>/,
    );
    expect(xml).toMatch(/<varGrp ID="GQ1" type="multipleResp" name="q_help" var="V\d+ V\d+">/);
    expect(varOf(xml, 'qf_straightlining')).toContain('<notes type="svar:role">quality</notes>');
  });
});
