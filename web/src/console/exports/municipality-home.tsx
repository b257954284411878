// A municipality user's landing: its own progress in each wave and its own fact sheet, nothing else. The server
// scopes every number to the user's municipality; the console only never offers anything wider.
import { Card, Heading, Paragraph, Spinner, Tag } from '@digdir/designsystemet-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useProgress } from '../fieldwork/wave-queries.ts';
import { useSession } from '../session.ts';
import { ProblemMessage } from '../ui/problem.tsx';
import { FactsheetView } from './factsheet-view.tsx';
import { newestFirst, useWaveList, type WaveSummary } from './waves-api.ts';

export function MunicipalityHome() {
  const { t } = useTranslation('console');
  const code = useSession().data?.user.municipalityCode ?? '';
  const waves = useWaveList();
  const [picked, setPicked] = useState<string | null>(null);
  const list = waves.data ? newestFirst(waves.data) : [];
  // The sheet shown first: the newest closed wave's (a finished count), else the newest wave's.
  const sheetWave = picked ?? (list.find((w) => w.status === 'closed') ?? list[0])?.id ?? null;
  return (
    <div className="console-page">
      <Heading level={1} data-size="md">
        {t('municipality.title', { code })}
      </Heading>
      <Paragraph>{t('municipality.intro')}</Paragraph>
      {waves.isPending && <Spinner aria-label={t('shell.loading')} />}
      <ProblemMessage error={waves.error} />
      {waves.data && list.length === 0 && <Paragraph>{t('municipality.noWaves')}</Paragraph>}
      <ul className="console-cards">
        {list.map((w) => (
          <li key={w.id}>
            <WaveCard wave={w} current={w.id === sheetWave} onSheet={() => setPicked(w.id)} />
          </li>
        ))}
      </ul>
      {sheetWave && (
        <section aria-labelledby="own-sheet" className="console-page">
          <Heading level={2} data-size="sm" id="own-sheet">
            {t('municipality.sheet', { wave: list.find((w) => w.id === sheetWave)?.name ?? '' })}
          </Heading>
          <FactsheetView waveId={sheetWave} municipality={code} />
        </section>
      )}
    </div>
  );
}

function WaveCard(p: { wave: WaveSummary; current: boolean; onSheet: () => void }) {
  const { t, i18n } = useTranslation('console');
  const totals = useProgress(p.wave.id, 'total', false);
  const row = totals.data?.rows[0];
  const n = (v: number | null | undefined) =>
    v === null || v === undefined ? t('municipality.hidden') : new Intl.NumberFormat(i18n.language).format(v);
  const pct = (v: number | null | undefined) =>
    v === null || v === undefined
      ? t('municipality.hidden')
      : new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 0 }).format(v);
  return (
    <Card data-color={p.current ? 'accent' : 'neutral'}>
      <Heading level={2} data-size="xs">
        {p.wave.name}
      </Heading>
      <Tag data-color={p.wave.status === 'open' ? 'success' : 'neutral'}>
        {t(`wave.status.${p.wave.status}`)}
      </Tag>
      {totals.isPending && <Spinner aria-label={t('shell.loading')} />}
      <ProblemMessage error={totals.error} />
      {totals.data && (
        <dl className="console-figures">
          <dt>{t('municipality.invited')}</dt>
          <dd>{n(row?.invited ?? 0)}</dd>
          <dt>{t('municipality.completed')}</dt>
          <dd>{n(row ? row.completed : 0)}</dd>
          <dt>{t('municipality.rate')}</dt>
          <dd>{pct(row?.responseRate)}</dd>
        </dl>
      )}
      {!p.current && (
        <button type="button" className="ds-link console-linkbutton" onClick={p.onSheet}>
          {t('municipality.showSheet')}
          <span className="ds-sr-only"> ({p.wave.name})</span>
        </button>
      )}
    </Card>
  );
}
