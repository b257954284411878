// The list of waves: every round of fieldwork, newest first, with a way to start a new one (admins).
import { Button, Heading, Paragraph, Spinner, Table } from '@digdir/designsystemet-react';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session.ts';
import { ProblemMessage } from '../ui/problem.tsx';
import { useFormat } from './format.ts';
import { ScrollTable } from './scroll-table.tsx';
import { useWaves } from './wave-queries.ts';
import { WaveStatusTag } from './wave-status.tsx';

export function WavesPage() {
  const { t } = useTranslation('console-fieldwork');
  const f = useFormat();
  const session = useSession();
  const waves = useWaves();
  const admin = session.data?.user.role === 'admin';
  return (
    <>
      <Heading level={1} data-size="lg" className="fieldwork-title">
        {t('waves.title')}
      </Heading>
      <Paragraph>{t('waves.intro')}</Paragraph>
      {admin && (
        <Button asChild>
          <Link to="/waves/new">{t('waves.new')}</Link>
        </Button>
      )}
      {waves.isPending && <Spinner aria-label={t('loading')} />}
      <ProblemMessage error={waves.error} />
      {waves.data && waves.data.length === 0 && <Paragraph>{t('waves.none')}</Paragraph>}
      {waves.data && waves.data.length > 0 && (
        <ScrollTable label={t('waves.title')}>
          <Table.Head>
            <Table.Row>
              <Table.HeaderCell>{t('wave.name')}</Table.HeaderCell>
              <Table.HeaderCell>{t('wave.instrument')}</Table.HeaderCell>
              <Table.HeaderCell>{t('wave.mode')}</Table.HeaderCell>
              <Table.HeaderCell>{t('wave.statusLabel')}</Table.HeaderCell>
              <Table.HeaderCell>{t('wave.closes')}</Table.HeaderCell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {waves.data.map((w) => (
              <Table.Row key={w.id}>
                <Table.Cell>
                  <Link to="/waves/$waveId" params={{ waveId: w.id }}>
                    {w.name}
                  </Link>
                </Table.Cell>
                <Table.Cell>
                  {t('wave.instrumentVersion', { id: w.instrument_id, version: w.version })}
                </Table.Cell>
                <Table.Cell>{t(`wave.modes.${w.mode}`)}</Table.Cell>
                <Table.Cell>
                  <WaveStatusTag status={w.status} />
                </Table.Cell>
                <Table.Cell>{f.date(w.closes_at)}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </ScrollTable>
      )}
    </>
  );
}
