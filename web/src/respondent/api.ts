// The respondent API from the browser. Every call says which language the page shows, so errors come back in it.
// The wire shape is the server's own type (a type-only import: nothing of the server reaches the bundle).
import type { SurveyView } from '../../../server/responses/service.ts';

export type { SurveyView };
export type OfferedLocale = SurveyView['locales'][number];

export interface Problem {
  status: number;
  code: string;
  detail: string;
  invalid_params?: { name: string; reason: string }[];
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

export function loadSurvey(token: string, locale?: string): Promise<SurveyView> {
  const q = locale ? `?locale=${encodeURIComponent(locale)}` : '';
  return call(`/api/v1/respond/${token}${q}`, locale);
}

export interface SaveBody {
  answers: Record<string, unknown>;
  clientTime: number;
  page?: string | null;
  locale?: string;
}

export function saveAnswers(token: string, body: SaveBody) {
  return call<{ savedAt: string; applied: string[]; ignored: string[] }>(
    `/api/v1/respond/${token}/answers`,
    body.locale,
    {
      method: 'POST',
      body: JSON.stringify(body),
    },
  );
}

export function submit(token: string, locale: string) {
  return call<{ completedAt: string }>(`/api/v1/respond/${token}/submit`, locale, {
    method: 'POST',
    body: JSON.stringify({ locale }),
  });
}

/** Sends a save while the page is closing; the outbox in localStorage keeps it anyway if this is lost. */
export function beaconSave(token: string, body: SaveBody): boolean {
  const blob = new Blob([JSON.stringify(body)], { type: 'application/json' });
  return navigator.sendBeacon?.(`/api/v1/respond/${token}/answers`, blob) ?? false;
}
