// One export while it arrives: bytes received (the total is not known until the end: the server streams), the
// rows it holds, a stop button, then the file to save. Failures in plain words.
import { Alert, Button, Link, Paragraph } from '@digdir/designsystemet-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemMessage } from '../ui/problem.tsx';
import { type Download, fetchWithProgress, formatBytes } from './download.ts';

type State =
  | { kind: 'running'; bytes: number; rows: string | null }
  | { kind: 'done'; download: Download; url: string; rows: string | null }
  | { kind: 'stopped' }
  | { kind: 'failed'; error: unknown };

export function ExportRun({ path, fallbackName }: { path: string; fallbackName: string }) {
  const { t, i18n } = useTranslation('console');
  const [state, setState] = useState<State>({ kind: 'running', bytes: 0, rows: null });
  const [controller] = useState(() => new AbortController());

  useEffect(() => {
    let rows: string | null = null;
    let url: string | null = null;
    fetchWithProgress(path, {
      signal: controller.signal,
      fallbackName,
      onStart: (r) => {
        rows = r.headers.get('x-svar-rows');
        setState({ kind: 'running', bytes: 0, rows });
      },
      onBytes: (bytes) => setState({ kind: 'running', bytes, rows }),
    }).then(
      (download) => {
        url = URL.createObjectURL(download.blob);
        setState({ kind: 'done', download, url, rows });
      },
      (error: unknown) =>
        setState((error as Error).name === 'AbortError' ? { kind: 'stopped' } : { kind: 'failed', error }),
    );
    return () => {
      controller.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [path, fallbackName, controller]);

  const size = (n: number) => formatBytes(n, i18n.language);
  return (
    <section aria-labelledby="export-run" className="console-page console-panel">
      <h2 id="export-run" className="ds-sr-only">
        {t('exports.run')}
      </h2>
      {state.kind === 'running' && (
        <>
          <progress aria-label={t('exports.running')} />
          <Paragraph aria-live="polite" data-testid="export-progress">
            {t('exports.received', { size: size(state.bytes) })}
            {state.rows !== null && ` ${t('exports.rows', { count: Number(state.rows) })}`}
          </Paragraph>
          <Button type="button" variant="secondary" onClick={() => controller.abort()}>
            {t('exports.stop')}
          </Button>
        </>
      )}
      {state.kind === 'done' && (
        <Alert data-color="success">
          <Paragraph>
            {t('exports.done', { size: size(state.download.bytes) })}
            {state.rows !== null && ` ${t('exports.rows', { count: Number(state.rows) })}`}
          </Paragraph>
          <Paragraph>
            <Link href={state.url} download={state.download.fileName}>
              {t('exports.save', { file: state.download.fileName })}
            </Link>
          </Paragraph>
        </Alert>
      )}
      {state.kind === 'stopped' && <Paragraph role="status">{t('exports.stopped')}</Paragraph>}
      {state.kind === 'failed' && <ProblemMessage error={state.error} />}
    </section>
  );
}
