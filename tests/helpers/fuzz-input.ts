// Hostile input for the fuzz suite: strings, JSON bodies, raw bytes, path segments, query strings and headers that
// real attackers and broken clients send. Each arbitrary mixes plausible values (so the handler runs past parsing)
// with hostile ones (so its checks are what stands between the input and the database).
import fc from 'fast-check';

/** Strings that reach SQL, logs, HTML or the JSON column: injection, escapes, prototype keys, numbers in text. */
const nasty = [
  "' OR '1'='1",
  "'; drop table response; --",
  '" or ""="',
  '1; select pg_sleep(5)',
  "%' union select password_hash from staff_user --",
  "\\'",
  '$1',
  '::uuid',
  "E'\\x00'",
  '\\u0000',
  '<script>alert(1)</script>',
  '\x24{jndi:ldap://x}', // a Log4Shell probe
  '{{7*7}}',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e309',
  '99999999999999999999',
  'null',
  'true',
  '',
  ' ',
  'latest',
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
];

/** Bidirectional overrides, zero-width and invisible characters, right-to-left scripts, NUL, lone surrogates. */
const invisible = [
  '\u202e',
  '\u202d',
  '\u2066',
  '\u2069',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u200e',
  '\u200f',
  '\u061c',
  '\ufeff',
  '\u0000',
  '\ud800',
  '\udfff',
  '\u0085',
  '\u2028',
  'مرحبا',
  'שלום',
  'ሰላም',
  '👩🏽‍💻',
  'e\u0301',
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...nasty) },
  { weight: 2, arbitrary: fc.constantFrom(...invisible) },
  {
    weight: 3,
    arbitrary: fc
      .array(fc.oneof(fc.constantFrom(...nasty, ...invisible), fc.string({ maxLength: 8 })), { maxLength: 6 })
      .map((parts) => parts.join('')),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  // Past every max() of the schemas (200, 320, 1024, 2000, 20 000) and into the body limit.
  { weight: 1, arbitrary: fc.integer({ min: 201, max: 70_000 }).map((n) => 'x'.repeat(n)) },
);

/** Every field name the request schemas know: objects of these with hostile values reach the deepest checks. */
export const fieldNames = [
  'answers',
  'bases',
  'device',
  'clientTime',
  'page',
  'locale',
  'confirmSectionsNotDone',
  'sections',
  'done',
  'message',
  'instrumentId',
  'version',
  'name',
  'mode',
  'locales',
  'allowDraftLocales',
  'smallCellK',
  'opensAt',
  'closesAt',
  'size',
  'strata',
  'allocation',
  'minPerStratum',
  'allowEmptyStrata',
  'seed',
  'spreads',
  'spreadColumn',
  'fixed',
  'send',
  'rate',
  'concurrency',
  'adjustBy',
  'email',
  'password',
  'displayName',
  'role',
  'municipalityCode',
  'expiresInDays',
];

/** Any JSON value, with hostile strings and numbers JSON allows but schemas may not (huge, negative, fractions). */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308, Number.MIN_VALUE),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(hostileString, fc.constantFrom(...fieldNames)), tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** Values a field is likely to accept, so some bodies get past the schema and into the service. */
const plausible = fc.constantFrom<unknown>(
  'nb',
  'ar',
  'p1',
  'q_sat',
  'q_why',
  'census',
  'sample',
  'proportional',
  'analyst',
  'municipality',
  '0301',
  'fuzz@example.no',
  'Fuzz wave',
  1,
  3,
  true,
  false,
  ['nb'],
  ['p1'],
  { q_sat: 3 },
  { q_why: 'fordi' },
  {},
  [],
);

/** A JSON object shaped like the request schemas: known keys (plus a stray one), wrong types and hostile values. */
export const schemaShapedBody: fc.Arbitrary<string> = fc
  .dictionary(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...fieldNames) },
      { weight: 1, arbitrary: hostileString },
    ),
    fc.oneof(plausible, hostileValue),
    { maxKeys: 6 },
  )
  .map((o) => JSON.stringify(o));

