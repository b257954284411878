// A round's distribution list as the server streams it (server/fieldwork/list-response.ts): CSV lines arrive as the
// links are issued, and the round commits only when the body has been read to its end, so the console reads it
// all, counting the lines as they come, and keeps it as a file to save. A list cut short means the round was
// rolled back: nothing was issued, and the round can be started again.
import { apiResponse, ProblemError } from '../api.ts';

export interface RoundList {
  /** null: nobody was left to reach, so no round was made. */
  round: number | null;
  /** Links on the list (the lines after the header). */
  links: number;
  file: Blob;
  fileName: string;
  /** 202: queued mail is being sent in the background. */
  sending: boolean;
}

export async function fetchRoundList(
  path: string,
  json: unknown,
  onLines: (lines: number) => void,
  cutShortMessage: string,
): Promise<RoundList> {
  const r = await apiResponse(path, { method: 'POST', json });
  const header = r.headers.get('svar-round');
  const round = header && header !== 'none' ? Number(header) : null;
  const fileName = /filename="([^"]+)"/.exec(r.headers.get('content-disposition') ?? '')?.[1] ?? 'list.csv';
  const chunks: Uint8Array[] = [];
  let lines = 0;
  try {
    const reader = r.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      for (const byte of value) if (byte === 10) lines += 1;
      onLines(Math.max(0, lines - 1));
    }
  } catch {
    throw new ProblemError(0, 'list_cut_short', cutShortMessage);
  }
  return {
    round,
    links: Math.max(0, lines - 1),
    file: new Blob(chunks as BlobPart[], { type: 'text/csv;charset=utf-8' }),
    fileName,
    sending: r.status === 202,
  };
}
