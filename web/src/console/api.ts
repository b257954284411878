// Staff API calls from the console. The session cookie travels by itself; unsafe calls echo the CSRF token the
// login (or /auth/me) handed out. Every failure becomes a ProblemError carrying the server's stable code, so a
// screen can say in plain words what went wrong and what to do.

export interface ProblemField {
  name: string;
  reason: string;
}

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** Field-level problems (e.g. a frame's bad rows: `invalid_params` of the problem document). */
  get fields(): ProblemField[] {
    const f = this.detail.invalid_params;
    return Array.isArray(f) ? (f as ProblemField[]) : [];
  }
}

let csrfToken: string | null = null;

/** Set by the session query after login or /auth/me. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export interface ApiInit {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (a file upload); `contentType` names it. */
  body?: BodyInit;
  contentType?: string;
  signal?: AbortSignal;
}

/** Fetches `/api/v1<path>`; JSON answers are parsed, anything else is returned as a Response. */
export async function api<T = unknown>(path: string, init: ApiInit = {}): Promise<T> {
  const r = await send(path, init);
  if (r.status === 204) return undefined as T;
  const type = r.headers.get('content-type') ?? '';
  return (type.includes('json') ? await r.json() : r) as T;
}

/** The raw response of a successful call (downloads: CSV, XLSX, SPSS …). */
export async function apiResponse(path: string, init: ApiInit = {}): Promise<Response> {
  return send(path, init);
}

async function send(path: string, init: ApiInit): Promise<Response> {
  const method = init.method ?? (init.json !== undefined || init.body !== undefined ? 'POST' : 'GET');
  const headers: Record<string, string> = { accept: 'application/json, */*' };
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken ?? '';
  let body: BodyInit | undefined;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.body !== undefined) {
    body = init.body;
    if (init.contentType) headers['content-type'] = init.contentType;
  }
  let r: Response;
  try {
    r = await fetch(`/api/v1${path}`, { method, headers, body, signal: init.signal ?? null });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ProblemError(
      0,
      'network',
      'The server could not be reached. Check the connection and try again.',
    );
  }
  if (r.ok) return r;
  let problem: Record<string, unknown> = {};
  try {
    problem = (await r.json()) as Record<string, unknown>;
  } catch {
    // not a problem document: keep the status
  }
  throw new ProblemError(
    r.status,
    typeof problem.code === 'string' ? problem.code : `http_${r.status}`,
    typeof problem.detail === 'string'
      ? problem.detail
      : typeof problem.title === 'string'
        ? problem.title
        : r.statusText,
    problem,
  );
}
