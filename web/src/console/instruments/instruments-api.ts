// Instruments and their published versions over the API (server/surveys/routes.ts).
import { useQuery } from '@tanstack/react-query';
import { api } from '../api.ts';

export interface InstrumentSummary {
  id: string;
  title: string;
  unitType: string;
  sourceLocale: string;
  latestVersion: number | null;
  versions: number;
}

export interface VersionLocale {
  locale: string;
  name: string;
  dir: 'ltr' | 'rtl';
  source: boolean;
  complete: boolean;
  status: string;
}

export interface PublishedVersion {
  instrumentId: string;
  version: number;
  contentHash: string;
  publishedAt: string;
  locale: string;
  dir: 'ltr' | 'rtl';
  locales: VersionLocale[];
  /** What the publisher noted: the publication itself, then minor edits per question code. */
  changelog: { kind: string; code?: string; note: string }[];
  definition: Record<string, unknown>;
}

export interface CodebookVariable {
  code: string;
  module: string | null;
  labels: Record<string, string>;
}

export interface VersionDiff {
  added: string[];
  removed: string[];
  changed: {
    code: string;
    changes: { field: string; locale?: string; value?: string; from: unknown; to: unknown }[];
  }[];
}

const enc = encodeURIComponent;

export function useInstruments() {
  return useQuery({
    queryKey: ['instruments'],
    queryFn: async () => (await api<{ instruments: InstrumentSummary[] }>('/instruments')).instruments,
  });
}

export function versionQuery(id: string, version: number, locale?: string) {
  return {
    queryKey: ['instruments', id, version, locale ?? ''],
    queryFn: () =>
      api<PublishedVersion>(
        `/instruments/${enc(id)}/versions/${version}${locale ? `?locale=${enc(locale)}` : ''}`,
      ),
    staleTime: Number.POSITIVE_INFINITY, // a published version never changes
  };
}

export function useCodebook(id: string, version: number) {
  return useQuery({
    queryKey: ['instruments', id, version, 'codebook'],
    queryFn: () =>
      api<{ variables: CodebookVariable[] }>(`/instruments/${enc(id)}/versions/${version}/codebook`),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useDiff(id: string, from: number, to: number) {
  return useQuery({
    queryKey: ['instruments', id, 'diff', from, to],
    queryFn: () => api<VersionDiff>(`/instruments/${enc(id)}/diff?from=${from}&to=${to}`),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
