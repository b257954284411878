// The respondent API from the browser. Every call says which language the page shows, so errors come back in it.
// The wire shape is the server's own type (a type-only import: nothing of the server reaches the bundle).
import type { SectionStatus } from '../../../server/delegation/status.ts';
import type { AnswerConflict } from '../../../server/responses/conflicts.ts';
import type { SurveyView } from '../../../server/responses/service.ts';

export type { AnswerConflict, SectionStatus, SurveyView };
export type Role = SurveyView['role'];
export type OfferedLocale = SurveyView['locales'][number];

export interface Problem {
  status: number;
  code: string;
  detail: string;
  invalid_params?: { name: string; reason: string }[];
  /** 409 answer_conflict: the answers someone else changed first. */
  conflicts?: AnswerConflict[];
  /** 409 sections_not_done: the delegated sections not done, and who has them. */
  sections?: unknown[];
}

export class ApiProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

async function call<T>(path: string, locale: string | undefined, init: RequestInit = {}): Promise<T> {
  const headers: Record<string, string> = { ...(locale ? { 'x-svar-locale': locale } : {}) };
  if (init.body) headers['content-type'] = 'application/json';
  const res = await fetch(path, { ...init, headers });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as Partial<Problem>;
    throw new ApiProblem({
      status: res.status,
      code: body.code ?? 'error',
      detail: body.detail ?? res.statusText,
      ...body,
    } as Problem);
  }
  return (await res.json()) as T;
}

const post = <T>(path: string, locale: string | undefined, body: unknown) =>
  call<T>(path, locale, { method: 'POST', body: JSON.stringify(body) });

/**
 * The view (answers: never cached) and then the definition in its language from its own URL, which the browser
 * and any proxy keep for good: a returning respondent does not download the survey again.
 */
export async function loadSurvey(token: string, locale?: string): Promise<SurveyView> {
  const q = `?definition=url${locale ? `&locale=${encodeURIComponent(locale)}` : ''}`;
  const view = await call<SurveyView>(`/api/v1/respond/${token}${q}`, locale);
  if (!view.definition && view.definitionUrl) view.definition = await loadDefinition(view.definitionUrl);
  return view;
}

/** A plain GET without custom headers: the HTTP cache (and a preload of the same URL) can answer it. */
export async function loadDefinition(url: string): Promise<Record<string, unknown>> {
  const res = await fetch(url);
  if (!res.ok) throw new ApiProblem({ status: res.status, code: 'error', detail: res.statusText });
  return (await res.json()) as Record<string, unknown>;
}

export interface SaveBody {
  answers: Record<string, unknown>;
  /** For each answer, the revision this page last saw of it (0: none). */
  bases: Record<string, number>;
  /** This browser's random id: the same link on another device is another writer (ADR 5). */
  device: string;
  /** This device's save counter (outbox.ts): a later save carries a higher one. */
  seq: number;
  clientTime: number;
  page?: string | null;
  locale?: string;
}

export interface SaveResult {
  savedAt: string;
  applied: string[];
  revs: Record<string, number>;
}

export function saveAnswers(token: string, body: SaveBody) {
  return post<SaveResult>(`/api/v1/respond/${token}/answers`, body.locale, body);
}

export function submit(token: string, locale: string, confirmSectionsNotDone = false) {
  return post<{ completedAt: string }>(`/api/v1/respond/${token}/submit`, locale, {
    locale,
    ...(confirmSectionsNotDone ? { confirmSectionsNotDone } : {}),
  });
}

/** Sends a save while the page is closing; the outbox in localStorage keeps it anyway if this is lost. */
export function beaconSave(token: string, body: SaveBody): boolean {
  const blob = new Blob([JSON.stringify(body)], { type: 'application/json' });
  return navigator.sendBeacon?.(`/api/v1/respond/${token}/answers`, blob) ?? false;
}

export function loadSections(token: string, locale: string) {
  return call<{ status: string; readOnly: boolean; sections: SectionStatus[] }>(
    `/api/v1/respond/${token}/sections`,
    locale,
  );
}

export function loadAnswers(token: string, locale: string, codes: string[]) {
  const q = codes.length ? `?codes=${codes.map(encodeURIComponent).join(',')}` : '';
  return call<{ answers: Record<string, unknown>; revs: Record<string, number> }>(
    `/api/v1/respond/${token}/answers${q}`,
    locale,
  );
}

export interface NewDelegation {
  sections: string[];
  name: string;
  email: string;
  locale: string;
  message?: string;
}

export function delegate(token: string, locale: string, body: NewDelegation) {
  return post<{ delegateId: string; link: string; sections: string[]; mailed: boolean }>(
    `/api/v1/respond/${token}/delegations`,
    locale,
    body,
  );
}

export function takeBack(token: string, locale: string, sections: string[]) {
  return post<{ sections: string[] }>(`/api/v1/respond/${token}/delegations/take-back`, locale, { sections });
}

export function markDone(token: string, locale: string, sections: string[], done: boolean) {
  return post<{ sections: SectionStatus[] }>(`/api/v1/respond/${token}/sections/done`, locale, {
    sections,
    done,
  });
}
