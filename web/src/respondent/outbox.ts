// What this browser keeps in localStorage for a link: the answers not yet confirmed by the server, with the
// revision each was based on (ADR 5), the page and language; and one random id for the device.

export interface Outbox {
  answers: Record<string, unknown>;
  /** Per answer, the server revision this page had seen before changing it (0: none). */
  bases: Record<string, number>;
  page?: string | null;
  locale?: string;
  clientTime: number;
}

const keyOf = (token: string) => `svar:outbox:${token.slice(0, 12)}`;

/** The outbox left by an earlier visit (an older page's outbox has no bases: each counts as based on none). */
export function readOutbox(token: string): Outbox {
  let stored: Partial<Outbox> | null = null;
  try {
    stored = JSON.parse(localStorage.getItem(keyOf(token)) ?? 'null') as Partial<Outbox> | null;
  } catch {
    stored = null;
  }
  return { answers: {}, clientTime: 0, ...stored, bases: stored?.bases ?? {} };
}

export function writeOutbox(token: string, outbox: Outbox | null) {
  if (outbox) localStorage.setItem(keyOf(token), JSON.stringify(outbox));
  else localStorage.removeItem(keyOf(token));
}

/** A random id for this browser, kept: the server tells this device's saves from the same link's on another. */
export function deviceId(): string {
  const key = 'svar:device';
  try {
    const known = localStorage.getItem(key);
    if (known && /^[A-Za-z0-9_-]{1,64}$/.test(known)) return known;
    const id = randomId();
    localStorage.setItem(key, id);
    return id;
  } catch {
    return randomId();
  }
}

let lastSeq = 0;

/**
 * The next number of this device's save counter, kept beside its id: every save sent gets a higher one, so the
 * server can keep a newer answer from this device when an older save of it arrives late (ADR 5). A counter, not a
 * clock: a clock set wrong or corrected backwards cannot make it skip anything. Site data is cleared as a whole, so
 * a counter that starts again comes with a new device id. Without storage it counts in memory, as the id is too.
 */
export function nextSaveSeq(): number {
  const key = 'svar:device-seq';
  try {
    lastSeq = Math.max(Number(localStorage.getItem(key)) || 0, lastSeq) + 1;
    localStorage.setItem(key, String(lastSeq));
  } catch {
    lastSeq += 1;
  }
  return lastSeq;
}

function randomId() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(
    '',
  );
}
