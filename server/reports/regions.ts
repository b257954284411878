// The regional comparison: every closed question of a wave by county (or municipality, or any column of the
// frame, such as a centrality class), beside the country, as design-based shares with 95 % intervals, suppressed.
import type { Db } from '../db/connect.ts';
import { ValidationError } from '../http/errors.ts';
import { municipalities2024, municipalUnitName } from '../reference/municipalities.ts';
import { loadWaveData, type WaveData } from './regions-data.ts';
import { listUnitAttributes } from './regions-queries.ts';
import {
  type Domain,
  type PublishedQuestion,
  publishQuestion,
  publishRespondents,
  type RespondentFigure,
} from './regions-suppression.ts';
import { publish, type Viewer } from './suppression.ts';

export interface RegionGroup {
  key: string;
  /** The group's value (county number, municipality code, frame value); null for the country. */
  code: string | null;
  label: string | null;
}

export interface RegionsReport {
  wave: WaveData['wave'];
  by: string;
  k: number;
  weights: WaveData['weights'];
  notes: string[];
  /** The country first, then the groups in code order. */
  groups: RegionGroup[];
  respondents: Map<string, RespondentFigure>;
  questions: PublishedQuestion[];
  pages: WaveData['pages'];
  unsuppressedView: boolean;
}

interface Breakdown {
  /** Per respondent (row of the design), its group value or null (then it counts in the country only). */
  rowValues: (string | null)[];
  /** Per selected unit, its group value: the response rate's denominator. */
  invitedValues: (string | null)[];
  label(value: string): string;
}

async function breakdownOf(db: Db, data: WaveData, by: string): Promise<Breakdown> {
  const countyOf = new Map(municipalities2024().map((m) => [m.code, m.countyCode]));
  if (by === 'county') {
    const names = new Map(municipalities2024().map((m) => [m.countyCode, m.countyName]));
    return {
      rowValues: data.county,
      invitedValues: data.invited.map((u) => countyOf.get((u.unitCode ?? '').slice(0, 4)) ?? null),
      label: (v) => names.get(v) ?? v,
    };
  }
  if (by === 'municipality')
    return {
      rowValues: data.unitCode.map((u) => u?.slice(0, 4) ?? null),
      invitedValues: data.invited.map((u) => u.unitCode?.slice(0, 4) ?? null),
      label: (v) => municipalUnitName(v) ?? v,
    };
  // Any other name is a column of the frame, kept on every unit as it was imported.
  const units = await listUnitAttributes(db, data.wave.id);
  const byResponse = new Map(
    units.filter((u) => u.response_id).map((u) => [u.response_id!, u.attributes[by]]),
  );
  if (!units.some((u) => (u.attributes[by] ?? '') !== ''))
    throw new ValidationError(
      `Cannot break down by ${by}: use county, municipality, or a column of the wave's frame.`,
      [{ name: 'by', reason: 'not a column of the frame' }],
      'breakdown_invalid',
    );
  const present = (v: string | undefined) => (v === undefined || v === '' ? null : v);
  return {
    rowValues: data.responseIds.map((id) => present(byResponse.get(id))),
    invitedValues: units.map((u) => present(u.attributes[by])),
    label: (v) => v,
  };
}

/** Loads, estimates and publishes the whole report for `viewer`. */
export async function regionsReport(
  db: Db,
  waveId: string,
  by: string,
  viewer: Viewer,
): Promise<RegionsReport> {
  const data = await loadWaveData(db, waveId);
  const breakdown = await breakdownOf(db, data, by);
  const values = new Set(breakdown.invitedValues.filter((v): v is string => v !== null));
  for (const v of breakdown.rowValues) if (v !== null) values.add(v);
  const codes = [...values].sort((a, b) => a.localeCompare(b, 'nb', { numeric: true }));
  const groups: RegionGroup[] = [
    { key: 'country', code: null, label: null },
    ...codes.map((code) => ({ key: `group:${code}`, code, label: breakdown.label(code) })),
  ];
  const domains: Domain[] = groups.map((g) => ({
    key: g.key,
    rows: g.code === null ? data.responseIds.map((_, i) => i) : [],
    ...(g.code === null ? {} : { parent: 'country' }),
  }));
  const index = new Map(groups.map((g, i) => [g.code, i]));
  breakdown.rowValues.forEach((v, row) => {
    if (v !== null) domains[index.get(v)!]!.rows.push(row);
  });
  const invited = new Map<string, number>([['country', breakdown.invitedValues.length]]);
  for (const v of breakdown.invitedValues)
    if (v !== null) invited.set(`group:${v}`, (invited.get(`group:${v}`) ?? 0) + 1);
  return {
    wave: data.wave,
    by,
    k: data.k,
    weights: data.weights,
    notes: data.notes,
    groups,
    respondents: publishRespondents(data, domains, (d) => invited.get(d.key) ?? 0, viewer),
    questions: data.questions.map((q) => publishQuestion(data, q, domains, viewer)),
    pages: data.pages,
    unsuppressedView: publish([{ table: 'viewer', row: '', col: '', n: 0 }], { k: data.k }, viewer)[0]!
      .unsuppressedView,
  };
}