const malformedJson = fc.constantFrom(
  '',
  ' ',
  '{',
  '}',
  '{"answers":',
  '[1,2',
  'nul',
  'undefined',
  '{"a":1}}',
  "{'answers':{}}",
  '{"answers":{},}',
  '{"answers":{"q_sat":01}}',
  'NaN',
  '\u0000',
  '\ufeff{}',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"x":1}}}',
  '"just a string"',
  '42',
  'null',
  'true',
  '[]',
  '[{}]',
  '{"answers":{"q_sat":"\\ud800"}}',
);

/** Nesting deep enough to blow a recursive parser, a JSON column or PostgreSQL's stack limit. */
const deeplyNested = fc
  .tuple(fc.integer({ min: 50, max: 200_000 }), fc.constantFrom('array', 'object', 'answer'))
  .map(([depth, kind]) => {
    if (kind === 'array') return `${'['.repeat(depth)}${']'.repeat(depth)}`;
    if (kind === 'object') return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    return `{"answers":{"q_why":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
  });

/** Bodies larger than the general body limit, and wide objects of many keys. */
const huge = fc.oneof(
  fc.integer({ min: 1, max: 3 }).map((mb) => `{"answers":{"q_why":"${'a'.repeat(mb * 1024 * 1024)}"}}`),
  fc
    .integer({ min: 1001, max: 20_000 })
    .map((n) =>
      JSON.stringify({ answers: Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i])) }),
    ),
);

/** A body as text: malformed, deep, huge, any JSON, or shaped like a request; sometimes with a NUL inside. */
export const textBody: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: malformedJson },
  { weight: 1, arbitrary: deeplyNested },
  { weight: 1, arbitrary: huge },
  { weight: 3, arbitrary: hostileValue.map((v) => JSON.stringify(v) ?? 'null') },
  { weight: 6, arbitrary: schemaShapedBody },
  { weight: 1, arbitrary: hostileString },
);

/** Byte sequences no UTF-8 decoder may accept: stray continuation bytes, overlong forms, surrogates, 0xFF. */
const invalidUtf8 = fc.constantFrom(
  [0xff],
  [0xfe, 0xff],
  [0xc0, 0x80],
  [0xc0, 0xaf],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0x80],
  [0xe2, 0x82],
  [0xf4, 0x90, 0x80, 0x80],
);

/** A body as bytes: a text body, or one with invalid UTF-8 spliced in, or random bytes. */
export const byteBody: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 6, arbitrary: textBody.map((s) => new Uint8Array(Buffer.from(s))) },
  {
    weight: 2,
    arbitrary: fc.tuple(schemaShapedBody, invalidUtf8, fc.nat()).map(([s, bad, at]) => {
      const b = Buffer.from(s);
      const i = b.length === 0 ? 0 : at % b.length;
      return new Uint8Array(Buffer.concat([b.subarray(0, i), Buffer.from(bad), b.subarray(i)]));
    }),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
);

export const contentType: fc.Arbitrary<string | null> = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/problem+json',
  'application/merge-patch+json',
  'application/json; charset=latin1',
  'text/plain',
  'text/csv',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/octet-stream',
  'application/jsonx',
  '',
  null,
);

/** Percent-encodes every byte but the unreserved ones (a lone surrogate becomes U+FFFD's bytes, as a browser does). */
export function encodeAll(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.~-]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A path segment: a hostile string encoded, or raw escapes a decoder must survive (invalid UTF-8, NUL, slash). */
export const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: hostileString.map(encodeAll) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '%ff%fe',
      '%c0%af',
      '%ed%a0%80',
      '%00',
      '%',
      '%zz',
      '%2F',
      '%2e%2e',
      '..',
      '.',
      'a%00b',
      '%E2%80%AE',
      '%u202e',
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 20_000 }).map((n) => 'A'.repeat(n)) },
);

/** Header values must be ByteStrings without CR, LF or NUL: hostile strings squeezed into that alphabet. */
export const headerValue: fc.Arbitrary<string> = hostileString.map((s) =>
  [...s]
    .map((ch) => {
      const code = ch.charCodeAt(0);
      return code >= 0x20 && code <= 0xff && code !== 0x7f ? ch : '?';
    })
    .join('')
    .slice(0, 4000),
);
