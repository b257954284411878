// Municipal fact sheets (faktaark): for one municipality or Oslo district, every closed question's distribution
// beside its county's and the country's, with respondents and response rate, all figures through publish().
import { NotFoundError } from '../http/errors.ts';
import { municipalities2024, municipalUnitName, osloDistricts } from '../reference/municipalities.ts';
import type { ReportLanguage } from './factsheet-language.ts';
import { type ClosedQuestion, rowsBy, type WaveData } from './regions-data.ts';
import {
  type Domain,
  type PublishedQuestion,
  publishQuestion,
  publishRespondents,
  type RespondentFigure,
} from './regions-suppression.ts';
import { publish, type Viewer } from './suppression.ts';

export interface SheetColumn {
  key: string;
  kind: 'district' | 'municipality' | 'county' | 'country';
  code: string | null;
  name: string | null;
}

export interface FactSheet {
  unit: { code: string; name: string; kind: 'municipality' | 'district' };
  wave: WaveData['wave'];
  k: number;
  weights: WaveData['weights'];
  notes: string[];
  /** The unit first, then the wholes it is part of. */
  columns: SheetColumn[];
  respondents: Map<string, RespondentFigure | undefined>;
  questions: PublishedQuestion[];
  pages: WaveData['pages'];
  /** True: figures a municipality may not see are in it, marked; it must not leave the directorate. */
  unsuppressedView: boolean;
  viewer: Viewer;
  language?: ReportLanguage;
}

const counties = () => new Map(municipalities2024().map((m) => [m.code, m.countyCode]));
const countyNames = () => new Map(municipalities2024().map((m) => [m.countyCode, m.countyName]));

/** Every municipality (2024) and Oslo district a sheet can be made for, in code order. */
export function sheetUnits(): { code: string; name: string }[] {
  const districts = osloDistricts().filter((d) => d.code !== '030199');
  return [...municipalities2024(), ...districts]
    .map((m) => ({ code: m.code, name: m.name }))
    .sort((a, b) => (a.code < b.code ? -1 : 1));
}

/** The domains of a wave's sheets: district ⊂ municipality ⊂ county ⊂ country, where anyone responded. */
export function sheetDomains(data: WaveData): Domain[] {
  const countyOf = counties();
  const all = data.unitCode.map((_, i) => i);
  const domains: Domain[] = [{ key: 'country', rows: all }];
  for (const [code, rows] of rowsBy(data.county))
    domains.push({ key: `county:${code}`, rows, parent: 'country' });
  for (const [code, rows] of rowsBy(data.unitCode.map((u) => u?.slice(0, 4) ?? null)))
    domains.push({ key: `municipality:${code}`, rows, parent: `county:${countyOf.get(code) ?? '?'}` });
  for (const [code, rows] of rowsBy(data.unitCode.map((u) => (u && u.length === 6 ? u : null))))
    domains.push({ key: `district:${code}`, rows, parent: `municipality:${code.slice(0, 4)}` });
  // A respondent whose county is unknown still counts in the country; its nesting then names no table column.
  const keys = new Set(domains.map((d) => d.key));
  return domains.map((d) => (d.parent && !keys.has(d.parent) ? { key: d.key, rows: d.rows } : d));
}

/** The columns of one unit's sheet; a county that is the municipality itself (Oslo) is not repeated. */
export function sheetColumns(code: string): SheetColumn[] {
  const countyOf = counties();
  const municipality = code.slice(0, 4);
  const county = countyOf.get(municipality)!;
  const inCounty = municipalities2024().filter((m) => m.countyCode === county).length;
  const columns: SheetColumn[] = [];
  if (code.length === 6)
    columns.push({ key: `district:${code}`, kind: 'district', code, name: municipalUnitName(code) });
  columns.push({
    key: `municipality:${municipality}`,
    kind: 'municipality',
    code: municipality,
    name: municipalUnitName(municipality),
  });
  if (inCounty > 1)
    columns.push({ key: `county:${county}`, kind: 'county', code: county, name: countyNames().get(county)! });
  columns.push({ key: 'country', kind: 'country', code: null, name: null });
  return columns;
}

/** Checks a code names a municipality (2024) or an Oslo district; 404 otherwise. */
export function sheetUnit(code: string): FactSheet['unit'] {
  const unit = sheetUnits().find((u) => u.code === code);
  if (!unit)
    throw new NotFoundError(
      `No municipality or Oslo district ${code} (2024 codes).`,
      'municipality_not_found',
    );
  return { code, name: unit.name, kind: code.length === 6 ? 'district' : 'municipality' };
}

/**
 * Publishes a wave's questions once for `viewer` and returns a maker of sheets: `--all` builds every sheet from
 * the same published figures, so all sheets of a wave share one suppression pattern.
 */
export function factSheetMaker(data: WaveData, viewer: Viewer) {
  const domains = sheetDomains(data);
  const byKey = new Map(domains.map((d) => [d.key, d]));
  const invitedBy = new Map<string, number>();
  const countyOf = counties();
  for (const u of data.invited) {
    const code = u.unitCode ?? '';
    const keys = ['country', `county:${countyOf.get(code.slice(0, 4))}`, `municipality:${code.slice(0, 4)}`];
    if (code.length === 6) keys.push(`district:${code}`);
    for (const key of keys) invitedBy.set(key, (invitedBy.get(key) ?? 0) + 1);
  }
  const respondents = publishRespondents(data, domains, (d) => invitedBy.get(d.key) ?? 0, viewer);
  const questions = data.questions.map((q: ClosedQuestion) => publishQuestion(data, q, domains, viewer));
  // The engine's allow-list decides who sees unsuppressed figures; asked once for the page's banner.
  const unsuppressedView = publish([{ table: 'viewer', row: '', col: '', n: 0 }], { k: data.k }, viewer)[0]!
    .unsuppressedView;
  return (code: string): FactSheet => {
    const unit = sheetUnit(code);
    const columns = sheetColumns(code);
    const shown = new Map(
      columns.map((c) => {
        const figure = respondents.get(c.key);
        // A unit nobody answered in is not a domain: its invited count still shows.
        const invited = invitedBy.get(c.key) ?? 0;
        const none = { invited, respondents: 0, responseRate: invited ? 0 : null, suppressed: false };
        return [c.key, figure ?? (byKey.has(c.key) ? undefined : none)];
      }),
    );
    return {
      unit,
      wave: data.wave,
      k: data.k,
      weights: data.weights,
      notes: data.notes,
      columns,
      respondents: shown,
      questions,
      pages: data.pages,
      unsuppressedView,
      viewer,
    };
  };
}
