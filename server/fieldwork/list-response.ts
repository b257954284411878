// A round's distribution list as a streamed HTTP answer: CSV lines go out page by page as the links are issued, so
// a national round never holds its list in memory. The round's transaction stays open while the list streams and
// commits before the body ends: a body that ends cleanly holds working links; a body cut short (the client went
// away, the commit failed) means the round was rolled back, so nothing is lost and the round can be issued again.
import { type ListSink, listHeader, listLines } from './distribution-list.ts';

export interface StreamedList<R> {
  /** The round's number (known from its first page), null when there was nobody to reach. */
  round: number | null;
  body: ReadableStream<Uint8Array>;
  /** The round as committed; rejects when it was rolled back. */
  done: Promise<R>;
}

/**
 * Starts issuing a round into a CSV stream. Resolves once the first page is issued, so refusals before it (the wave
 * is closed, the round does not exist) still reject and become problem+json answers; later failures abort the body.
 */
export async function streamList<R extends { round: number | null }>(
  publicBaseUrl: string,
  issue: (sink: ListSink) => Promise<R>,
): Promise<StreamedList<R>> {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const bytes = new TextEncoder();
  // Each write resolves once the client has taken the chunk: a page waits for the one before it.
  const write = (text: string) => writer.write(bytes.encode(text));
  let announce: (round: number | null) => void = () => {};
  const announced = new Promise<number | null>((resolve) => {
    announce = resolve;
  });
  write(listHeader()).catch(() => {});
  const done = issue(async (round, links) => {
    announce(round);
    await write(listLines(links, publicBaseUrl));
  });
  done.then(
    () => writer.close().catch(() => {}),
    (err: unknown) => writer.abort(err).catch(() => {}),
  );
  const round = await Promise.race([announced, done.then((r) => r.round)]);
  return { round, body: readable, done };
}
