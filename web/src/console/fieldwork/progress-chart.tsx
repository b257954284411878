// Response rate per group as a horizontal bar chart (Recharts, loaded with the monitor only). Groups the small-cell
// rule hides have no bar: they are named under the chart as too few to show. The table beside it carries the same
// numbers for screen readers, so the chart itself is one named image.
import { Paragraph } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useFormat } from './format.ts';
import { rateHidden } from './rate-scale.ts';
import type { ProgressRow } from './types.ts';

export default function ProgressChart({ rows, title }: { rows: ProgressRow[]; title: string }) {
  const { t } = useTranslation('console-fieldwork');
  const f = useFormat();
  const shown = rows.filter((r) => r.responseRate !== null && !rateHidden(r));
  const hidden = rows.filter(rateHidden);
  const data = shown.map((r) => ({ group: r.group, rate: Math.round(r.responseRate! * 1000) / 10 }));
  const barHeight = 22;
  return (
    <figure className="fieldwork-chart">
      <div role="img" aria-label={t('chart.label', { title })} data-testid="progress-chart">
        <ResponsiveContainer width="100%" height={Math.max(120, data.length * barHeight + 60)}>
          <BarChart data={data} layout="vertical" margin={{ left: 8, right: 24, top: 8, bottom: 8 }}>
            <CartesianGrid horizontal={false} />
            <XAxis type="number" domain={[0, 100]} unit=" %" />
            <YAxis type="category" dataKey="group" width={120} interval={0} tick={{ fontSize: 12 }} />
            <Tooltip formatter={(v) => [`${v} %`, t('progress.responseRate')]} />
            <Bar dataKey="rate" fill="#2f73b9" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      {hidden.length > 0 && (
        <figcaption>
          <Paragraph data-size="sm">
            {t('chart.hidden', { groups: hidden.map((r) => r.group).join(', '), n: f.number(hidden.length) })}
          </Paragraph>
        </figcaption>
      )}
    </figure>
  );
}
