// A fact sheet as a standalone, accessible HTML page: key figures, then every closed question as a chart with
// its figures in a table right below it (the chart's text alternative, and what a screen reader reads).
import { labelOf } from '../exports/dataset.ts';
import { renderBarChart, wrapLabel } from './charts.ts';
import type { FactSheet, SheetColumn } from './factsheet.ts';
import { formatter, type ReportLanguage, type Translate } from './factsheet-language.ts';
import { type Html, html, page, raw } from './factsheet-page.ts';
import type { PublishedQuestion, ShownFigure } from './regions-suppression.ts';

export interface RenderOptions {
  lng: ReportLanguage;
  t: Translate;
  now: Date;
}

const dash = '–';

export function columnName(c: SheetColumn, t: Translate): string {
  return c.name ?? t('country');
}

/** "Vestland og hele landet": names in running text (the country in lower case there). */
function listOf(columns: SheetColumn[], t: Translate): string {
  const names = columns.map((c) => c.name ?? t('country.text'));
  if (names.length < 2) return names.join('');
  return `${names.slice(0, -1).join(', ')} ${t('and')} ${names.at(-1)}`;
}

export async function renderFactSheet(sheet: FactSheet, o: RenderOptions): Promise<string> {
  const { t, lng } = o;
  const fmt = formatter(lng);
  const unitName = sheet.unit.name;
  const wholes = listOf(sheet.columns.slice(1), t);
  const own = sheet.respondents.get(sheet.columns[0]!.key);
  const noOne = own !== undefined && own.respondents === 0;
  const byPage = new Map<string | null, PublishedQuestion[]>();
  for (const q of sheet.questions) byPage.set(q.question.page, [...(byPage.get(q.question.page) ?? []), q]);
  const pages = sheet.pages.filter((p) => byPage.has(p.name));
  const sections: Html[] = [];
  for (const p of pages) {
    const questions: Html[] = [];
    for (const q of byPage.get(p.name)!) questions.push(await questionSection(sheet, q, o));
    sections.push(html`<section aria-labelledby="page-${p.name}">
<h2 id="page-${p.name}">${labelOf(p.title, lng, p.name)}</h2>
${questions}
</section>`);
  }
  const notes = [
    t(sheet.wave.mode === 'census' ? 'method.census' : 'method.sample'),
    ...sheet.notes.map((n) => t(`method.${n}`)),
    t('method.response_rate'),
    t('suppressed.note', { k: sheet.k }),
  ];
  const body = html`<header>
<p class="kicker">${t('factsheet.kicker')}</p>
<h1>${t('factsheet.title', { unit: unitName })}</h1>
<p class="lead">${t(noOne ? 'factsheet.no_respondents' : 'factsheet.lead', { unit: unitName, wholes, wave: sheet.wave.name })}</p>
${sheet.unsuppressedView ? html`<p class="banner" role="note">${t('unsuppressed.banner')}</p>` : ''}
</header>
<main>
<section aria-labelledby="respondents">
<h2 id="respondents">${t('factsheet.respondents.heading')}</h2>
${respondentsTable(sheet, o)}
${notes.map((n) => html`<p class="note">${n}</p>`)}
</section>
<nav aria-labelledby="contents"><h2 id="contents">${t('factsheet.contents')}</h2>
<ul>${pages.map((p) => html`<li><a href="#page-${p.name}">${labelOf(p.title, lng, p.name)}</a></li>`)}</ul>
</nav>
${sections}
</main>
<footer><p>${t('footer.source', { wave: sheet.wave.name, date: fmt.date(o.now) })}</p>
${sheet.unsuppressedView ? html`<p>${t('unsuppressed.mark')}</p>` : ''}</footer>`;
  return page({ lang: lng, title: `${t('factsheet.title', { unit: unitName })} – ${sheet.wave.name}`, body });
}

