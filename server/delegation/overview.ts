// The staff view of delegation in a municipal-survey wave: per municipality its response and each section's status
// and delegate, and the same counted per section for progress. Delegates' names and e-mails only for admins.
import type { Db } from '../db/connect.ts';
import type { StaffRole } from '../db/schema.ts';
import { requireWave } from '../fieldwork/wave-lock.ts';
import { ConflictError, ForbiddenError } from '../http/errors.ts';
import { municipalUnitName } from '../reference/municipalities.ts';
import { findVersionDefinition } from '../responses/queries.ts';
import { displayText } from '../surveys/localizable.ts';
import { listLiveDelegations, listUnitsWithResponse, toLiveDelegation } from './queries.ts';
import { type SectionMap, sectionMapFor } from './sections.ts';
import { type LiveDelegation, type SectionStatus, sectionStatuses } from './status.ts';

export interface OverviewViewer {
  /** Delegates' names and e-mails are contact data: admins (and the operator's CLI) only. */
  contacts: boolean;
  /** A municipality user's own code, which also matches its Oslo districts (0301 → 0301xx); null: every unit. */
  municipalityCode: string | null;
}

/** The command line is run by an operator with the database in hand: it sees what an admin sees. */
export const operatorViewer: OverviewViewer = { contacts: true, municipalityCode: null };

/** What a staff member may see, from the principal, never from the request. */
export function viewerOf(staff: { role: StaffRole; municipalityCode: string | null }): OverviewViewer {
  if (staff.role !== 'municipality') return { contacts: staff.role === 'admin', municipalityCode: null };
  if (!staff.municipalityCode) throw new ForbiddenError('This account is bound to no municipality.');
  return { contacts: false, municipalityCode: staff.municipalityCode };
}

export type ResponseState = 'none' | 'in_progress' | 'completed';

export interface UnitDelegations {
  externalId: string;
  municipalityCode: string | null;
  /** From the frame, else Svar's reference list; null when neither knows the code. */
  name: string | null;
  response: ResponseState;
  sections: SectionStatus[];
}

export interface DelegationOverview {
  waveId: string;
  sections: { name: string; title: string }[];
  units: UnitDelegations[];
}

export interface SectionProgressRow {
  section: string;
  title: string;
  invited: number;
  /** Units where the section has a live delegation, whatever its state. */
  delegated: number;
  notStarted: number;
  inProgress: number;
  done: number;
  /** Units whose response is submitted: every section of theirs counts here, not in the three before. */
  completed: number;
}

async function municipalWave(db: Db, waveId: string): Promise<SectionMap> {
  const wave = await requireWave(db, waveId);
  if (wave.unit_type !== 'municipality')
    throw new ConflictError(
      'wave_not_municipal',
      'Only a municipal survey wave has sections to delegate; this wave asks participants.',
    );
  const versionId = wave.instrument_version_id;
  // Only the sections of the modules the wave runs: the other themes are not asked this year.
  return sectionMapFor(versionId, () => findVersionDefinition(db, versionId), wave.modules);
}

/** Every selected unit of the wave (within the viewer's scope) with its section statuses. */
async function unitSections(db: Db, waveId: string, viewer: OverviewViewer) {
  const map = await municipalWave(db, waveId);
  const units = await listUnitsWithResponse(db, waveId, { municipalityCode: viewer.municipalityCode });
  const live = await listLiveDelegations(db, waveId, { withContact: viewer.contacts });
  const byUnit = new Map<string, LiveDelegation[]>();
  for (const row of live) {
    const list = byUnit.get(row.frame_unit_id) ?? [];
    list.push(toLiveDelegation(row));
    byUnit.set(row.frame_unit_id, list);
  }
  const rows = units.map((u) => ({
    invited: Boolean(u.invited),
    unit: {
      externalId: u.external_id,
      municipalityCode: u.municipality_code,
      name: municipalUnitName(u.municipality_code, u.attributes),
      response: (u.response_status ?? 'none') as ResponseState,
      sections: sectionStatuses(map, u.answers ?? {}, byUnit.get(u.id) ?? []),
    },
  }));
  const sections = map.sections.map((s) => ({
    name: s.name,
    title: displayText(s.title, 'default') || s.name,
  }));
  return { sections, rows };
}

/** Per municipality: its response, and each section's status with its delegate. */
export async function waveDelegations(
  db: Db,
  waveId: string,
  viewer: OverviewViewer,
): Promise<DelegationOverview> {
  const { sections, rows } = await unitSections(db, waveId, viewer);
  return { waveId, sections, units: rows.map((r) => r.unit) };
}

/** Per section, over the invited units: delegated, and not started / in progress / done / completed. */
export async function sectionProgress(
  db: Db,
  waveId: string,
  opts: { municipalityCode?: string | null } = {},
): Promise<SectionProgressRow[]> {
  const { sections, rows } = await unitSections(db, waveId, {
    contacts: false,
    municipalityCode: opts.municipalityCode ?? null,
  });
  return sections.map((s, i) => {
    const row: SectionProgressRow = {
      section: s.name,
      title: s.title,
      invited: 0,
      delegated: 0,
      notStarted: 0,
      inProgress: 0,
      done: 0,
      completed: 0,
    };
    for (const { invited, unit } of rows) {
      if (!invited) continue;
      const status = unit.sections[i]!;
      row.invited += 1;
      if (status.delegation) row.delegated += 1;
      if (unit.response === 'completed') row.completed += 1;
      else if (status.status === 'done') row.done += 1;
      else if (status.status === 'in_progress') row.inProgress += 1;
      else row.notStarted += 1;
    }
    return row;
  });
}
