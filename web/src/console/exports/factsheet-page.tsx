// The fact sheet route (/waves/$waveId/factsheets/$municipality): for analysts any municipality, for a
// municipality user its own; another's is refused by the server and the refusal shown in plain words.
import { Heading } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { FactsheetView } from './factsheet-view.tsx';

export function FactsheetPage({ waveId, municipality }: { waveId: string; municipality: string }) {
  const { t } = useTranslation('console');
  return (
    <div className="console-page">
      <Heading level={1} data-size="md">
        {t('factsheets.titleFor', { municipality })}
      </Heading>
      <FactsheetView waveId={waveId} municipality={municipality} />
    </div>
  );
}
