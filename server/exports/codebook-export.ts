// The export's codebook for people: every variable with its labels in every language, value labels, missing codes
// and question, as CSV (one row per variable), JSON, and a standalone accessible HTML page.
import { stringify } from 'csv-stringify/sync';
import { directionOf, findLanguage, languages } from '../surveys/languages.ts';
import type { ExportQuestion, ValueLabel } from './columns.ts';
import type { Dataset, ExportColumn, Sink } from './dataset.ts';
import { neutraliseFormula } from './spreadsheet-safe.ts';
import { waveFacts, yearNotes } from './wave-years.ts';

type Labels = Record<string, string>;
type MinorEdit = { version: number; note: string };

/** What the caller knows across waves. Absent for a one-wave export, and then the codebook leaves it out. */
export interface VariableHistory {
  /** Column name → the names of the waves that asked it. */
  waves: Record<string, string[]>;
  /** Column name → the instrument versions that asked it (a code keeps its meaning across versions). */
  versions: Record<string, number[]>;
  /** Question code → the minor edits (new wording, same code) its module declared, by version. */
  minorEdits: Record<string, MinorEdit[]>;
}

export interface CodebookRow {
  name: string;
  role: ExportColumn['role'];
  type: ExportColumn['type'];
  labels: Labels;
  valueLabels: ValueLabel[];
  /** The user-missing codes with what they stand for ("dont_know"), so no one averages a 98. */
  missing: { value: number; meaning: string }[];
  question: ExportQuestion | null;
  /** Only for answers, and only when the caller passed a history. */
  waves?: string[];
  versions?: number[];
  wordingChanged?: boolean;
  minorEdits?: MinorEdit[];
  /** Where the labels say "[previous year]" (waves of different years stacked): the year each wave means. */
  waveYears?: string[];
}

export function codebookRows(dataset: Dataset, history?: VariableHistory): CodebookRow[] {
  return dataset.columns.map((c) => {
    const edits = c.question ? (history?.minorEdits[c.question.code] ?? []) : [];
    const waveYears = yearNotes(c, dataset.waves, history?.waves[c.name]);
    return {
      name: c.name,
      role: c.role,
      type: c.type,
      labels: c.labels,
      valueLabels: c.valueLabels,
      missing: c.missing.map((value) => ({
        value,
        meaning: c.valueLabels.find((v) => v.value === value)?.missing ?? 'missing',
      })),
      question: c.question ?? null,
      // System columns are in every wave by construction; the history speaks of questions.
      ...(history && c.question
        ? {
            waves: history.waves[c.name] ?? [],
            versions: history.versions[c.name] ?? [],
            wordingChanged: edits.length > 0,
            minorEdits: edits,
          }
        : {}),
      ...(waveYears.length ? { waveYears } : {}),
    };
  });
}

const languageOrder = new Map(languages.map((l, i) => [l.code, i]));

/** Every language any label has, in Svar's language order (unknown ones after, alphabetically), so exports line up. */
export function codebookLocales(rows: CodebookRow[]): string[] {
  const found = new Set<string>();
  for (const r of rows) {
    for (const l of Object.keys(r.labels)) found.add(l);
    for (const v of r.valueLabels) for (const l of Object.keys(v.labels)) found.add(l);
  }
  const rank = (l: string) => languageOrder.get(l) ?? languages.length;
  return [...found].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

// Several values in one CSV cell go one per line: unambiguous, and Excel shows them stacked.
const lines = (items: string[]) => items.join('\n');

export async function writeCodebookCsv(
  dataset: Dataset,
  sink: Sink,
  history?: VariableHistory,
): Promise<void> {
  const rows = codebookRows(dataset, history);
  const locales = codebookLocales(rows);
  const withYears = rows.some((r) => r.waveYears);
  const header = [
    'name',
    'role',
    'type',
    ...locales.map((l) => `label_${l}`),
    ...locales.map((l) => `value_labels_${l}`),
    'missing_codes',
    'question_code',
    'source_name',
    'question_type',
    'module',
    'page',
    ...(history ? ['waves', 'versions', 'wording_changed', 'minor_edits'] : []),
    // Only when some label carries a year marker, so a one-year export's columns stay as they were.
    ...(withYears ? ['wave_years'] : []),
  ];
  const records = rows.map((r) => [
    r.name,
    r.role,
    r.type,
    ...locales.map((l) => r.labels[l] ?? ''),
    ...locales.map((l) =>
      lines(r.valueLabels.filter((v) => v.labels[l] !== undefined).map((v) => `${v.value} = ${v.labels[l]}`)),
    ),
    lines(r.missing.map((m) => `${m.value} = ${m.meaning}`)),
    r.question?.code ?? '',
    r.question?.sourceName ?? '',
    r.question?.type ?? '',
    r.question?.module ?? '',
    r.question?.page ?? '',
    ...(history
      ? [
          lines(r.waves ?? []),
          (r.versions ?? []).join(' '),
          r.wordingChanged === undefined ? '' : r.wordingChanged ? 'yes' : 'no',
          lines(editLines(r.minorEdits ?? [])),
        ]
      : []),
    ...(withYears ? [lines(r.waveYears ?? [])] : []),
  ]);
  // The BOM makes Excel read the file as UTF-8; without it Arabic and Tigrinya labels turn to mojibake. Labels are
  // authored text, so a leading = + - @ is made inert as in the data CSV.
  await sink.write(stringify([header, ...records.map((r) => r.map(neutraliseFormula))], { bom: true }));
}

export async function writeCodebookJson(
  dataset: Dataset,
  sink: Sink,
  history?: VariableHistory,
): Promise<void> {
  const rows = codebookRows(dataset, history);
  const doc = {
    instrument: dataset.instrumentId,
    title: dataset.title,
    unitType: dataset.unitType,
    waves: dataset.waves,
    rowCount: dataset.rowCount,
    locales: codebookLocales(rows),
    variables: rows,
  };
  await sink.write(`${JSON.stringify(doc, null, 2)}\n`);
}

function editLines(edits: MinorEdit[]): string[] {
  return edits.map((e) => `version ${e.version}: ${e.note}`);
}

function esc(value: unknown): string {
  return String(value).replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );
}

