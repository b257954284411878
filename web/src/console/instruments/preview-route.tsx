// The preview route: SurveyJS arrives only when a preview is opened (a lazy chunk), so the console's first load
// never carries it.
import { Spinner } from '@digdir/designsystemet-react';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';

const Preview = lazy(() => import('./preview.tsx').then((m) => ({ default: m.Preview })));

export function PreviewPage(p: { instrumentId: string; version: number; lng?: string | undefined }) {
  const { t } = useTranslation('console');
  return (
    <Suspense fallback={<Spinner aria-label={t('shell.loading')} />}>
      <Preview {...p} />
    </Suspense>
  );
}
