// Change across waves of one instrument: each closed question asked in two or more of the waves, aligned by its
// export name (the question code), with national shares per wave and the change log's minor wording edits noted.
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../db/connect.ts';
import { labelOf } from '../exports/dataset.ts';
import { findWavesWithVersion } from '../exports/queries.ts';
import { neutraliseFormula } from '../exports/spreadsheet-safe.ts';
import { NotFoundError, ValidationError } from '../http/errors.ts';
import { referenceYearOf } from '../surveys/wave-variables.ts';
import { formatter, type ReportLanguage, type Translate } from './factsheet-language.ts';
import { type Html, html, page } from './factsheet-page.ts';
import { loadWaveData, type WaveData } from './regions-data.ts';
import { type PublishedQuestion, publishQuestion } from './regions-suppression.ts';
import type { Viewer } from './suppression.ts';

export interface TrendReport {
  waves: (WaveData['wave'] & { version: number })[];
  /** Per question key: the newest wave's question and, per wave (in order), its national figures or null. */
  questions: { key: string; latest: PublishedQuestion['question']; byWave: (PublishedQuestion | null)[] }[];
  minorEdits: Map<string, { version: number; note: string }[]>;
  k: number;
}

export async function trendReport(db: Db, waveIds: string[], viewer: Viewer): Promise<TrendReport> {
  const unique = [...new Set(waveIds)];
  const found = await findWavesWithVersion(db, unique);
  const missing = unique.filter((id) => !found.some((w) => w.id === id));
  if (missing.length) throw new NotFoundError(`No such wave: ${missing.join(', ')}.`, 'wave_not_found');
  if (new Set(found.map((w) => w.instrument_id)).size > 1 || unique.length < 2)
    throw new ValidationError(
      'A trend needs two or more waves of one instrument.',
      [{ name: 'waves', reason: 'two or more waves of one instrument' }],
      'waves_not_same_instrument',
    );
  // Oldest first: by instrument version, then by when the wave was created.
  const ordered = [...found].sort(
    (a, b) => a.version - b.version || a.created_at.getTime() - b.created_at.getTime(),
  );
  // Waves of different years side by side: a title cannot name one year, so it says "[året før]" and each wave's
  // row says its year. A wave never opened is dated by its creation.
  const years = new Set(
    ordered.map((w) => referenceYearOf({ opensAt: w.opens_at, openedAt: w.opened_at }, w.created_at)),
  );
  const data: WaveData[] = [];
  for (const w of ordered) data.push(await loadWaveData(db, w.id, { markYears: years.size > 1 }));
  const minorEdits = new Map<string, { version: number; note: string }[]>();
  for (const w of ordered)
    for (const e of w.changelog as { kind: string; code: string; note: string }[])
      if (e.kind === 'minor_edit' && !minorEdits.get(e.code)?.some((m) => m.version === w.version))
        minorEdits.set(e.code, [...(minorEdits.get(e.code) ?? []), { version: w.version, note: e.note }]);
  const keys = [...new Set(data.flatMap((d) => d.questions.map((q) => q.key)))];
  const questions = keys.flatMap((key) => {
    const byWave = data.map((d) => {
      const q = d.questions.find((x) => x.key === key);
      const all = { key: 'country', rows: d.responseIds.map((_, i) => i) };
      return q ? publishQuestion(d, q, [all], viewer) : null;
    });
    const asked = byWave.filter((p) => p !== null);
    return asked.length < 2 ? [] : [{ key, latest: asked.at(-1)!.question, byWave }];
  });
  return {
    waves: data.map((d, i) => ({ ...d.wave, version: ordered[i]!.version })),
    questions,
    minorEdits,
    k: Math.max(...data.map((d) => d.k)),
  };
}

function share(p: PublishedQuestion | null, category: string, lng: ReportLanguage, t: Translate): Html {
  const f = p?.byDomain.get('country')?.categories.get(category);
  if (!f || (f.n !== null && f.estimate === null)) return html`<td>–</td>`;
  if (f.n === null) return html`<td class="hidden-figure">${t('suppressed.short')}</td>`;
  return html`<td>${formatter(lng).percent(f.estimate!)}${f.suppressed ? ' †' : ''}</td>`;
}

export function trendHtml(r: TrendReport, o: { lng: ReportLanguage; t: Translate; now: Date }): string {
  const { lng, t } = o;
  const sections = r.questions.map(({ key, latest, byWave }) => {
    const edits = r.minorEdits.get(latest.code) ?? [];
    const rows = r.waves.map(
      (w, i) =>
        html`<tr><th scope="row">${w.name} <span class="note">${t('regions.trend.year', { year: w.referenceYear })}</span></th>${latest.categories.map((c) => share(byWave[i]!, c.key, lng, t))}</tr>`,
    );
    return html`<section class="question" aria-labelledby="t-${key}"><h2 id="t-${key}">${labelOf(latest.title, lng, key)}</h2>
<div class="wide" role="region" tabindex="0" aria-labelledby="t-${key}"><table><thead><tr><th scope="col">${t('regions.group')}</th>${latest.categories.map((c) => html`<th scope="col">${labelOf(c.labels, lng, c.key)}</th>`)}</tr></thead>
<tbody>${rows}</tbody></table></div>
${edits.map((e) => html`<p class="note">${t('regions.trend.edit', { version: e.version, note: e.note })}</p>`)}</section>`;
  });
  const title = t('regions.trend.heading');
  const body = html`<header><p class="kicker">${t('regions.kicker')}</p><h1>${title}</h1>
<p class="lead">${t('regions.trend.lead')}</p></header><main>${sections}
<p class="note">${t('suppressed.note', { k: r.k })}</p></main>
<footer><p>${t('footer.source', { wave: r.waves.map((w) => w.name).join(', '), date: formatter(lng).date(o.now) })}</p></footer>`;
  return page({ lang: lng, title, body });
}

/** One row per question × answer × wave, national shares; hidden figures empty with suppressed = 1. */
export function trendCsv(r: TrendReport, lng: ReportLanguage): string {
  const rows = [
    [
      'variable',
      'question',
      'category',
      'category_label',
      'wave',
      'version',
      'reference_year',
      'answered',
      'n',
      'share',
      'ci_low',
      'ci_high',
      'suppressed',
      'minor_edits',
    ],
  ];
  const num = (x: number | null | undefined) => (x === null || x === undefined ? '' : String(x));
  for (const { key, latest, byWave } of r.questions) {
    const edits = (r.minorEdits.get(latest.code) ?? []).map((e) => `v${e.version}: ${e.note}`).join('; ');
    for (const c of latest.categories)
      r.waves.forEach((w, i) => {
        const d = byWave[i]?.byDomain.get('country');
        const f = d?.categories.get(c.key);
        rows.push([
          key,
          labelOf(latest.title, lng, key),
          c.key,
          labelOf(c.labels, lng, c.key),
          w.name,
          String(w.version),
          String(w.referenceYear),
          num(d?.answered),
          num(f?.n),
          num(f?.estimate),
          num(f?.ciLow),
          num(f?.ciHigh),
          f?.suppressed ? '1' : '0',
          edits,
        ]);
      });
  }
  return stringify(
    rows.map((row) => row.map(neutraliseFormula)),
    { bom: true },
  );
}
