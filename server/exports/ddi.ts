// DDI-Codebook 2.5 XML of an export (https://ddialliance.org/Specification/DDI-Codebook/2.5/): study, data file and
// one <var> per column with labels, question text and categories in every language. Valid against the 2.5.1 schema.
import type { VariableHistory } from './codebook-export.ts';
import type { Dataset, ExportColumn, Sink } from './dataset.ts';
import { waveFacts, yearNotes } from './wave-years.ts';

export interface DdiOptions {
  /** The archive or agency that owns the study identifier (IDNo/@agency) and produced the codebook. */
  agency?: string;
  history?: VariableHistory;
  /** The data file the codebook describes; defaults to `<instrument>.csv`. */
  fileName?: string;
  /** The production date written to the document description; defaults to today (UTC). */
  producedAt?: Date;
}

// XML 1.0 forbids most control characters even when escaped: drop them rather than write an unreadable file.
const notXmlChar = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function esc(value: unknown): string {
  return String(value)
    .replace(notXmlChar, '')
    .replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);
}

type Attrs = Record<string, string | number | undefined>;

function attrs(a: Attrs): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => ` ${k}="${esc(v)}"`)
    .join('');
}

/** An element with text content, or with child elements when given an array (empty when there are none). */
function el(name: string, a: Attrs, content: string | string[] = []): string {
  if (typeof content === 'string') return `<${name}${attrs(a)}>${esc(content)}</${name}>`;
  return content.length ? `<${name}${attrs(a)}>${content.join('')}</${name}>` : `<${name}${attrs(a)}/>`;
}

/** One element per language the labels have (`xml:lang`), in a stable order: the label language first. */
function perLanguage(name: string, labels: Record<string, string>, first: string): string[] {
  const langs = Object.keys(labels).sort(
    (a, b) => Number(b === first) - Number(a === first) || a.localeCompare(b),
  );
  return langs.filter((l) => labels[l]).map((l) => el(name, { 'xml:lang': l }, labels[l]!));
}

const coded = (c: ExportColumn) => c.valueLabels.some((v) => !v.missing);

function responseDomain(c: ExportColumn): string {
  if (coded(c)) return 'category';
  return { number: 'numeric', string: 'text', datetime: 'datetime' }[c.type];
}

function varFormat(c: ExportColumn): string {
  if (c.type === 'datetime')
    return el('varFormat', {
      type: 'character',
      schema: 'ISO',
      category: 'date',
      formatname: 'ISO 8601 UTC (YYYY-MM-DDThh:mm:ss.sssZ)',
    });
  return el('varFormat', { type: c.type === 'number' ? 'numeric' : 'character', schema: 'other' });
}

function variable(c: ExportColumn, id: string, weights: string, ds: Dataset, opts: DdiOptions): string {
  const lang = ds.labelLocale;
  const q = c.question;
  const edits = q ? (opts.history?.minorEdits[q.code] ?? []) : [];
  const waves = q ? (opts.history?.waves[c.name] ?? []) : [];
  const versions = q ? (opts.history?.versions[c.name] ?? []) : [];
  const children = [
    ...perLanguage('labl', c.labels, lang),
    ...(c.role === 'answer'
      ? [el('qstn', { responseDomainType: responseDomain(c) }, perLanguage('qstnLit', c.labels, lang))]
      : []),
    ...(c.missing.length
      ? [
          el(
            'invalrng',
            {},
            c.missing.map((v) => el('item', { VALUE: v, UNITS: 'INT' })),
          ),
        ]
      : []),
    ...c.valueLabels.map((v) =>
      el('catgry', v.missing ? { missing: 'Y', missType: v.missing } : {}, [
        el('catValu', {}, String(v.value)),
        ...perLanguage('labl', v.labels, lang),
      ]),
    ),
    // A minor edit changed the wording but kept the code (and so the time series): say when and how.
    ...edits.map((e) =>
      el('verStmt', {}, [el('version', { type: 'minor_edit' }, String(e.version)), el('notes', {}, e.note)]),
    ),
    varFormat(c),
    el('notes', { type: 'svar:role' }, c.role),
    ...(q ? [el('notes', { type: 'svar:question' }, `${q.code} (${q.type}), page ${q.page ?? '-'}`)] : []),
    // The name in the SurveyJS definition it was imported from, where that was not a usable variable name.
    ...(q?.sourceName ? [el('notes', { type: 'svar:sourceName' }, q.sourceName)] : []),
    ...waves.map((w) => el('notes', { type: 'svar:wave' }, w)),
    ...(versions.length ? [el('notes', { type: 'svar:versions' }, versions.join(' '))] : []),
    // Waves of different years stacked: the label says "[previous year]", and this says which year per wave.
    ...yearNotes(c, ds.waves, opts.history?.waves[c.name]).map((n) =>
      el('notes', { type: 'svar:waveYears' }, n),
    ),
  ];
  const numeric = c.type === 'number' && !coded(c);
  return el(
    'var',
    {
      ID: id,
      name: c.name,
      files: 'F1',
      intrvl: numeric ? 'contin' : 'discrete',
      wgt: c.role === 'weight' ? 'wgt' : undefined,
      // Answers are what one estimates from, so they name the weights to estimate with.
      'wgt-var': c.role === 'answer' ? weights : undefined,
    },
    children,
  );
}