/** `lang` (and `dir` for right-to-left scripts) so screen readers switch voice and the text runs the right way. */
function langAttrs(locale: string): string {
  return ` lang="${esc(locale)}"${directionOf(locale) === 'rtl' ? ' dir="rtl"' : ''}`;
}

function languageName(locale: string): string {
  const name = findLanguage(locale)?.name;
  return name ? `<span${langAttrs(locale)}>${esc(name)}</span> (${esc(locale)})` : esc(locale);
}

const anchor = (name: string) => `var-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

interface Group {
  id: string;
  title: string;
  intro: string;
  rows: CodebookRow[];
}

/** Identification and system first, then weights, the answers module by module, and the quality flags. */
function groupsOf(rows: CodebookRow[]): Group[] {
  const answers = rows.filter((r) => r.role === 'answer');
  const modules = [...new Set(answers.map((r) => r.question?.module ?? ''))];
  return [
    {
      id: 'system',
      title: 'Identification and system variables',
      intro:
        'Written by Svar for every response: identifiers, the wave, the sample design, languages, device, ' +
        'timestamps (UTC) and, for the municipal survey, who answered each section.',
      rows: rows.filter((r) => r.role === 'id' || r.role === 'system'),
    },
    {
      id: 'weights',
      title: 'Weights',
      intro: 'Use a weight for estimates; each label says how it was computed.',
      rows: rows.filter((r) => r.role === 'weight'),
    },
    ...modules.map((m, i) => ({
      id: `module-${i + 1}`,
      title: m ? `Answers: module ${m}` : 'Answers',
      intro: 'Questionnaire order. Missing codes are user-missing values, not answers on the scale.',
      rows: answers.filter((r) => (r.question?.module ?? '') === m),
    })),
    {
      id: 'quality',
      title: 'Quality flags',
      intro: 'Flags computed from paradata and answers; each label says what it flags.',
      rows: rows.filter((r) => r.role === 'quality'),
    },
  ].filter((g) => g.rows.length > 0);
}

interface Prop {
  key: string;
  /** Already escaped HTML. */
  html: string;
  lang?: string;
}

function variableHtml(r: CodebookRow, locales: string[]): string {
  const id = anchor(r.name);
  const props: Prop[] = [
    { key: 'Role', html: esc(r.role) },
    { key: 'Type', html: esc(r.type) },
    ...locales
      .filter((l) => r.labels[l] !== undefined)
      .map((l) => ({ key: `Label, ${languageName(l)}`, html: esc(r.labels[l]), lang: l })),
  ];
  const q = r.question;
  if (q)
    props.push({
      key: 'Question',
      html: `<code>${esc(q.code)}</code> (${esc(q.type)}), module ${esc(q.module ?? '–')}, page ${esc(q.page ?? '–')}`,
    });
  // An imported question whose SurveyJS name was not a usable code: the name its authors know it by.
  if (q?.sourceName) props.push({ key: 'Source name', html: `<code>${esc(q.sourceName)}</code>` });
  const missing = r.missing.map((m) => `${m.value} = ${m.meaning}`).join('; ');
  props.push({ key: 'Missing codes', html: missing ? esc(missing) : 'none' });
  if (r.waves) props.push({ key: 'Waves', html: r.waves.length ? esc(r.waves.join('; ')) : 'none' });
  if (r.versions)
    props.push({ key: 'Instrument versions', html: r.versions.length ? esc(r.versions.join(', ')) : 'none' });
  if (r.minorEdits) {
    const edits = editLines(r.minorEdits).join('; ');
    props.push({ key: 'Wording changed', html: edits ? `yes: ${esc(edits)}` : 'no' });
  }
  if (r.waveYears) props.push({ key: 'Years by wave', html: esc(r.waveYears.join('; ')) });
  const propRows = props.map(
    (p) => `<tr><th scope="row">${p.key}</th><td${p.lang ? langAttrs(p.lang) : ''}>${p.html}</td></tr>`,
  );
  const name = `<code>${esc(r.name)}</code>`;
  let html =
    `<section class="variable" id="${id}" aria-labelledby="${id}-h">\n<h3 id="${id}-h">${name}</h3>\n` +
    `<table class="props"><caption>Variable ${name}</caption>\n<tbody>\n${propRows.join('\n')}\n</tbody></table>\n`;
  if (r.valueLabels.length) {
    const langs = locales.filter((l) => r.valueLabels.some((v) => v.labels[l] !== undefined));
    const head = `<tr><th scope="col">Value</th>${langs.map((l) => `<th scope="col">${languageName(l)}</th>`).join('')}<th scope="col">Missing code for</th></tr>`;
    const body = r.valueLabels.map((v) => {
      const cells = langs.map((l) => `<td${langAttrs(l)}>${esc(v.labels[l] ?? '')}</td>`).join('');
      return `<tr><th scope="row">${esc(v.value)}</th>${cells}<td>${esc(v.missing ?? '')}</td></tr>`;
    });
    html += `<table class="values"><caption>Value labels of ${name}</caption>\n<thead>${head}</thead>\n<tbody>\n${body.join('\n')}\n</tbody></table>\n`;
  }
  return `${html}</section>\n`;
}

const css = `body{font-family:system-ui,"Noto Sans","Noto Sans Arabic","Noto Sans Ethiopic",sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;line-height:1.45;color:#111}
table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%}caption{text-align:start;font-weight:600;padding:.25rem 0}
th,td{border:1px solid #888;padding:.25rem .5rem;text-align:start;vertical-align:top}th{background:#eee}
.props th{width:14rem}section.variable{border-top:2px solid #ccc;margin-top:1.5rem}a{color:#0645ad}`;

export async function writeCodebookHtml(
  dataset: Dataset,
  sink: Sink,
  history?: VariableHistory,
): Promise<void> {
  const rows = codebookRows(dataset, history);
  const locales = codebookLocales(rows);
  const title = pick(dataset.title, dataset.labelLocale) ?? { lang: 'en', text: dataset.instrumentId };
  const groups = groupsOf(rows);
  const toc = groups.map((g) => {
    const items = g.rows.map((r) => {
      const l = pick(r.labels, dataset.labelLocale);
      const text = l ? ` – <span${langAttrs(l.lang)}>${esc(l.text)}</span>` : '';
      return `<li><a href="#${anchor(r.name)}"><code>${esc(r.name)}</code></a>${text}</li>`;
    });
    return `<li><a href="#${g.id}">${esc(g.title)}</a>\n<ol>\n${items.join('\n')}\n</ol></li>`;
  });
  await sink.write(
    `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
      `<title>Codebook: ${esc(title.text)}</title>\n<style>${css}</style>\n</head>\n<body>\n<header>\n` +
      `<h1>Codebook: <span${langAttrs(title.lang)}>${esc(title.text)}</span></h1>\n<dl>\n` +
      `<dt>Instrument</dt><dd><code>${esc(dataset.instrumentId)}</code></dd>\n<dt>Unit</dt><dd>${esc(dataset.unitType)}</dd>\n` +
      `<dt>Waves</dt><dd>${esc(dataset.waves.map((w) => `${w.name} (${waveFacts(w)})`).join('; '))}</dd>\n` +
      `<dt>Rows</dt><dd>${dataset.rowCount}</dd>\n<dt>Variables</dt><dd>${rows.length}</dd>\n` +
      `<dt>Languages</dt><dd>${locales.map(languageName).join(', ')}</dd>\n</dl>\n</header>\n` +
      `<nav aria-labelledby="toc-h">\n<h2 id="toc-h">Contents</h2>\n<ol>\n${toc.join('\n')}\n</ol>\n</nav>\n<main>\n`,
  );
  for (const g of groups) {
    await sink.write(
      `<section id="${g.id}" aria-labelledby="${g.id}-h">\n<h2 id="${g.id}-h">${esc(g.title)}</h2>\n<p>${esc(g.intro)}</p>\n`,
    );
    for (const r of g.rows) await sink.write(variableHtml(r, locales));
    await sink.write('</section>\n');
  }
  await sink.write('</main>\n</body>\n</html>\n');
}

/** A text in the label language, else bokmål, else any, with the language it is in. */
function pick(labels: Labels, locale: string): { lang: string; text: string } | null {
  for (const lang of [locale, 'nb', ...Object.keys(labels)])
    if (labels[lang] !== undefined) return { lang, text: labels[lang] };
  return null;
}
