// A breakdown's counts as a table: a count the server hides (small-cell rule, ADR 6) reads "too few to show",
// never a number or a blank that could be taken for zero.
import { Table } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { useFormat } from './format.ts';
import { rateHidden } from './rate-scale.ts';
import { ScrollTable } from './scroll-table.tsx';
import type { ProgressRow } from './types.ts';

const counts = ['invited', 'opened', 'started', 'completed', 'optedOut'] as const;

export function ProgressTable({
  rows,
  groupLabel,
  title,
}: {
  rows: ProgressRow[];
  groupLabel: string;
  title: string;
}) {
  const { t } = useTranslation('console-fieldwork');
  const f = useFormat();
  const tooFew = t('progress.tooFew');
  return (
    <ScrollTable label={title}>
      <Table.Head>
        <Table.Row>
          <Table.HeaderCell>{groupLabel}</Table.HeaderCell>
          {counts.map((c) => (
            <Table.HeaderCell key={c}>{t(`progress.${c}`)}</Table.HeaderCell>
          ))}
          <Table.HeaderCell>{t('progress.responseRate')}</Table.HeaderCell>
        </Table.Row>
      </Table.Head>
      <Table.Body>
        {rows.map((r) => (
          <Table.Row key={r.group}>
            <Table.HeaderCell scope="row">
              {r.group === 'total' ? t('progress.all') : r.group}
            </Table.HeaderCell>
            {counts.map((c) => (
              <Table.Cell key={c}>{r.suppressed.includes(c) ? tooFew : f.number(r[c])}</Table.Cell>
            ))}
            <Table.Cell>
              {rateHidden(r) ? tooFew : r.responseRate !== null ? f.percent(r.responseRate) : '–'}
            </Table.Cell>
          </Table.Row>
        ))}
      </Table.Body>
    </ScrollTable>
  );
}