const groupType: Record<string, string> = {
  checkbox: 'multipleResp',
  tagbox: 'multipleResp',
  matrix: 'grid',
  matrixdropdown: 'grid',
  matrixdynamic: 'grid',
  paneldynamic: 'repetition',
};

/** A group per module (sections of the questionnaire) and per question spread over several columns. */
function groups(ds: Dataset, ids: Map<ExportColumn, string>): string[] {
  const byModule = new Map<string, string[]>();
  const byQuestion = new Map<string, { type: string; ids: string[] }>();
  for (const c of ds.columns) {
    if (!c.question) continue;
    const m = c.question.module;
    if (m) byModule.set(m, [...(byModule.get(m) ?? []), ids.get(c)!]);
    const g = byQuestion.get(c.question.code) ?? { type: c.question.type, ids: [] };
    g.ids.push(ids.get(c)!);
    byQuestion.set(c.question.code, g);
  }
  return [
    ...[...byModule].map(([m, v], i) =>
      el('varGrp', { ID: `GM${i + 1}`, type: 'section', name: m, var: v.join(' ') }, [el('labl', {}, m)]),
    ),
    ...[...byQuestion]
      .filter(([, g]) => g.ids.length > 1)
      .map(([code, g], i) =>
        el(
          'varGrp',
          { ID: `GQ${i + 1}`, type: groupType[g.type] ?? 'other', name: code, var: g.ids.join(' ') },
          [el('labl', {}, code)],
        ),
      ),
  ];
}

export async function writeDdi(dataset: Dataset, sink: Sink, opts: DdiOptions = {}): Promise<void> {
  const lang = dataset.labelLocale;
  const title =
    dataset.title[lang] ?? dataset.title.nb ?? Object.values(dataset.title)[0] ?? dataset.instrumentId;
  const titleLang = dataset.title[lang] ? lang : dataset.title.nb ? 'nb' : Object.keys(dataset.title)[0];
  const others = Object.fromEntries(Object.entries(dataset.title).filter(([l]) => l !== titleLang));
  const date = (opts.producedAt ?? new Date()).toISOString().slice(0, 10);
  const producer = opts.agency ? [el('producer', {}, opts.agency)] : [];
  // IDs are positional (V1, V2 …): column names need not be valid XML IDs, and must not collide with the groups'.
  const ids = new Map(dataset.columns.map((c, i) => [c, `V${i + 1}`]));
  const weights = dataset.columns
    .filter((c) => c.role === 'weight')
    .map((c) => ids.get(c)!)
    .join(' ');

  await sink.write(
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<codeBook xmlns="ddi:codebook:2_5" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
      `xsi:schemaLocation="ddi:codebook:2_5 https://ddialliance.org/Specification/DDI-Codebook/2.5/XMLSchema/codebook.xsd" ` +
      `version="2.5"${attrs({ 'xml:lang': lang })}>\n` +
      el('docDscr', {}, [
        el('citation', {}, [
          el('titlStmt', {}, [el('titl', { 'xml:lang': titleLang }, `${title} – DDI codebook`)]),
          el('prodStmt', {}, [...producer, el('prodDate', { date }, date), el('software', {}, 'Svar')]),
        ]),
      ]) +
      '\n' +
      el('stdyDscr', {}, [
        el('citation', {}, [
          el('titlStmt', {}, [
            el('titl', { 'xml:lang': titleLang }, title),
            ...perLanguage('parTitl', others, lang),
            el('IDNo', { agency: opts.agency, level: 'study' }, dataset.instrumentId),
          ]),
          ...(opts.agency ? [el('rspStmt', {}, [el('AuthEnty', {}, opts.agency)])] : []),
        ]),
        el('stdyInfo', {}, [
          el('sumDscr', {}, [el('anlyUnit', { unit: dataset.unitType }, dataset.unitType)]),
        ]),
        ...dataset.waves.map((w) => el('notes', { type: 'svar:wave' }, `${w.name} (${waveFacts(w)})`)),
      ]) +
      '\n' +
      el('fileDscr', { ID: 'F1' }, [
        el('fileTxt', {}, [
          el('fileName', {}, opts.fileName ?? `${dataset.instrumentId}.csv`),
          el('dimensns', {}, [
            el('caseQnty', {}, String(dataset.rowCount)),
            el('varQnty', {}, String(dataset.columns.length)),
          ]),
          el('fileType', { charset: 'UTF-8' }, 'text/csv'),
        ]),
      ]) +
      '\n<dataDscr>\n' +
      groups(dataset, ids)
        .map((g) => `${g}\n`)
        .join(''),
  );
  for (const c of dataset.columns) await sink.write(`${variable(c, ids.get(c)!, weights, dataset, opts)}\n`);
  await sink.write('</dataDscr>\n</codeBook>\n');
}
