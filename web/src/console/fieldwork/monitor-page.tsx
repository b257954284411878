// The fieldwork monitor: response rates overall and per county, municipality, language and stratum, as tables,
// a bar chart and (county, municipality) a map; refreshed every few seconds while the wave is open. The chart and
// the map are separate chunks, fetched when the monitor is opened, not with the console.
import { Heading, Paragraph, Spinner, Tabs } from '@digdir/designsystemet-react';
import { Link } from '@tanstack/react-router';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemMessage } from '../ui/problem.tsx';
import { counties2024 } from './counties.ts';
import { useFormat } from './format.ts';
import { ProgressTable } from './progress-table.tsx';
import { type Shade, shadeOfRow } from './rate-scale.ts';
import type { ProgressBy, ProgressRow } from './types.ts';
import { useProgress, useWave } from './wave-queries.ts';

const ProgressChart = lazy(() => import('./progress-chart.tsx'));
const ProgressMap = lazy(() => import('./progress-map.tsx'));

const breakdowns = ['county', 'municipality', 'language', 'stratum'] as const;
type Breakdown = (typeof breakdowns)[number];
const countyCode = new Map(Object.entries(counties2024).map(([code, name]) => [name, code]));

export function MonitorPage({ waveId }: { waveId: string }) {
  const { t } = useTranslation('console-fieldwork');
  const f = useFormat();
  const wave = useWave(waveId);
  const live = wave.data?.status === 'open';
  const total = useProgress(waveId, 'total', live);
  const [by, setBy] = useState<Breakdown>('county');
  const shown = breakdowns.filter((b) => b !== 'stratum' || wave.data?.mode === 'sample');
  const all = total.data?.rows[0];
  return (
    <>
      <Heading level={1} data-size="lg" className="fieldwork-title">
        {t('monitor.title', { name: wave.data?.name ?? '' })}
      </Heading>
      <Link to="/waves/$waveId" params={{ waveId }}>
        {t('monitor.back')}
      </Link>
      <ProblemMessage error={wave.error ?? total.error} />
      <Paragraph data-size="sm">{live ? t('monitor.live') : t('monitor.notLive')}</Paragraph>
      {all && (
        <Paragraph data-size="lg">
          {t('monitor.summary', {
            completed: f.number(all.completed),
            invited: f.number(all.invited),
            rate: all.responseRate === null ? '–' : f.percent(all.responseRate),
          })}
        </Paragraph>
      )}
      <Tabs value={by} onChange={(v) => setBy(v as Breakdown)}>
        <Tabs.List>
          {shown.map((b) => (
            <Tabs.Tab key={b} value={b}>
              {t(`monitor.by.${b}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {shown.map((b) => (
          <Tabs.Panel key={b} value={b}>
            {by === b && <Breakdown waveId={waveId} by={b} live={live} />}
          </Tabs.Panel>
        ))}
      </Tabs>
    </>
  );
}

function Breakdown({ waveId, by, live }: { waveId: string; by: Breakdown; live: boolean }) {
  const { t } = useTranslation('console-fieldwork');
  const progress = useProgress(waveId, by as ProgressBy, live);
  if (progress.isPending) return <Spinner aria-label={t('loading')} />;
  if (!progress.data) return <ProblemMessage error={progress.error} />;
  const rows = progress.data.rows;
  const title = t(`monitor.tableTitle.${by}`);
  if (rows.length === 0) return <Paragraph>{t('monitor.noUnits')}</Paragraph>;
  return (
    <div className="fieldwork-monitor">
      <Heading level={2} data-size="sm">
        {title}
      </Heading>
      <Suspense fallback={<Spinner aria-label={t('loading')} />}>
        <div className="fieldwork-visuals">
          <ProgressChart rows={rows} title={title} />
          {(by === 'county' || by === 'municipality') && (
            <ProgressMap level={by} areas={mapAreas(by, rows)} />
          )}
        </div>
      </Suspense>
      <ProgressTable rows={rows} title={title} groupLabel={t(`monitor.group.${by}`)} />
      {progress.data.unsuppressedView && rows.some((r) => r.suppressed.length > 0) && (
        <Paragraph data-size="sm">{t('monitor.suppressionNote', { k: progress.data.k })}</Paragraph>
      )}
    </div>
  );
}

/** Rows keyed by the map's codes: counties come named, municipalities as their codes. */
function mapAreas(by: 'county' | 'municipality', rows: ProgressRow[]): Map<string, Shade> {
  const areas = new Map<string, Shade>();
  for (const r of rows) {
    const code = by === 'county' ? countyCode.get(r.group) : r.group;
    if (code) areas.set(code, shadeOfRow(r));
  }
  return areas;
}
