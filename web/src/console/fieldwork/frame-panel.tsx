// Uploading a wave's frame (CSV or XLSX) with a progress bar; a refused file lists its bad rows (the problem
// document's invalid_params) and changes nothing, so the manager fixes the file and sends it again.
import { Button, Heading, Label, Paragraph } from '@digdir/designsystemet-react';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemError } from '../api.ts';
import { useSession } from '../session.ts';
import { ProblemMessage } from '../ui/problem.tsx';
import { useFormat } from './format.ts';
import type { FrameImportResult } from './types.ts';
import { frameContentType, type UploadProgress, uploadFile } from './upload.ts';
import { waveKeys } from './wave-queries.ts';

type State =
  | { kind: 'idle' }
  | { kind: 'sending'; progress: UploadProgress; abort: () => void }
  | { kind: 'done'; result: FrameImportResult }
  | { kind: 'failed'; error: unknown };

export function FramePanel({ waveId }: { waveId: string }) {
  const { t } = useTranslation('console-fieldwork');
  const f = useFormat();
  const session = useSession();
  const client = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<State>({ kind: 'idle' });

  async function send() {
    const file = input.current?.files?.[0];
    if (!file) return setState({ kind: 'failed', error: new Error(t('frame.chooseFile')) });
    const path = `/waves/${encodeURIComponent(waveId)}/frame?filename=${encodeURIComponent(file.name)}`;
    const upload = uploadFile<FrameImportResult>(path, file, {
      csrfToken: session.data?.csrfToken ?? null,
      contentType: frameContentType(file),
      onProgress: (progress) => setState((s) => (s.kind === 'sending' ? { ...s, progress } : s)),
    });
    setState({ kind: 'sending', progress: { loaded: 0, total: file.size }, abort: upload.abort });
    try {
      const result = await upload.done;
      setState({ kind: 'done', result });
      await client.invalidateQueries({ queryKey: waveKeys.one(waveId) });
    } catch (error) {
      setState({ kind: 'failed', error });
    }
  }

  const sending = state.kind === 'sending';
  return (
    <section aria-labelledby="frame-heading">
      <Heading level={2} data-size="md" id="frame-heading">
        {t('frame.title')}
      </Heading>
      <Paragraph data-size="sm">{t('frame.help')}</Paragraph>
      <Label htmlFor="frame-file">{t('frame.file')}</Label>
      <input id="frame-file" ref={input} type="file" accept=".csv,.txt,.xlsx,text/csv" disabled={sending} />
      <div style={{ display: 'flex', gap: 'var(--ds-size-2)', marginTop: 'var(--ds-size-2)' }}>
        <Button onClick={send} disabled={sending} loading={sending}>
          {t('frame.upload')}
        </Button>
        {sending && (
          <Button variant="secondary" onClick={state.abort}>
            {t('frame.cancel')}
          </Button>
        )}
      </div>
      {sending && <UploadBar progress={state.progress} />}
      {state.kind === 'failed' && (state.error as Error).name !== 'AbortError' && (
        <>
          {state.error instanceof ProblemError && state.error.fields.length > 0 && (
            <Paragraph>{t('frame.refused')}</Paragraph>
          )}
          <ProblemMessage error={state.error} />
        </>
      )}
      {state.kind === 'done' && (
        <output>
          <Paragraph>
            {t('frame.done', {
              rows: f.number(state.result.rows),
              added: f.number(state.result.added),
              updated: f.number(state.result.updated),
              unchanged: f.number(state.result.unchanged),
            })}
          </Paragraph>
          {Object.entries(state.result.languageFallbacks).map(([lng, n]) => (
            <Paragraph key={lng} data-size="sm">
              {t('frame.fallback', {
                n: f.number(n),
                language: lng,
                fallback: state.result.fallbackLanguage,
              })}
            </Paragraph>
          ))}
          {state.result.sampleCleared && <Paragraph>{t('frame.sampleCleared')}</Paragraph>}
        </output>
      )}
    </section>
  );
}

/** Bytes sent of the file; the server then reads and checks every row before it answers. */
function UploadBar({ progress }: { progress: UploadProgress }) {
  const { t } = useTranslation('console-fieldwork');
  const f = useFormat();
  const share = progress.total ? progress.loaded / progress.total : 0;
  const sent = share >= 1;
  return (
    <div role="status">
      <progress
        aria-label={t('frame.progress')}
        max={1}
        value={sent ? undefined : share}
        style={{ width: '100%' }}
      />
      <Paragraph data-size="sm">
        {sent ? t('frame.checking') : t('frame.sent', { share: f.percent(share) })}
      </Paragraph>
    </div>
  );
}
