// The columns every export has besides the answers: who and where the response is (never who the person is),
// its weights, languages, device, times and, for the municipal survey, who answered each section.
import type { AnswerMeta } from '../db/schema.ts';
import type { Section } from '../delegation/sections.ts';
import { municipalities2024 } from '../reference/municipalities.ts';
import { weightingStratum } from '../reports/design.ts';
import type { Cell, ExportColumn } from './columns.ts';
import type { ResponseRow } from './queries.ts';

export interface RowContext {
  row: ResponseRow;
  wave: { name: string; version: number; mode: string; populations: Map<string, number> };
}

export type SystemColumn = ExportColumn & { fromRow: (r: RowContext) => Cell };

function column(
  name: string,
  nb: string,
  en: string,
  type: ExportColumn['type'],
  fromRow: SystemColumn['fromRow'],
  role: ExportColumn['role'] = 'system',
  valueLabels: ExportColumn['valueLabels'] = [],
): SystemColumn {
  return { name, labels: { nb, en }, type, role, valueLabels, missing: [], fromRow };
}

let counties: Map<string, string> | undefined;
/** County number of a municipality (2024), Oslo's districts included (0301xx → 03). */
function countyOf(code: string | null): string | null {
  if (!code) return null;
  counties ??= new Map(municipalities2024().map((m) => [m.code, m.countyCode]));
  return counties.get(code.slice(0, 4)) ?? null;
}

const seconds = (from: Date | null, to: Date | null) =>
  from && to ? Math.round((to.getTime() - from.getTime()) / 1000) : null;

export function systemColumns(): SystemColumn[] {
  return [
    column(
      'response_id',
      'Svar-id (ikke lenken)',
      'Response id (never the link)',
      'string',
      (r) => r.row.id,
      'id',
    ),
    column('wave', 'Runde', 'Wave', 'string', (r) => r.wave.name),
    column(
      'instrument_version',
      'Versjon av skjemaet',
      'Instrument version',
      'number',
      (r) => r.wave.version,
    ),
    column('status', 'Status', 'Status', 'string', (r) => r.row.status, 'system', [
      { value: 'in_progress', labels: { nb: 'Påbegynt', en: 'In progress' } },
      { value: 'completed', labels: { nb: 'Fullført', en: 'Completed' } },
    ]),
    column('stratum', 'Stratum', 'Stratum', 'string', (r) => r.row.stratum),
    column('municipality', 'Kommunenummer', 'Municipality number', 'string', (r) => r.row.municipality_code),
    column('county', 'Fylkesnummer', 'County number', 'string', (r) => countyOf(r.row.municipality_code)),
    column('design_weight', 'Designvekt', 'Design weight', 'number', (r) => r.row.design_weight, 'weight'),
    column(
      'nr_weight',
      'Vekt justert for frafall',
      'Non-response adjusted weight',
      'number',
      (r) => r.row.nonresponse_weight,
      'weight',
    ),
    column('design_stratum', 'Vektingsstratum', 'Weighting stratum', 'string', (r) =>
      weightingStratum(r.wave.mode, r.row.stratum, r.row.municipality_code),
    ),
    column(
      'design_stratum_size',
      'Stratumets størrelse (N_h)',
      'Stratum population size (N_h)',
      'number',
      (r) =>
        r.wave.populations.get(weightingStratum(r.wave.mode, r.row.stratum, r.row.municipality_code)) ?? null,
    ),
    column('locale', 'Språk sist brukt', 'Language last used', 'string', (r) => r.row.locale),
    column('locales_used', 'Språk brukt', 'Languages used', 'string', (r) => r.row.locales_used.join(';')),
    column('device_class', 'Enhet', 'Device class', 'string', (r) => r.row.device_class),
    column('started_at', 'Startet', 'Started', 'datetime', (r) => r.row.started_at),
    column('last_saved_at', 'Sist lagret', 'Last saved', 'datetime', (r) => r.row.last_saved_at),
    column('completed_at', 'Fullført', 'Completed', 'datetime', (r) => r.row.completed_at),
    column('duration_s', 'Varighet (sekunder)', 'Duration (seconds)', 'number', (r) =>
      seconds(r.row.started_at, r.row.completed_at),
    ),
  ];
}

/**
 * Municipal survey: who answered each delegable section, as the answers record it (`chief_executive`,
 * `delegate:<id>`; several joined by `;`), never a name.
 */
export function sectionColumns(sections: Section[]): SystemColumn[] {
  return sections.map((s) =>
    column(`by_${s.name}`, `Besvart av (${s.name})`, `Answered by (${s.name})`, 'string', (r) => {
      const meta = r.row.answer_meta as Record<string, AnswerMeta>;
      const writers = new Set<string>();
      for (const code of s.codes) {
        const m = meta[code];
        if (m && r.row.answers[code] !== undefined) writers.add(m.by);
      }
      return writers.size ? [...writers].sort().join(';') : null;
    }),
  );
}
