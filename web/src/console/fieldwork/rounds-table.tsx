// The rounds of a wave: links live, mail queued and sent, and the queue's state (pending, failed); a round's list
// can be produced again, which replaces the links nobody received with new ones (so it asks first).
import { Heading, Paragraph, Table } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from './confirm-button.tsx';
import { useFormat } from './format.ts';
import { ScrollTable } from './scroll-table.tsx';
import type { QueueCounts, RoundRow } from './types.ts';

export function RoundsTable(props: {
  rounds: RoundRow[];
  queue: QueueCounts;
  onRelist: (round: number) => void;
  busy: boolean;
}) {
  const { t } = useTranslation('console-fieldwork');
  const f = useFormat();
  const { queue } = props;
  const mailTotal = queue.pending + queue.sending + queue.sent + queue.failed + queue.skipped;
  if (props.rounds.length === 0) return <Paragraph>{t('rounds.none')}</Paragraph>;
  return (
    <>
      <ScrollTable label={t('rounds.tableLabel')}>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell>{t('rounds.round')}</Table.HeaderCell>
            <Table.HeaderCell>{t('rounds.created')}</Table.HeaderCell>
            <Table.HeaderCell>{t('rounds.liveLinks')}</Table.HeaderCell>
            <Table.HeaderCell>{t('rounds.queued')}</Table.HeaderCell>
            <Table.HeaderCell>{t('rounds.mailed')}</Table.HeaderCell>
            <Table.HeaderCell>{t('rounds.list')}</Table.HeaderCell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {props.rounds.map((r) => (
            <Table.Row key={r.number}>
              <Table.Cell>{t(`rounds.kinds.${r.kind}`, { defaultValue: r.kind, n: r.number })}</Table.Cell>
              <Table.Cell>{f.dateTime(r.created_at)}</Table.Cell>
              <Table.Cell>{f.number(r.live_links)}</Table.Cell>
              <Table.Cell>{f.number(r.queued)}</Table.Cell>
              <Table.Cell>{f.number(r.mailed)}</Table.Cell>
              <Table.Cell>
                <ConfirmButton
                  variant="secondary"
                  label={t('rounds.relist', { round: r.number })}
                  question={t('rounds.relistQuestion', { round: r.number })}
                  consequence={t('rounds.relistConsequence')}
                  confirmLabel={t('rounds.relistConfirm')}
                  busy={props.busy}
                  onConfirm={() => props.onRelist(r.number)}
                />
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </ScrollTable>
      {mailTotal > 0 && (
        <div role="status">
          <Heading level={3} data-size="xs">
            {t('rounds.mailTitle')}
          </Heading>
          <progress
            aria-label={t('rounds.mailProgress')}
            max={mailTotal}
            value={queue.sent + queue.failed + queue.skipped}
            style={{ width: '100%' }}
          />
          <Paragraph data-size="sm">
            {t('rounds.mailCounts', {
              sent: f.number(queue.sent),
              pending: f.number(queue.pending + queue.sending),
              failed: f.number(queue.failed),
              total: f.number(mailTotal),
            })}
          </Paragraph>
          {queue.failed > 0 && <Paragraph data-size="sm">{t('rounds.failedHelp')}</Paragraph>}
        </div>
      )}
    </>
  );
}
