// The waves list as exports, fact sheets and the municipality landing read it: the fieldwork queries themselves
// (one cache key per resource; a second query under the same key with another shape would clobber the first).
import type { WaveSummary } from '../fieldwork/types.ts';

export type { WaveSummary } from '../fieldwork/types.ts';
export { useWaves as useWaveList } from '../fieldwork/wave-queries.ts';

/** Newest first: what a person is most likely looking for. */
export function newestFirst(waves: WaveSummary[]): WaveSummary[] {
  return [...waves].sort((a, b) => b.created_at.localeCompare(a.created_at));
}
