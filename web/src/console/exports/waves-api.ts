// The waves list and one wave's progress, as the exports, fact sheets and the municipality landing read them.
import { useQuery } from '@tanstack/react-query';
import { api } from '../api.ts';

export interface WaveSummary {
  id: string;
  name: string;
  instrument_id: string;
  version: number;
  mode: string;
  status: string;
  locales: string[];
  opens_at: string | null;
  closes_at: string | null;
  created_at: string;
}

/** Counts hidden by the small-cell rule come back as null, listed in `suppressed`. */
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

export function useWaveList() {
  return useQuery({
    queryKey: ['waves'],
    queryFn: async () => (await api<{ waves: WaveSummary[] }>('/waves')).waves,
  });
}

export function useWaveTotals(waveId: string) {
  return useQuery({
    queryKey: ['waves', waveId, 'progress', 'total'],
    queryFn: async () =>
      (await api<{ rows: ProgressRow[] }>(`/waves/${encodeURIComponent(waveId)}/progress?by=total`)).rows,
  });
}

/** Newest first: what a person is most likely looking for. */
export function newestFirst(waves: WaveSummary[]): WaveSummary[] {
  return [...waves].sort((a, b) => b.created_at.localeCompare(a.created_at));
}
