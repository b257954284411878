// A file sent as a request body with upload progress: fetch reports none, XMLHttpRequest's upload events do. The
// answer is read like api()'s: JSON on success, a ProblemError (with the server's code and field list) otherwise.
import { ProblemError } from '../api.ts';

export interface UploadProgress {
  loaded: number;
  total: number;
}

export function uploadFile<T>(
  path: string,
  file: Blob,
  opts: { csrfToken: string | null; contentType: string; onProgress: (p: UploadProgress) => void },
): { done: Promise<T>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<T>((resolve, reject) => {
    xhr.open('POST', `/api/v1${path}`);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('content-type', opts.contentType);
    xhr.setRequestHeader('x-csrf-token', opts.csrfToken ?? '');
    xhr.upload.onprogress = (e) =>
      opts.onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onerror = () =>
      reject(
        new ProblemError(
          0,
          'network',
          'The server could not be reached. Check the connection and try again.',
        ),
      );
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    xhr.onload = () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(xhr.responseText) as Record<string, unknown>;
      } catch {
        // not JSON: keep the status
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as T);
      const message =
        typeof body.detail === 'string'
          ? body.detail
          : typeof body.title === 'string'
            ? body.title
            : xhr.statusText;
      const code = typeof body.code === 'string' ? body.code : `http_${xhr.status}`;
      reject(new ProblemError(xhr.status, code, message, body));
    };
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}

/** The content type the server reads the frame by: an XLSX workbook, else CSV text. */
export function frameContentType(file: File): string {
  return /\.xlsx$/i.test(file.name)
    ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
    : 'text/csv';
}
