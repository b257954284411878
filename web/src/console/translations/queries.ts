// The translation review API as TanStack queries and mutations (server/translations/routes.ts).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api.ts';

export const statuses = ['missing', 'stale', 'draft', 'reviewed', 'approved'] as const;
export type StringStatus = (typeof statuses)[number];
export type StatusCounts = Record<StringStatus, number>;

export interface InstrumentVersions {
  id: string;
  title: string;
  /** Newest first. */
  versions: number[];
}

export interface MatrixLanguage {
  locale: string;
  name: string;
  dir: 'ltr' | 'rtl';
  counts: StatusCounts;
  modules: Record<string, StatusCounts>;
  waitingForNextVersion: number;
  offerable: boolean;
}

export interface Matrix {
  instrumentId: string;
  version: number;
  total: number;
  modules: string[];
  languages: MatrixLanguage[];
}

export interface TranslationString {
  key: string;
  module: string;
  source: string;
  text: string | null;
  status: StringStatus;
  waitingForNextVersion: boolean;
  history: {
    version: number;
    action: 'edited' | 'imported' | 'status';
    status: string;
    text: string | null;
    by: string;
    at: string;
  }[];
  comments: { id: string; version: number; body: string; by: string; at: string }[];
}

export interface LanguageStrings {
  instrumentId: string;
  version: number;
  locale: string;
  name: string;
  dir: 'ltr' | 'rtl';
  counts: StatusCounts;
  modules: string[];
  strings: TranslationString[];
}

export interface LanguageRef {
  instrumentId: string;
  version: number;
  locale: string;
}

const base = (r: { instrumentId: string; version: number }) =>
  `/translations/${encodeURIComponent(r.instrumentId)}/${r.version}`;
export const languagePath = (r: LanguageRef) => `${base(r)}/${encodeURIComponent(r.locale)}`;

export function useInstrumentVersions() {
  return useQuery({
    queryKey: ['translations', 'instruments'],
    queryFn: () =>
      api<{ instruments: InstrumentVersions[] }>('/translations/instruments').then((r) => r.instruments),
  });
}

export function useMatrix(ref: { instrumentId: string; version: number } | null) {
  return useQuery({
    queryKey: ['translations', ref?.instrumentId, ref?.version],
    enabled: ref !== null,
    queryFn: () => api<Matrix>(base(ref!)),
  });
}

export function useLanguageStrings(ref: LanguageRef) {
  return useQuery({
    queryKey: ['translations', ref.instrumentId, ref.version, ref.locale],
    queryFn: () => api<LanguageStrings>(languagePath(ref)),
  });
}

/** A change to a language: afterwards the language and the matrix are read again. */
function useLanguageChange<V, R>(ref: LanguageRef, call: (v: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: () => client.invalidateQueries({ queryKey: ['translations', ref.instrumentId, ref.version] }),
  });
}

export function useEditString(ref: LanguageRef) {
  return useLanguageChange(ref, (v: { key: string; text: string }) =>
    api(`${languagePath(ref)}/strings/${encodeURIComponent(v.key)}`, {
      method: 'PATCH',
      json: { text: v.text },
    }),
  );
}

export function useChangeStatus(ref: LanguageRef) {
  return useLanguageChange(ref, (v: { keys: string[]; status: 'reviewed' | 'approved' }) =>
    api<{ changed: number }>(`${languagePath(ref)}/status`, { json: v }),
  );
}

export function useAddComment(ref: LanguageRef) {
  return useLanguageChange(ref, (v: { key: string; body: string }) =>
    api(`${languagePath(ref)}/comments`, { json: v }),
  );
}

export function useUploadXliff(ref: LanguageRef) {
  return useLanguageChange(ref, (file: File) =>
    api<{ changed: number; unchanged: number }>(`${languagePath(ref)}/xliff`, {
      body: file,
      contentType: 'application/xliff+xml',
    }),
  );
}
