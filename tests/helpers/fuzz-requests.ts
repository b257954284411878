// Hostile requests for one route of the app: its path parameters, query, headers, credentials and body, each drawn
// from real values (so the handler runs) or hostile ones (so its checks must hold).
import fc from 'fast-check';
import {
  byteBody,
  contentType,
  encodeAll,
  headerValue,
  hostileSegment,
  hostileString,
} from './fuzz-input.ts';

/** Real values of the fixtures: ids and tokens that exist, so a case can reach past "not found". */
export interface FuzzFixtures {
  tokens: string[];
  waveIds: string[];
  instrumentIds: string[];
  /** Staff users a fuzzed request may disable: never the callers themselves. */
  victimIds: string[];
  versionIds: string[];
  /** An API token per role; `admin` is allowed everywhere. */
  bearer: Record<'admin' | 'analyst' | 'municipality', string>;
  /** An admin's cookie session, to reach the CSRF check. */
  session: { cookie: string; csrfToken: string };
}

export interface FuzzRequest {
  url: string;
  init: RequestInit;
  /** Shown when a case fails: what was sent, shortened. */
  describe(): string;
}

const realParam = (f: FuzzFixtures, path: string, name: string): string[] => {
  if (name === 'token') return f.tokens;
  if (name === 'versionId') return f.versionIds;
  if (name === 'version') return ['1', 'latest'];
  if (name === 'locale') return ['nb', 'ar', 'nn'];
  if (name === 'municipality') return ['0301', '030101'];
  if (name === 'externalId') return ['p1', 'u1'];
  if (name === 'round') return ['1', '2'];
  if (path.includes('/instruments/')) return f.instrumentIds;
  if (path.includes('/staff/users/')) return f.victimIds;
  return f.waveIds;
};

/** Query parameters the routes read, with values they accept; a factsheet as PDF is left out (it starts Chromium). */
const plausibleQuery = (f: FuzzFixtures): Record<string, string[]> => ({
  locale: ['nb', 'ar', 'nn', 'en'],
  codes: ['q_sat,q_why', 'q_sat', ',,,'],
  definition: ['url'],
  by: ['total', 'county', 'section', 'stratum', 'language', 'municipality', 'q_sat'],
  filename: ['frame.csv', 'frame.xlsx'],
  format: ['html', 'csv', 'xlsx', 'sav', 'dta', 'codebook-json', 'ddi'],
  lang: ['nb', 'nn', 'en'],
  labels: ['nb', 'en'],
  waves: [f.waveIds.join(','), f.waveIds[0]!],
  var: ['q_sat', 'q_months'],
  from: ['1'],
  to: ['1', '2'],
});

/** Whole queries some routes need to do anything at all (required parameters together), by route pattern. */
const workingQueries = (f: FuzzFixtures): Record<string, string[]> => {
  const waves = f.waveIds.join(',');
  return {
    '/api/v1/exports': ['csv', 'xlsx', 'sav', 'dta', 'parquet', 'r', 'sps', 'do', 'codebook', 'ddi'].map(
      (format) => `waves=${waves}&format=${format}`,
    ),
    // The first wave is closed with answers, the last open with answers: a trend of the two runs in full.
    '/api/v1/reports/trend': [
      `waves=${waves}`,
      `waves=${f.waveIds[0]},${f.waveIds.at(-1)}`,
      `waves=${f.waveIds[0]},${f.waveIds.at(-1)}&format=csv&lang=en`,
    ],
    '/api/v1/waves/:id/estimates': ['var=q_sat', 'var=q_sat&by=county', 'var=q_months&by=language'],
    '/api/v1/waves/:id/regions': ['format=csv', 'by=municipality&format=csv', 'lang=en'],
    '/api/v1/waves/:id/factsheets/:municipality': ['format=html', 'lang=nn'],
    '/api/v1/waves/:id/progress': ['by=county', 'by=section', 'by=language-used'],
    '/api/v1/respond/:token/answers': ['codes=q_sat,q_why', 'locale=ar'],
    '/api/v1/instruments/:id/diff': ['from=1&to=1'],
  };
};

function queryArb(f: FuzzFixtures, pattern: string): fc.Arbitrary<string> {
  const known = plausibleQuery(f);
  const working = workingQueries(f)[pattern];
  const pair = fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .constantFrom(...Object.entries(known))
        .chain(([k, vs]) => fc.tuple(fc.constant(k), fc.constantFrom(...vs))),
    },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...Object.keys(known)), hostileString) },
    { weight: 1, arbitrary: fc.tuple(hostileString, hostileString) },
  );
  const random = fc
    .array(pair, { maxLength: 4 })
    .map((pairs) => pairs.map(([k, v]) => `${encodeAll(k)}=${encodeAll(v)}`).join('&'));
  if (!working) return random.map((q) => (q ? `?${q}` : ''));
  // A working query, alone or with hostile pairs after it (a repeated key, an unknown one).
  return fc
    .oneof(
      { weight: 3, arbitrary: random },
      { weight: 2, arbitrary: fc.constantFrom(...working) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...working), random).map(([w, r]) => `${w}&${r}`) },
    )
    .map((q) => (q ? `?${q}` : ''));
}

