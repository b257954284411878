// The municipal survey's delegation: per section, how many municipalities delegated it and how far it has come;
// per municipality, its response and each section's status and delegate (names and e-mails for admins only,
// as the server decides). Refreshed while the wave is open.
import { Heading, Paragraph, Spinner, Table, Tag } from '@digdir/designsystemet-react';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ProblemMessage } from '../ui/problem.tsx';
import { useFormat } from './format.ts';
import { ScrollTable } from './scroll-table.tsx';
import type { DelegationOverview, SectionProgressRow, SectionStatusView } from './types.ts';
import { useDelegations, useSectionProgress, useWave } from './wave-queries.ts';

export function DelegationsPage({ waveId }: { waveId: string }) {
  const { t } = useTranslation('console-fieldwork');
  const wave = useWave(waveId);
  const live = wave.data?.status === 'open';
  const overview = useDelegations(waveId, live);
  const sections = useSectionProgress(waveId, live);
  return (
    <>
      <Heading level={1} data-size="lg" className="fieldwork-title">
        {t('delegations.title', { name: wave.data?.name ?? '' })}
      </Heading>
      <Link to="/waves/$waveId" params={{ waveId }}>
        {t('monitor.back')}
      </Link>
      <Paragraph>{t('delegations.intro')}</Paragraph>
      {(overview.isPending || sections.isPending) && <Spinner aria-label={t('loading')} />}
      <ProblemMessage error={overview.error ?? sections.error} />
      {sections.data && <SectionTable rows={sections.data} />}
      {overview.data && <UnitTable overview={overview.data} />}
    </>
  );
}

function SectionTable({ rows }: { rows: SectionProgressRow[] }) {
  const { t } = useTranslation('console-fieldwork');
  const f = useFormat();
  const cols = ['invited', 'delegated', 'notStarted', 'inProgress', 'done', 'completed'] as const;
  return (
    <div className="fieldwork-block">
      <Heading level={2} data-size="md">
        {t('delegations.bySection')}
      </Heading>
      <ScrollTable label={t('delegations.bySection')}>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell>{t('delegations.section')}</Table.HeaderCell>
            {cols.map((c) => (
              <Table.HeaderCell key={c}>{t(`delegations.counts.${c}`)}</Table.HeaderCell>
            ))}
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {rows.map((r) => (
            <Table.Row key={r.section}>
              <Table.HeaderCell scope="row">{r.title}</Table.HeaderCell>
              {cols.map((c) => (
                <Table.Cell key={c}>{f.number(r[c])}</Table.Cell>
              ))}
            </Table.Row>
          ))}
        </Table.Body>
      </ScrollTable>
    </div>
  );
}

const responseColour = { none: 'neutral', in_progress: 'warning', completed: 'success' } as const;

function UnitTable({ overview }: { overview: DelegationOverview }) {
  const { t } = useTranslation('console-fieldwork');
  return (
    <div className="fieldwork-block">
      <Heading level={2} data-size="md">
        {t('delegations.byMunicipality')}
      </Heading>
      <ScrollTable label={t('delegations.byMunicipality')}>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell>{t('delegations.municipality')}</Table.HeaderCell>
            <Table.HeaderCell>{t('delegations.response')}</Table.HeaderCell>
            {overview.sections.map((s) => (
              <Table.HeaderCell key={s.name}>{s.title}</Table.HeaderCell>
            ))}
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {overview.units.map((u) => (
            <Table.Row key={u.externalId}>
              <Table.HeaderCell scope="row">{`${u.name ?? u.externalId} (${u.municipalityCode ?? u.externalId})`}</Table.HeaderCell>
              <Table.Cell>
                <Tag data-color={responseColour[u.response]}>{t(`delegations.responses.${u.response}`)}</Tag>
              </Table.Cell>
              {u.sections.map((s) => (
                <Table.Cell key={s.name}>
                  <SectionCell status={s} />
                </Table.Cell>
              ))}
            </Table.Row>
          ))}
        </Table.Body>
      </ScrollTable>
    </div>
  );
}

function SectionCell({ status }: { status: SectionStatusView }) {
  const { t } = useTranslation('console-fieldwork');
  const f = useFormat();
  const d = status.delegation;
  return (
    <>
      {t(`delegations.statuses.${status.status}`, { defaultValue: status.status })}
      {d && (
        <>
          <br />
          {t('delegations.delegatedTo', {
            who: d.name ?? d.email ?? t('delegations.someone'),
            date: f.date(d.delegatedAt),
          })}
          {d.email && d.name ? ` <${d.email}>` : ''}
        </>
      )}
    </>
  );
}
