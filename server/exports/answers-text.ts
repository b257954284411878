// Reads a response's answers from PostgreSQL's text of a jsonb object, for exports that read millions of them.
//
// Why not JSON.parse: every response answers its own subset of the questions, so every row has a different set of
// keys, and V8 builds a new hidden class (a "map") for each new key sequence it meets. Over a national wave that is
// one new chain of maps per row: JSON.parse ran at a third of its usual speed and the maps kept the garbage collector
// busy (`npm run bench:export`). Here the top level is filled into a copy of one template object holding every key
// the export reads, so all rows share one map; scalar values are sliced out directly, and only nested values (a multi-select's list, a
// grid's rows) go through JSON.parse, where key sets repeat. Anything unusual (an escaped key, text that is not an
// object) falls back to JSON.parse, so the result is always what JSON.parse would give.

export type Answers = Record<string, unknown>;

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

function skipSpace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return i;
    i += 1;
  }
}

/** The index just after the string starting at `i` (a quote), or -1 when it does not end. */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j += 1) {
    const c = text.charCodeAt(j);
    if (c === BACKSLASH) j += 1;
    else if (c === QUOTE) return j + 1;
  }
  return -1;
}

/** The index just after the value starting at `i`, or -1 when the text is not well formed. */
function valueEnd(text: string, i: number): number {
  const first = text.charCodeAt(i);
  if (first === QUOTE) return stringEnd(text, i);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    for (let j = i; j < text.length; j += 1) {
      const c = text.charCodeAt(j);
      if (c === QUOTE) {
        j = stringEnd(text, j) - 1;
        if (j < 0) return -1;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth += 1;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth -= 1;
        if (depth === 0) return j + 1;
      }
    }
    return -1;
  }
  let j = i;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === COMMA || c === CLOSE_BRACE || c === 32 || c === 10 || c === 13 || c === 9) break;
    j += 1;
  }
  return j > i ? j : -1;
}

function scalarOrNested(text: string, start: number, end: number): unknown {
  const first = text.charCodeAt(start);
  // Whole numbers of a few digits (codes, the commonest answers) without a call out.
  if (first >= 48 && first <= 57 && end - start <= 9) {
    let n = 0;
    for (let j = start; j < end; j += 1) {
      const d = text.charCodeAt(j) - 48;
      if (d < 0 || d > 9) return Number(text.slice(start, end));
      n = n * 10 + d;
    }
    return n;
  }
  if (first === QUOTE) {
    const inner = text.slice(start + 1, end - 1);
    return inner.includes('\\') ? JSON.parse(text.slice(start, end)) : inner;
  }
  if (first === 110 /* n */ && end - start === 4) return null;
  if (first === 116 /* t */ && end - start === 4) return true;
  if (first === 102 /* f */ && end - start === 5) return false;
  // Other numbers, and nested lists or objects: JSON.parse of the slice keeps JSON's exact rules.
  return JSON.parse(text.slice(start, end));
}

/**
 * A reader of answers texts for a known set of keys (the questions an export reads): every object it returns starts
 * as a copy of one template holding every key, so all rows share one hidden class and reads of them stay fast. A
 * key the text does not hold reads as undefined, as with JSON.parse; a key outside the set is added as usual.
 */
export function answersReader(keys: Iterable<string>): (text: string) => Answers {
  // Built by JSON.parse, which makes a fast (map-based) object however many keys; one built key by key would
  // turn into a hash table past a few dozen keys, and copying that costs forty times more.
  const list = [...new Set(keys)];
  const template = JSON.parse(JSON.stringify(Object.fromEntries(list.map((k) => [k, null])))) as Answers;
  for (const k of list) template[k] = undefined;
  return (text) => parseInto({ ...template }, text);
}

function parseInto(out: Answers, text: string): Answers {
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== OPEN_BRACE) return JSON.parse(text) as Answers;
  i = skipSpace(text, i + 1);
  if (text.charCodeAt(i) === CLOSE_BRACE) return out;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return JSON.parse(text) as Answers;
    const keyEnd = stringEnd(text, i);
    if (keyEnd < 0) return JSON.parse(text) as Answers;
    const key = text.slice(i + 1, keyEnd - 1);
    if (key.includes('\\')) return JSON.parse(text) as Answers;
    i = skipSpace(text, keyEnd);
    if (text.charCodeAt(i) !== COLON) return JSON.parse(text) as Answers;
    i = skipSpace(text, i + 1);
    const end = valueEnd(text, i);
    if (end < 0) return JSON.parse(text) as Answers;
    out[key] = scalarOrNested(text, i, end);
    i = skipSpace(text, end);
    const c = text.charCodeAt(i);
    if (c === CLOSE_BRACE)
      return skipSpace(text, i + 1) === text.length ? out : (JSON.parse(text) as Answers);
    if (c !== COMMA) return JSON.parse(text) as Answers;
    i = skipSpace(text, i + 1);
  }
}
