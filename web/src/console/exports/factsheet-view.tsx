// One municipality's fact sheet inside the console: fetched by the console (so a refusal is shown in plain words,
// not as a browser error page), shown in a frame, with the PDF to save beside it. The frame's srcdoc document
// inherits the console's Content-Security-Policy (no inline scripts), so the sheet cannot run code; no sandbox
// attribute, because a sandbox without scripts also shuts out assistive tooling such as axe-core.
import { Button, Link, Paragraph, Spinner } from '@digdir/designsystemet-react';
import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiResponse } from '../api.ts';
import { ProblemMessage } from '../ui/problem.tsx';
import { fileNameOf } from './download.ts';

function sheetPath(waveId: string, municipality: string, query: Record<string, string>) {
  return `/waves/${encodeURIComponent(waveId)}/factsheets/${encodeURIComponent(municipality)}?${new URLSearchParams(query)}`;
}

export function FactsheetView({ waveId, municipality }: { waveId: string; municipality: string }) {
  const { t, i18n } = useTranslation('console');
  const lang = i18n.language;
  const sheet = useQuery({
    queryKey: ['factsheet', waveId, municipality, lang],
    queryFn: async () => (await apiResponse(sheetPath(waveId, municipality, { lang }))).text(),
  });
  const frame = useRef<HTMLIFrameElement>(null);
  // The frame is as tall as the sheet, so the page scrolls once rather than a box inside it.
  const fit = () => {
    const doc = frame.current?.contentDocument;
    if (frame.current && doc) frame.current.style.height = `${doc.documentElement.scrollHeight + 16}px`;
  };
  if (sheet.isPending) return <Spinner aria-label={t('shell.loading')} />;
  if (sheet.error) return <ProblemMessage error={sheet.error} />;
  return (
    <>
      <PdfDownload path={sheetPath(waveId, municipality, { lang, format: 'pdf' })} />
      <iframe
        ref={frame}
        className="console-sheet"
        title={t('factsheets.frameTitle', { municipality })}
        srcDoc={sheet.data}
        onLoad={fit}
      />
    </>
  );
}

function PdfDownload({ path }: { path: string }) {
  const { t } = useTranslation('console');
  const [state, setState] = useState<{ busy: boolean; url?: string; file?: string; error?: unknown }>({
    busy: false,
  });
  async function make() {
    setState({ busy: true });
    try {
      const r = await apiResponse(path);
      const url = URL.createObjectURL(await r.blob());
      setState({ busy: false, url, file: fileNameOf(r, 'factsheet.pdf') });
    } catch (error) {
      setState({ busy: false, error });
    }
  }
  return (
    <div className="console-row">
      {!state.url && (
        <Button type="button" variant="secondary" onClick={() => void make()} aria-busy={state.busy}>
          {state.busy ? t('factsheets.pdfBusy') : t('factsheets.pdf')}
        </Button>
      )}
      {state.url && (
        <Paragraph>
          <Link href={state.url} download={state.file}>
            {t('exports.save', { file: state.file })}
          </Link>
        </Paragraph>
      )}
      <ProblemMessage error={state.error} />
    </div>
  );
}
