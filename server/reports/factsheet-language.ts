// The language of a report (nb, nn, en), the texts in it (locales/<lng>/report.json) and each municipality's
// official written form, which decides whether its fact sheet opens in bokmål or nynorsk.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const reportLanguages = ['nb', 'nn', 'en'] as const;
export type ReportLanguage = (typeof reportLanguages)[number];

/*
 * Official written form (språkvedtak). Svar's reference data (server/reference/*.csv, from Kartverket, NAV and
 * SSB) does not carry it, and the authoritative list (forskrift om språkvedtak i kommunar og fylkeskommunar;
 * Språkrådet's overview of 10 Dec 2021: 88 nynorsk, 119 bokmål, 150 neutral municipalities) is not shipped.
 * Until it is, this is a deliberately SHORT list of municipalities whose nynorsk decision is well known, written
 * from general knowledge and NOT checked against the regulation. Every other municipality (including the
 * neutral ones, such as Bergen) gets bokmål unless a sheet is asked for in nynorsk (`lang=nn`, `--lang nn`).
 * Replace it with the full list when the reference data gets a målform column.
 */
const nynorskMunicipalities = new Set([
  '1520', // Ørsta
  '1577', // Volda
  '3454', // Vang
  '4034', // Tokke
  '4036', // Vinje
  '4614', // Stord
  '4621', // Voss
  '4631', // Alver
  '4640', // Sogndal
  '4647', // Sunnfjord
]);

/** The Norwegian form a unit's sheet opens in; an Oslo district follows Oslo. */
export function officialLanguageOf(unitCode: string): 'nb' | 'nn' {
  return nynorskMunicipalities.has(unitCode.slice(0, 4)) ? 'nn' : 'nb';
}

export type Translate = (key: string, values?: Record<string, string | number>) => string;

const cache = new Map<string, Record<string, string>>();

function readTexts(localesDir: string, lng: ReportLanguage): Record<string, string> {
  const file = join(localesDir, lng, 'report.json');
  let texts = cache.get(file);
  if (!texts) {
    texts = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    cache.set(file, texts);
  }
  return texts;
}

/**
 * i18next's file layout and {{placeholder}} syntax, without its runtime: reports need lookups and plain
 * interpolation only. A key missing in nn or en falls back to bokmål (the source); one missing in bokmål throws.
 */
export function reportTexts(localesDir: string, lng: ReportLanguage): Translate {
  const own = readTexts(localesDir, lng);
  const source = lng === 'nb' ? own : readTexts(localesDir, 'nb');
  return (key, values = {}) => {
    const template = own[key] ?? source[key];
    if (template === undefined) throw new Error(`locales/nb/report.json has no "${key}"`);
    return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(values[name] ?? ''));
  };
}

/** Numbers as each language writes them: 42 %, 3,5 in Norwegian; 42%, 3.5 in English. */
export function formatter(lng: ReportLanguage) {
  const locale = lng === 'en' ? 'en-GB' : 'nb-NO';
  const percent = (x: number) => (lng === 'en' ? `${Math.round(x * 100)}%` : `${Math.round(x * 100)}\u00a0%`);
  const integer = (x: number) => new Intl.NumberFormat(locale).format(x);
  const date = (d: Date) =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'Europe/Oslo' }).format(d);
  return { percent, integer, date };
}