type Auth = { authorization?: string; cookie?: string; 'x-csrf-token'?: string };

function authArb(f: FuzzFixtures, allowed: string[] | 'public'): fc.Arbitrary<Auth> {
  const hostile = fc.oneof(
    headerValue.map((v) => ({ authorization: `Bearer ${v}` })),
    headerValue.map((v) => ({ authorization: v })),
    fc.constantFrom(...f.tokens).map((t) => ({ authorization: `Bearer ${t}` })),
    fc.constant({ authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` }),
    headerValue.map((v) => ({ cookie: `svar_session=${v}` })),
    headerValue.map((v) => ({ cookie: f.session.cookie, 'x-csrf-token': v })),
  );
  const session = fc.constant({ cookie: f.session.cookie, 'x-csrf-token': f.session.csrfToken });
  if (allowed === 'public') {
    return fc.oneof(
      { weight: 6, arbitrary: fc.constant({}) },
      { weight: 2, arbitrary: hostile },
      { weight: 1, arbitrary: fc.constant({ authorization: `Bearer ${f.bearer.admin}` }) },
    );
  }
  const roles = allowed.filter((r): r is keyof FuzzFixtures['bearer'] => r in f.bearer);
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc.constantFrom(...roles).map((r) => ({ authorization: `Bearer ${f.bearer[r]}` })),
    },
    { weight: 1, arbitrary: session },
    { weight: 2, arbitrary: hostile },
  );
}

const extraHeaders = fc.record(
  {
    'accept-language': headerValue,
    'x-svar-locale': headerValue,
    'user-agent': headerValue,
    'x-forwarded-for': headerValue,
    'x-request-id': headerValue,
  },
  { requiredKeys: [] },
);

/** Every request a fuzz case may send to `METHOD /path/:param`, given who the route admits. */
export function requestArb(route: string, rule: string, f: FuzzFixtures): fc.Arbitrary<FuzzRequest> {
  const [method, pattern] = route.split(' ') as [string, string];
  const names = [...pattern.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
  const params = fc.tuple(
    ...names.map((name) =>
      fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...realParam(f, pattern, name)) },
        { weight: 2, arbitrary: hostileSegment },
      ),
    ),
  );
  const allowed = rule.startsWith('public:')
    ? 'public'
    : ['admin', ...rule.replace(/^roles:/, '').split(',')];
  const body =
    method === 'GET'
      ? fc.constant(null)
      : fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 9, arbitrary: byteBody });
  return fc
    .record({
      params,
      query: queryArb(f, pattern),
      auth: authArb(f, allowed),
      headers: extraHeaders,
      type: contentType,
      body,
    })
    .map((parts) => toRequest(method, pattern, parts));
}

interface RequestParts {
  params: string[];
  query: string;
  auth: Auth;
  headers: Record<string, string>;
  type: string | null;
  body: Uint8Array | null;
}

function toRequest(
  method: string,
  pattern: string,
  { params, query, auth, headers, type, body }: RequestParts,
) {
  let i = 0;
  const url = pattern.replace(/:([A-Za-z]+)/g, () => params[i++]!) + query;
  const sent: Record<string, string> = { ...headers, ...auth };
  if (type !== null && body !== null) sent['content-type'] = type;
  const init: RequestInit = {
    method,
    headers: sent,
    ...(body !== null ? { body: new Uint8Array(body) } : {}),
  };
  return {
    url,
    init,
    describe: () =>
      `${method} ${url.slice(0, 300)} headers=${JSON.stringify(sent).slice(0, 300)} body=${
        body === null ? 'none' : Buffer.from(body).toString('utf8', 0, 300)
      }${body && body.length > 300 ? `… (${body.length} bytes)` : ''}`,
  };
}

/**
 * Cases that once failed, run first every time: a NUL in every path parameter (PostgreSQL refused it with a 500),
 * and a NUL in the query and in a JSON string with the real ids.
 */
export function regressionCases(route: string, rule: string, f: FuzzFixtures): [FuzzRequest][] {
  const [method, pattern] = route.split(' ') as [string, string];
  const names = [...pattern.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
  const auth: Auth = rule.startsWith('public:') ? {} : { authorization: `Bearer ${f.bearer.admin}` };
  const json = new Uint8Array(Buffer.from('{"answers":{"q_why":"a\\u0000b"}}'));
  const base = { auth, headers: {}, type: 'application/json', body: method === 'GET' ? null : json };
  const real = names.map((n) => realParam(f, pattern, n)[0]!);
  // One parameter at a time holds the NUL, the others are real: the handler gets as far as the database.
  const inPath = names.map((_, i): [FuzzRequest] => [
    toRequest(method, pattern, { ...base, params: real.map((v, j) => (i === j ? 'a%00b' : v)), query: '' }),
  ]);
  const query = '?locale=a%00b&codes=a%00b&by=a%00b&waves=a%00b';
  return [...inPath, [toRequest(method, pattern, { ...base, params: real, query })]];
}
