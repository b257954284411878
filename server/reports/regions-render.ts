// The regional comparison as a standalone HTML page (a table per question: groups × answers) and as a long CSV
// (one row per question, answer and group) for spreadsheets; both carry only what publish() let through.
import { stringify } from 'csv-stringify/sync';
import { labelOf } from '../exports/dataset.ts';
import { neutraliseFormula } from '../exports/spreadsheet-safe.ts';
import { formatter, type ReportLanguage, type Translate } from './factsheet-language.ts';
import { type Html, html, page, raw } from './factsheet-page.ts';
import type { RegionGroup, RegionsReport } from './regions.ts';
import type { PublishedQuestion, ShownFigure } from './regions-suppression.ts';

const dash = '–';

function groupName(g: RegionGroup, t: Translate): string {
  return g.label ?? t('country');
}

function byName(by: string, t: Translate): string {
  return by === 'county' ? t('regions.by.county') : by;
}

function cell(f: ShownFigure | undefined, sample: boolean, lng: ReportLanguage, t: Translate): Html {
  if (!f || (f.n !== null && f.estimate === null)) return html`<td>${dash}</td>`;
  if (f.n === null) return html`<td class="hidden-figure">${t('suppressed.short')}</td>`;
  const ci =
    sample && f.ciLow !== null && f.ciHigh !== null && f.ciHigh - f.ciLow > 1e-9
      ? html` <span class="ci">(${Math.round(f.ciLow * 100)}–${Math.round(f.ciHigh * 100)})</span>`
      : '';
  return html`<td>${formatter(lng).percent(f.estimate!)}${f.suppressed ? ' †' : ''}${ci}</td>`;
}

function questionTable(r: RegionsReport, pq: PublishedQuestion, lng: ReportLanguage, t: Translate): Html {
  const q = pq.question;
  const title = labelOf(q.title, lng, q.code);
  const id = `q-${q.key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const sample = r.wave.mode === 'sample';
  const rows = r.groups.map((g) => {
    const d = pq.byDomain.get(g.key);
    const answered =
      d?.answered === null
        ? html`<td class="hidden-figure">${t('suppressed.short')}</td>`
        : html`<td>${d ? formatter(lng).integer(d.answered) : dash}</td>`;
    return html`<tr><th scope="row">${groupName(g, t)}</th>${q.categories.map((c) => cell(d?.categories.get(c.key), sample, lng, t))}${answered}</tr>`;
  });
  return html`<section class="question" aria-labelledby="${id}">
<h3 id="${id}">${title}</h3>
<div class="wide" role="region" tabindex="0" aria-labelledby="${id}"><table><caption class="sr-only">${t('table.caption', { question: title })}</caption>
<thead><tr><th scope="col">${t('regions.group')}</th>${q.categories.map((c) => html`<th scope="col">${labelOf(c.labels, lng, c.key)}</th>`)}<th scope="col">${t('table.answered')}</th></tr></thead>
<tbody>${rows}</tbody></table></div>
<p class="note">${t(q.kind === 'multiple' ? 'chart.caption.multiple' : 'chart.caption.single')}${sample ? ` ${t('chart.caption.ci')}` : ''}</p>
</section>`;
}

export function regionsHtml(r: RegionsReport, o: { lng: ReportLanguage; t: Translate; now: Date }): string {
  const { lng, t } = o;
  const fmt = formatter(lng);
  const by = byName(r.by, t);
  const respondents = r.groups.map((g) => {
    const f = r.respondents.get(g.key)!;
    const hidden = f.respondents === null;
    const h = hidden ? raw(' class="hidden-figure"') : '';
    return html`<tr><th scope="row">${groupName(g, t)}</th><td>${fmt.integer(f.invited)}</td>
<td${h}>${hidden ? t('suppressed.short') : fmt.integer(f.respondents!)}</td>
<td${h}>${hidden ? t('suppressed.short') : f.responseRate === null ? dash : fmt.percent(f.responseRate)}</td></tr>`;
  });
  const byPage = new Map<string | null, PublishedQuestion[]>();
  for (const q of r.questions) byPage.set(q.question.page, [...(byPage.get(q.question.page) ?? []), q]);
  const sections = r.pages
    .filter((p) => byPage.has(p.name))
    .map(
      (
        p,
      ) => html`<section aria-labelledby="page-${p.name}"><h2 id="page-${p.name}">${labelOf(p.title, lng, p.name)}</h2>
${byPage.get(p.name)!.map((q) => questionTable(r, q, lng, t))}</section>`,
    );
  const notes = [
    t(`method.${r.wave.mode}${r.wave.unitType === 'municipality' ? '_municipal' : ''}`),
    ...r.notes.map((n) => t(`method.${n}`)),
    t('method.response_rate'),
    t('suppressed.note', { k: r.k }),
  ];
  const title = t('regions.title', { wave: r.wave.name, by });
  const body = html`<header><p class="kicker">${t('regions.kicker')}</p><h1>${title}</h1>
<p class="lead">${t('regions.lead', { by })}</p>
${r.unsuppressedView ? html`<p class="banner" role="note">${t('unsuppressed.banner')}</p>` : ''}</header>
<main><section aria-labelledby="respondents"><h2 id="respondents">${t('factsheet.respondents.heading')}</h2>
<table><caption>${t('factsheet.respondents.caption')}</caption>
<thead><tr><th scope="col">${t('regions.group')}</th><th scope="col">${t('col.invited')}</th><th scope="col">${t('col.respondents')}</th><th scope="col">${t('col.rate')}</th></tr></thead>
<tbody>${respondents}</tbody></table>
${notes.map((n) => html`<p class="note">${n}</p>`)}</section>
${sections}</main>
<footer><p>${t('footer.source', { wave: r.wave.name, date: fmt.date(o.now) })}</p></footer>`;
  return page({ lang: lng, title, body });
}

const header = [
  'wave',
  'by',
  'group',
  'group_label',
  'variable',
  'question',
  'category',
  'category_label',
  'answered',
  'n',
  'share',
  'ci_low',
  'ci_high',
  'suppressed',
];

/**
 * One row per question × answer × group. `(respondents)` rows: answered = invited, n = respondents, share =
 * response rate. Hidden figures are empty with suppressed = 1; staff who see them get the figures and the flag.
 */
export function regionsCsv(r: RegionsReport, lng: ReportLanguage, t: Translate): string {
  const num = (x: number | null | undefined) => (x === null || x === undefined ? '' : String(x));
  const rows: string[][] = [];
  for (const g of r.groups) {
    const f = r.respondents.get(g.key)!;
    rows.push([
      r.wave.name,
      r.by,
      g.code ?? '',
      groupName(g, t),
      '(respondents)',
      '',
      'completed',
      '',
      num(f.invited),
      num(f.respondents),
      num(f.responseRate),
      '',
      '',
      f.suppressed ? '1' : '0',
    ]);
  }
  for (const pq of r.questions) {
    const q = pq.question;
    for (const c of q.categories)
      for (const g of r.groups) {
        const d = pq.byDomain.get(g.key);
        const f = d?.categories.get(c.key);
        rows.push([
          r.wave.name,
          r.by,
          g.code ?? '',
          groupName(g, t),
          q.key,
          labelOf(q.title, lng, q.code),
          c.key,
          labelOf(c.labels, lng, c.key),
          num(d?.answered),
          num(f?.n),
          num(f?.estimate),
          num(f?.ciLow),
          num(f?.ciHigh),
          f?.suppressed ? '1' : '0',
        ]);
      }
  }
  return stringify([header, ...rows.map((row) => row.map(neutraliseFormula))], { bom: true });
}