function respondentsTable(sheet: FactSheet, { t, lng }: RenderOptions): Html {
  const fmt = formatter(lng);
  const rows = sheet.columns.map((c) => {
    const r = sheet.respondents.get(c.key);
    const hidden = r?.respondents === null;
    const mark = r?.suppressed && !hidden ? ' †' : '';
    return html`<tr><th scope="row">${columnName(c, t)}</th>
<td>${r ? fmt.integer(r.invited) : dash}</td>
<td${hidden ? raw(' class="hidden-figure"') : ''}>${hidden ? t('suppressed.short') : r ? `${fmt.integer(r.respondents!)}${mark}` : dash}</td>
<td${hidden ? raw(' class="hidden-figure"') : ''}>${hidden ? t('suppressed.short') : r?.responseRate != null ? `${fmt.percent(r.responseRate)}${mark}` : dash}</td></tr>`;
  });
  return html`<table><caption>${t('factsheet.respondents.caption')}</caption>
<thead><tr><th scope="col">${t('col.area')}</th><th scope="col">${t('col.invited')}</th><th scope="col">${t('col.respondents')}</th><th scope="col">${t('col.rate')}</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

/** The text of one figure: "42 %", "42 % †" (hidden when published), "skjult", or a dash for no figure. */
function figureText(f: ShownFigure | undefined, { t, lng }: RenderOptions): string {
  if (!f || (f.n !== null && f.estimate === null)) return dash;
  if (f.n === null) return t('suppressed.short');
  return `${formatter(lng).percent(f.estimate!)}${f.suppressed ? ' †' : ''}`;
}

function intervalText(f: ShownFigure | undefined, sample: boolean): string | null {
  if (!sample || !f || f.ciLow === null || f.ciHigh === null || f.ciHigh - f.ciLow < 1e-9) return null;
  return `${Math.round(f.ciLow * 100)}–${Math.round(f.ciHigh * 100)}`;
}

async function questionSection(sheet: FactSheet, pq: PublishedQuestion, o: RenderOptions): Promise<Html> {
  const { t, lng } = o;
  const q = pq.question;
  const title = labelOf(q.title, lng, q.code);
  const id = `q-${q.key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const sample = sheet.wave.mode === 'sample';
  const names = sheet.columns.map((c) => columnName(c, t));
  const figure = (col: SheetColumn, key: string) => pq.byDomain.get(col.key)?.categories.get(key);
  const bars = q.categories.flatMap((c) =>
    sheet.columns.map((col, i) => {
      const f = figure(col, c.key);
      const text = figureText(f, o);
      const shown = f && f.n !== null ? f.estimate : null;
      return {
        category: wrapLabel(labelOf(c.labels, lng, c.key)),
        group: names[i]!,
        share: shown,
        label: shown === null && f?.n === null ? `${names[i]}: ${text}` : `${names[i]} ${text}`,
      };
    }),
  );
  const svg = await renderBarChart(bars);
  const head = html`<tr><th scope="col">${t('col.answer')}</th>${names.map((n) => html`<th scope="col">${n}</th>`)}</tr>`;
  const body = q.categories.map((c) => {
    const cells = sheet.columns.map((col) => {
      const f = figure(col, c.key);
      const ci = intervalText(f, sample);
      const cls = f?.n === null ? raw(' class="hidden-figure"') : '';
      return html`<td${cls}>${figureText(f, o)}${ci ? html` <span class="ci">(${ci})</span>` : ''}</td>`;
    });
    return html`<tr><th scope="row">${labelOf(c.labels, lng, c.key)}</th>${cells}</tr>`;
  });
  const answered = sheet.columns.map((col) => {
    const d = pq.byDomain.get(col.key);
    if (!d) return html`<td>${dash}</td>`;
    return d.answered === null
      ? html`<td class="hidden-figure">${t('suppressed.short')}</td>`
      : html`<td>${formatter(lng).integer(d.answered)}</td>`;
  });
  const alt = t('chart.alt', { question: title, groups: listOf(sheet.columns, t) });
  return html`<section class="question" aria-labelledby="${id}">
<h3 id="${id}">${title}</h3>
<figure>
<div class="chart" role="img" aria-label="${alt}">${raw(svg)}</div>
<figcaption>${t(q.kind === 'multiple' ? 'chart.caption.multiple' : 'chart.caption.single')}${sample ? ` ${t('chart.caption.ci')}` : ''}</figcaption>
</figure>
<table><caption class="sr-only">${t('table.caption', { question: title })}</caption>
<thead>${head}</thead>
<tbody>${body}<tr class="total"><th scope="row">${t('table.answered')}</th>${answered}</tr></tbody>
</table>
</section>`;
}
