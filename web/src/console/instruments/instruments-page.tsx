// The instruments: each with its newest published version and how many there are.
import { Heading, Paragraph, Spinner, Table } from '@digdir/designsystemet-react';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ProblemMessage } from '../ui/problem.tsx';
import { useInstruments } from './instruments-api.ts';

export function InstrumentsPage() {
  const { t } = useTranslation('console');
  const list = useInstruments();
  return (
    <div className="console-page">
      <Heading level={1} data-size="md">
        {t('instruments.title')}
      </Heading>
      <Paragraph>{t('instruments.intro')}</Paragraph>
      {list.isPending && <Spinner aria-label={t('shell.loading')} />}
      <ProblemMessage error={list.error} />
      {list.data && (
        <div className="console-scroll">
          <Table zebra data-size="sm">
            <caption className="ds-sr-only">{t('instruments.title')}</caption>
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell>{t('instruments.name')}</Table.HeaderCell>
                <Table.HeaderCell>{t('instruments.unit')}</Table.HeaderCell>
                <Table.HeaderCell>{t('instruments.latest')}</Table.HeaderCell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {list.data.map((i) => (
                <Table.Row key={i.id}>
                  <Table.HeaderCell scope="row">
                    <Link to="/instruments/$instrumentId" params={{ instrumentId: i.id }}>
                      {i.title}
                    </Link>
                  </Table.HeaderCell>
                  <Table.Cell>{i.unitType}</Table.Cell>
                  <Table.Cell>
                    {i.latestVersion === null ? t('instruments.none') : `v${i.latestVersion}`}
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        </div>
      )}
    </div>
  );
}
