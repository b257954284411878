// Ids for new frame units, made in JavaScript while the frame is staged: UUID v7 (RFC 9562), time-ordered, so a
// bulk insert appends at the primary key's right edge instead of splitting pages all over it.
import { getRandomValues } from 'node:crypto';
import { v7 } from 'uuid';

/** Random bytes fetched 16 KiB at a time: uuid's default source asks for 16 bytes per id, a fifth of an import. */
const pool = new Uint8Array(16 * 1024);
let used = pool.length;
/** uuid's own monotonic rule (RFC 9562 §6.2, method 1): ids of one millisecond count up from a random start. */
const clock = { msecs: Number.NEGATIVE_INFINITY, seq: 0 };

export function newUnitId(): string {
  if (used === pool.length) {
    getRandomValues(pool);
    used = 0;
  }
  const random = pool.subarray(used, used + 16);
  used += 16;
  const now = Date.now();
  if (now > clock.msecs) {
    clock.msecs = now;
    clock.seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
  } else {
    clock.seq = (clock.seq + 1) | 0;
    if (clock.seq === 0) clock.msecs++;
  }
  return v7({ random, msecs: clock.msecs, seq: clock.seq });
}
