// The fieldwork reads as TanStack queries: one key per resource, so an action invalidates exactly what it changed.
import { useQuery } from '@tanstack/react-query';
import { api } from '../api.ts';
import type {
  DelegationOverview,
  ProgressBy,
  ProgressReport,
  QueueCounts,
  RoundRow,
  SectionProgressRow,
  Wave,
  WaveSummary,
} from './types.ts';

export const waveKeys = {
  all: ['waves'] as const,
  one: (id: string) => ['waves', id] as const,
  rounds: (id: string) => ['waves', id, 'rounds'] as const,
  progress: (id: string, by: string) => ['waves', id, 'progress', by] as const,
  delegations: (id: string) => ['waves', id, 'delegations'] as const,
};

/** While fieldwork runs, counts change under the reader's eyes: refreshed this often. */
const liveMs = 15_000;

export function useWaves() {
  return useQuery({
    queryKey: waveKeys.all,
    queryFn: () => api<{ waves: WaveSummary[] }>('/waves').then((r) => r.waves),
  });
}

export function useWave(id: string) {
  return useQuery({
    queryKey: waveKeys.one(id),
    queryFn: () => api<{ wave: Wave }>(`/waves/${encodeURIComponent(id)}`).then((r) => r.wave),
  });
}

/** Rounds and the send queue; polled every second while a sender runs or mail waits, so progress moves. */
export function useRounds(id: string, enabled: boolean, working = false) {
  return useQuery({
    queryKey: waveKeys.rounds(id),
    enabled,
    queryFn: () =>
      api<{ rounds: RoundRow[]; queue: QueueCounts; sending?: boolean }>(
        `/waves/${encodeURIComponent(id)}/rounds`,
      ),
    refetchInterval: (q) => {
      const data = q.state.data;
      if (working || data?.sending) return 1_000;
      return data && data.queue.pending - data.queue.waiting + data.queue.sending > 0 ? 1_000 : false;
    },
  });
}

export function useProgress(id: string, by: ProgressBy, live: boolean) {
  return useQuery({
    queryKey: waveKeys.progress(id, by),
    queryFn: () => api<ProgressReport>(`/waves/${encodeURIComponent(id)}/progress?by=${by}`),
    refetchInterval: live ? liveMs : false,
  });
}

export function useSectionProgress(id: string, live: boolean) {
  return useQuery({
    queryKey: waveKeys.progress(id, 'section'),
    queryFn: () =>
      api<{ rows: SectionProgressRow[] }>(`/waves/${encodeURIComponent(id)}/progress?by=section`).then(
        (r) => r.rows,
      ),
    refetchInterval: live ? liveMs : false,
  });
}

export function useDelegations(id: string, live: boolean) {
  return useQuery({
    queryKey: waveKeys.delegations(id),
    queryFn: () => api<DelegationOverview>(`/waves/${encodeURIComponent(id)}/delegations`),
    refetchInterval: live ? liveMs : false,
  });
}
