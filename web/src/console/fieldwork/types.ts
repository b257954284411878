// The shapes the fieldwork API answers with (server/fieldwork/routes.ts), as the console reads them.

export type WaveStatus = 'draft' | 'open' | 'closed';

/** A row of GET /waves. */
export interface WaveSummary {
  id: string;
  name: string;
  instrument_id: string;
  version: number;
  mode: 'census' | 'sample';
  status: WaveStatus;
  locales: string[];
  opens_at: string | null;
  closes_at: string | null;
  created_at: string;
}

/** GET /waves/:id: the wave row itself. */
export interface Wave {
  id: string;
  name: string;
  instrument_id: string;
  mode: 'census' | 'sample';
  unit_type: 'participant' | 'municipality';
  status: WaveStatus;
  locales: string[];
  opens_at: string | null;
  closes_at: string | null;
  small_cell_k: number;
  /** The modules the wave runs (core + its year's themes); null: every module of the version. */
  modules: string[] | null;
  sampling: { table?: AllocationRow[]; strata?: string | null; size?: number; drawnAt?: string } | null;
}

export interface AllocationRow {
  stratum: string;
  populationSize: number;
  sampleSize: number;
  designWeight: number;
}

export interface FrameImportResult {
  rows: number;
  added: number;
  updated: number;
  unchanged: number;
  languageFallbacks: Record<string, number>;
  fallbackLanguage: string;
  sampleCleared: boolean;
}

export interface SampleResult {
  seed: string;
  allocation: string;
  table: AllocationRow[];
  population: number;
  emptyStrata: unknown[];
  warning: string | null;
}

export interface RoundRow {
  number: number;
  kind: string;
  created_at: string;
  live_links: number;
  queued: number;
  mailed: number;
}

export interface QueueCounts {
  pending: number;
  waiting: number;
  sending: number;
  sent: number;
  failed: number;
  skipped: number;
}

export type ProgressBy = 'total' | 'stratum' | 'county' | 'municipality' | 'language';

/** A published progress row: a count the small-cell rule hides is null and named in `suppressed`. */
export interface ProgressRow {
  group: string;
  invited: number | null;
  opened: number | null;
  started: number | null;
  completed: number | null;
  optedOut: number | null;
  responseRate: number | null;
  suppressed: string[];
}

export interface ProgressReport {
  by: ProgressBy;
  k: number;
  rows: ProgressRow[];
  unsuppressedView: boolean;
}

export interface SectionProgressRow {
  section: string;
  title: string;
  invited: number;
  delegated: number;
  notStarted: number;
  inProgress: number;
  done: number;
  completed: number;
}

export interface SectionStatusView {
  name: string;
  status: string;
  answered: number;
  questions: number;
  delegation: {
    delegatedAt: string;
    doneAt: string | null;
    locale: string;
    name?: string | null;
    email?: string | null;
  } | null;
}

export interface DelegationOverview {
  sections: { name: string; title: string }[];
  units: {
    externalId: string;
    municipalityCode: string | null;
    name: string | null;
    response: 'none' | 'in_progress' | 'completed';
    sections: SectionStatusView[];
  }[];
}
