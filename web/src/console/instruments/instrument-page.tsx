// One instrument: its published versions (when, what changed, which languages in which review state), the modules
// of the chosen version, and from there the diff to the version before and a preview in any language.
import { Heading, Paragraph, Spinner, Table, Tag } from '@digdir/designsystemet-react';
import { useQueries } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemMessage } from '../ui/problem.tsx';
import { SelectField } from '../ui/select-field.tsx';
import { type PublishedVersion, useCodebook, useInstruments, versionQuery } from './instruments-api.ts';

export function InstrumentPage({ instrumentId }: { instrumentId: string }) {
  const { t } = useTranslation('console');
  const list = useInstruments();
  const instrument = list.data?.find((i) => i.id === instrumentId);
  const numbers = Array.from({ length: instrument?.latestVersion ?? 0 }, (_, i) => i + 1).reverse();
  const versions = useQueries({ queries: numbers.map((v) => versionQuery(instrumentId, v)) });
  const [picked, setPicked] = useState<number | null>(null);
  const chosen = picked ?? numbers[0] ?? null;
  if (list.isPending) return <Spinner aria-label={t('shell.loading')} />;
  if (list.error) return <ProblemMessage error={list.error} />;
  if (!instrument) return <ProblemMessage error={t('instruments.notFound')} />;
  const loaded = versions.map((q) => q.data).filter((v): v is PublishedVersion => !!v);
  return (
    <div className="console-page">
      <Heading level={1} data-size="md">
        {instrument.title}
      </Heading>
      <Paragraph>{t('instruments.versionsIntro')}</Paragraph>
      <ProblemMessage error={versions.find((q) => q.error)?.error} />
      <div className="console-scroll">
        <Table data-size="sm">
          <caption className="ds-sr-only">{t('instruments.versions')}</caption>
          <Table.Head>
            <Table.Row>
              <Table.HeaderCell>{t('instruments.version')}</Table.HeaderCell>
              <Table.HeaderCell>{t('instruments.published')}</Table.HeaderCell>
              <Table.HeaderCell>{t('instruments.changelog')}</Table.HeaderCell>
              <Table.HeaderCell>{t('instruments.languages')}</Table.HeaderCell>
              <Table.HeaderCell>{t('instruments.diff')}</Table.HeaderCell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {loaded.map((v) => (
              <VersionRow key={v.version} v={v} />
            ))}
          </Table.Body>
        </Table>
      </div>
      {chosen !== null && (
        <>
          <SelectField
            label={t('instruments.modulesOf')}
            name="version"
            value={String(chosen)}
            onChange={(v) => setPicked(Number(v))}
            options={numbers.map((v) => ({ value: String(v), label: `v${v}` }))}
          />
          <Modules instrumentId={instrumentId} version={chosen} />
        </>
      )}
    </div>
  );
}

function VersionRow({ v }: { v: PublishedVersion }) {
  const { t, i18n } = useTranslation('console');
  return (
    <Table.Row>
      <Table.HeaderCell scope="row">v{v.version}</Table.HeaderCell>
      <Table.Cell>{new Date(v.publishedAt).toLocaleDateString(i18n.language)}</Table.Cell>
      <Table.Cell>{v.changelog.map((c) => (c.code ? `${c.code}: ${c.note}` : c.note)).join('; ')}</Table.Cell>
      <Table.Cell>
        <ul className="console-langs">
          {v.locales.map((l) => (
            <li key={l.locale}>
              <Link
                to="/instruments/$instrumentId/$version/preview"
                params={{ instrumentId: v.instrumentId, version: String(v.version) }}
                search={{ lng: l.locale }}
              >
                <span lang={l.locale} dir={l.dir}>
                  {l.name}
                </span>
                <span className="ds-sr-only"> {t('instruments.preview')}</span>
              </Link>{' '}
              <Tag data-size="sm" data-color={l.complete ? 'success' : 'warning'}>
                {t(`instruments.status.${l.status}`)}
              </Tag>
            </li>
          ))}
        </ul>
      </Table.Cell>
      <Table.Cell>
        {v.version > 1 ? (
          <Link
            to="/instruments/$instrumentId/diff"
            params={{ instrumentId: v.instrumentId }}
            search={{ from: v.version - 1, to: v.version }}
          >
            {t('instruments.diffFrom', { from: v.version - 1, to: v.version })}
          </Link>
        ) : (
          t('instruments.first')
        )}
      </Table.Cell>
    </Table.Row>
  );
}

/** The modules of a version (core and themes), each with its number of questions. */
function Modules({ instrumentId, version }: { instrumentId: string; version: number }) {
  const { t } = useTranslation('console');
  const codebook = useCodebook(instrumentId, version);
  if (codebook.isPending) return <Spinner aria-label={t('shell.loading')} />;
  if (codebook.error) return <ProblemMessage error={codebook.error} />;
  const counts = new Map<string, number>();
  for (const v of codebook.data.variables) {
    const m = v.module ?? t('instruments.noModule');
    counts.set(m, (counts.get(m) ?? 0) + 1);
  }
  return (
    <section aria-labelledby="modules" className="console-page">
      <Heading level={2} data-size="sm" id="modules">
        {t('instruments.modules', { version })}
      </Heading>
      <ul>
        {[...counts].map(([m, n]) => (
          <li key={m}>{t('instruments.moduleCount', { module: m, count: n })}</li>
        ))}
      </ul>
    </section>
  );
}
