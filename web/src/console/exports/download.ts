// Reading a download while it arrives: bytes counted as they come (for the progress shown), the file name from
// the server's Content-Disposition, and the whole kept as a Blob the person saves with one click.
import { apiResponse } from '../api.ts';

export interface Download {
  fileName: string;
  blob: Blob;
  bytes: number;
}

export function fileNameOf(r: Response, fallback: string): string {
  const cd = r.headers.get('content-disposition') ?? '';
  return cd.match(/filename="([^"]+)"/)?.[1] ?? fallback;
}

export async function fetchWithProgress(
  path: string,
  opts: {
    signal: AbortSignal;
    onStart?: (r: Response) => void;
    onBytes: (n: number) => void;
    fallbackName: string;
  },
): Promise<Download> {
  const r = await apiResponse(path, { signal: opts.signal });
  opts.onStart?.(r);
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let bytes = 0;
  let shown = 0;
  const reader = r.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value as Uint8Array<ArrayBuffer>);
    bytes += value.byteLength;
    // A re-render per network chunk would freeze the page on a fast link: report at most every 64 KB.
    if (bytes - shown >= 65_536) {
      shown = bytes;
      opts.onBytes(bytes);
    }
  }
  opts.onBytes(bytes);
  const type = r.headers.get('content-type') ?? 'application/octet-stream';
  return { fileName: fileNameOf(r, opts.fallbackName), blob: new Blob(parts, { type }), bytes };
}

/** 1 234 567 bytes → "1,2 MB", in the console's language. */
export function formatBytes(n: number, lng: string): string {
  const f = (v: number, unit: string) =>
    `${new Intl.NumberFormat(lng, { maximumFractionDigits: 1 }).format(v)} ${unit}`;
  if (n < 1024) return f(n, 'B');
  if (n < 1024 * 1024) return f(n / 1024, 'KB');
  return f(n / 1024 / 1024, 'MB');
}
