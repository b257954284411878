// The regional comparison as a document (HTML or CSV), shared by the API and `svar report regions`.
import type { Db } from '../db/connect.ts';
import { type ReportLanguage, reportTexts } from './factsheet-language.ts';
import { regionsReport } from './regions.ts';
import { regionsCsv, regionsHtml } from './regions-render.ts';
import { trendCsv, trendHtml, trendReport } from './regions-trend.ts';
import type { Viewer } from './suppression.ts';

export interface RegionsOptions {
  waveId: string;
  by: string;
  format: 'html' | 'csv';
  lang: ReportLanguage;
  viewer: Viewer;
  localesDir: string;
  now: Date;
}

export async function regionsDocument(db: Db, o: RegionsOptions) {
  const report = await regionsReport(db, o.waveId, o.by, o.viewer);
  const t = reportTexts(o.localesDir, o.lang);
  const base = `regioner-${o.by}-${o.lang}`;
  return o.format === 'csv'
    ? { filename: `${base}.csv`, contentType: 'text/csv; charset=utf-8', body: regionsCsv(report, o.lang, t) }
    : {
        filename: `${base}.html`,
        contentType: 'text/html; charset=utf-8',
        body: regionsHtml(report, { lng: o.lang, t, now: o.now }),
      };
}

export interface TrendOptions extends Omit<RegionsOptions, 'waveId' | 'by'> {
  waveIds: string[];
}

/** A question's national figures across waves of one instrument, aligned by question code. */
export async function trendDocument(db: Db, o: TrendOptions) {
  const report = await trendReport(db, o.waveIds, o.viewer);
  const base = `utvikling-${o.lang}`;
  return o.format === 'csv'
    ? { filename: `${base}.csv`, contentType: 'text/csv; charset=utf-8', body: trendCsv(report, o.lang) }
    : {
        filename: `${base}.html`,
        contentType: 'text/html; charset=utf-8',
        body: trendHtml(report, { lng: o.lang, t: reportTexts(o.localesDir, o.lang), now: o.now }),
      };
}
