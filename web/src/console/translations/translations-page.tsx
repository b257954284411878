// The translation overview: pick an instrument and a version, then see every language × module with how many
// strings are missing, stale, draft, reviewed and approved, and whether a wave may offer the language yet.
import { Field, Heading, Label, Paragraph, Select, Spinner, Table, Tag } from '@digdir/designsystemet-react';
import { Link } from '@tanstack/react-router';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemMessage } from '../ui/problem.tsx';
import { type Matrix, type StatusCounts, statuses, useInstrumentVersions, useMatrix } from './queries.ts';
import './translations.css';

export function TranslationsPage() {
  const { t } = useTranslation('console-translations');
  const instruments = useInstrumentVersions();
  const [picked, setPicked] = useState<{ instrumentId: string; version: number } | null>(null);
  const list = instruments.data ?? [];
  const first = list[0];
  const choice = picked ?? (first ? { instrumentId: first.id, version: first.versions[0]! } : null);
  const versions = list.find((i) => i.id === choice?.instrumentId)?.versions ?? [];
  const matrix = useMatrix(choice);
  return (
    <>
      <Heading level={1} data-size="lg">
        {t('overview.title')}
      </Heading>
      <Paragraph>{t('overview.intro')}</Paragraph>
      {instruments.isPending && <Spinner aria-label={t('loading')} />}
      <ProblemMessage error={instruments.error} />
      {instruments.data && list.length === 0 && <Paragraph>{t('overview.none')}</Paragraph>}
      {choice && (
        <div className="svar-tr-pickers">
          <Field>
            <Label htmlFor="tr-instrument">{t('overview.instrument')}</Label>
            <Select
              id="tr-instrument"
              value={choice.instrumentId}
              onChange={(e) => {
                const i = list.find((x) => x.id === e.target.value);
                if (i) setPicked({ instrumentId: i.id, version: i.versions[0]! });
              }}
            >
              {list.map((i) => (
                <Select.Option key={i.id} value={i.id}>
                  {i.title} ({i.id})
                </Select.Option>
              ))}
            </Select>
          </Field>
          <Field>
            <Label htmlFor="tr-version">{t('overview.version')}</Label>
            <Select
              id="tr-version"
              value={String(choice.version)}
              onChange={(e) =>
                setPicked({ instrumentId: choice.instrumentId, version: Number(e.target.value) })
              }
            >
              {versions.map((v) => (
                <Select.Option key={v} value={String(v)}>
                  {t('overview.versionOption', { version: v })}
                </Select.Option>
              ))}
            </Select>
          </Field>
        </div>
      )}
      {matrix.isPending && choice && <Spinner aria-label={t('loading')} />}
      <ProblemMessage error={matrix.error} />
      {matrix.data && <MatrixTables matrix={matrix.data} />}
    </>
  );
}

function countsText(c: StatusCounts, t: TFunction<'console-translations'>): string {
  const parts = statuses
    .filter((s) => c[s] > 0)
    .map((s) => t('count', { count: c[s], status: t(`status.${s}`) }));
  return parts.join(', ') || '–';
}

function MatrixTables({ matrix }: { matrix: Matrix }) {
  const { t } = useTranslation('console-translations');
  return (
    <>
      <Paragraph>{t('overview.total', { count: matrix.total })}</Paragraph>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
      <section className="svar-tr-scroll" aria-label={t('overview.languages')} tabIndex={0}>
        <Table data-size="sm" zebra>
          <caption>{t('overview.languages')}</caption>
          <Table.Head>
            <Table.Row>
              <Table.HeaderCell>{t('overview.language')}</Table.HeaderCell>
              {statuses.map((s) => (
                <Table.HeaderCell key={s}>{t(`status.${s}`)}</Table.HeaderCell>
              ))}
              <Table.HeaderCell>{t('overview.wave')}</Table.HeaderCell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {matrix.languages.map((l) => (
              <Table.Row key={l.locale}>
                <Table.HeaderCell scope="row">
                  <Link
                    to="/translations/$instrumentId/$version/$locale"
                    params={{
                      instrumentId: matrix.instrumentId,
                      version: String(matrix.version),
                      locale: l.locale,
                    }}
                  >
                    <span lang={l.locale} dir={l.dir}>
                      {l.name}
                    </span>{' '}
                    ({l.locale})
                  </Link>
                </Table.HeaderCell>
                {statuses.map((s) => (
                  <Table.Cell key={s}>{l.counts[s]}</Table.Cell>
                ))}
                <Table.Cell>
                  {l.offerable ? (
                    <Tag data-color="success" data-size="sm">
                      {t('overview.offerable')}
                    </Tag>
                  ) : l.waitingForNextVersion > 0 ? (
                    t('overview.waiting', { count: l.waitingForNextVersion })
                  ) : (
                    t('overview.pilotOnly')
                  )}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      </section>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
      <section className="svar-tr-scroll" aria-label={t('overview.byModule')} tabIndex={0}>
        <Table data-size="sm">
          <caption>{t('overview.byModule')}</caption>
          <Table.Head>
            <Table.Row>
              <Table.HeaderCell>{t('overview.language')}</Table.HeaderCell>
              {matrix.modules.map((m) => (
                <Table.HeaderCell key={m}>{m}</Table.HeaderCell>
              ))}
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {matrix.languages.map((l) => (
              <Table.Row key={l.locale}>
                <Table.HeaderCell scope="row">{l.locale}</Table.HeaderCell>
                {matrix.modules.map((m) => (
                  <Table.Cell key={m}>{countsText(l.modules[m]!, t)}</Table.Cell>
                ))}
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      </section>
    </>
  );
}
