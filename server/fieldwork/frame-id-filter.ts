// The external ids a first import has seen, as a Bloom filter of fixed size (8 MiB, whatever the frame): "no" is
// certain, "maybe" is not. A row whose id is certainly new goes straight to the wave by plain INSERT; only the
// rare "maybe" waits in the stage until the duplicate check has run. That spares a million-row frame the cost of
// INSERT … ON CONFLICT on every row, and keeps memory flat (a Set of the ids would grow with the frame).

/**
 * 2^26 bits probed 6 times per id: a false "maybe" about once in 2 500 000 ids near 1 000 000 (one every few
 * national frames), once in 25 near 10 000 000 (still correct, a little slower).
 */
export const ID_FILTER_BITS_LOG2 = 26;
const PROBES = 6;

export class IdFilter {
  private readonly bits: Uint32Array;
  private readonly mask: number;

  /** `bitsLog2` below the default only in tests, to make "maybe" common. */
  constructor(bitsLog2 = ID_FILTER_BITS_LOG2) {
    this.bits = new Uint32Array(1 << Math.max(bitsLog2 - 5, 0));
    this.mask = this.bits.length * 32 - 1;
  }

  /** Notes the id; true if it may have been noted before (false: certainly not). */
  addAndCheck(id: string): boolean {
    // Two independent 32-bit hashes (FNV-1a and a multiplicative one), combined as h1 + i·h2 (Kirsch–Mitzenmacher).
    let h1 = 0x811c9dc5;
    let h2 = 0x9747b28c;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    h2 |= 1; // odd: the probes never collapse onto one bit
    let seen = true;
    for (let i = 0; i < PROBES; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.mask;
      const word = bit >>> 5;
      const mask = 1 << (bit & 31);
      if ((this.bits[word]! & mask) === 0) {
        seen = false;
        this.bits[word]! |= mask;
      }
    }
    return seen;
  }
}
