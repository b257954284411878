// What changed between two versions of an instrument: questions added, removed, and changed (per language).
import { Heading, Paragraph, Spinner, Table } from '@digdir/designsystemet-react';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ProblemMessage } from '../ui/problem.tsx';
import { SelectField } from '../ui/select-field.tsx';
import { useDiff, useInstruments } from './instruments-api.ts';

export function InstrumentDiffPage(p: {
  instrumentId: string;
  from?: number | undefined;
  to?: number | undefined;
}) {
  const { t } = useTranslation('console');
  const navigate = useNavigate();
  const instrument = useInstruments().data?.find((i) => i.id === p.instrumentId);
  const latest = instrument?.latestVersion ?? 1;
  const to = p.to ?? latest;
  const from = p.from ?? Math.max(1, to - 1);
  const numbers = Array.from({ length: latest }, (_, i) => String(i + 1));
  const go = (f: number, tt: number) =>
    void navigate({
      to: '/instruments/$instrumentId/diff',
      params: { instrumentId: p.instrumentId },
      search: { from: f, to: tt },
    });
  return (
    <div className="console-page">
      <Heading level={1} data-size="md">
        {t('instruments.diffTitle', { title: instrument?.title ?? p.instrumentId })}
      </Heading>
      <div className="console-row">
        <SelectField
          label={t('instruments.from')}
          name="from"
          value={String(from)}
          onChange={(v) => go(Number(v), to)}
          options={numbers.map((n) => ({ value: n, label: `v${n}` }))}
        />
        <SelectField
          label={t('instruments.to')}
          name="to"
          value={String(to)}
          onChange={(v) => go(from, Number(v))}
          options={numbers.map((n) => ({ value: n, label: `v${n}` }))}
        />
      </div>
      <DiffResult instrumentId={p.instrumentId} from={from} to={to} />
    </div>
  );
}

function DiffResult({ instrumentId, from, to }: { instrumentId: string; from: number; to: number }) {
  const { t } = useTranslation('console');
  const diff = useDiff(instrumentId, from, to);
  if (diff.isPending) return <Spinner aria-label={t('shell.loading')} />;
  if (diff.error) return <ProblemMessage error={diff.error} />;
  const { added, removed, changed } = diff.data;
  const show = (v: unknown) =>
    v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v);
  return (
    <>
      <Paragraph aria-live="polite">
        {t('instruments.diffSummary', {
          added: added.length,
          removed: removed.length,
          changed: changed.length,
        })}
      </Paragraph>
      <section aria-labelledby="diff-added">
        <Heading level={2} data-size="sm" id="diff-added">
          {t('instruments.added')}
        </Heading>
        {added.length ? <CodeList codes={added} /> : <Paragraph>{t('instruments.nothing')}</Paragraph>}
      </section>
      <section aria-labelledby="diff-removed">
        <Heading level={2} data-size="sm" id="diff-removed">
          {t('instruments.removed')}
        </Heading>
        {removed.length ? <CodeList codes={removed} /> : <Paragraph>{t('instruments.nothing')}</Paragraph>}
      </section>
      <section aria-labelledby="diff-changed" className="console-page">
        <Heading level={2} data-size="sm" id="diff-changed">
          {t('instruments.changed')}
        </Heading>
        {changed.length === 0 && <Paragraph>{t('instruments.nothing')}</Paragraph>}
        {changed.length > 0 && (
          <div className="console-scroll">
            <Table data-size="sm">
              <caption className="ds-sr-only">{t('instruments.changed')}</caption>
              <Table.Head>
                <Table.Row>
                  <Table.HeaderCell>{t('instruments.question')}</Table.HeaderCell>
                  <Table.HeaderCell>{t('instruments.field')}</Table.HeaderCell>
                  <Table.HeaderCell>{t('instruments.language')}</Table.HeaderCell>
                  <Table.HeaderCell>{t('instruments.before')}</Table.HeaderCell>
                  <Table.HeaderCell>{t('instruments.after')}</Table.HeaderCell>
                </Table.Row>
              </Table.Head>
              <Table.Body>
                {changed.flatMap((c) =>
                  c.changes.map((ch) => (
                    <Table.Row key={`${c.code}:${ch.field}:${ch.locale ?? ''}:${ch.value ?? ''}`}>
                      <Table.HeaderCell scope="row">{c.code}</Table.HeaderCell>
                      <Table.Cell>
                        {ch.value !== undefined ? `${ch.field} (${ch.value})` : ch.field}
                      </Table.Cell>
                      <Table.Cell>{ch.locale ?? '—'}</Table.Cell>
                      <Table.Cell lang={ch.locale}>{show(ch.from)}</Table.Cell>
                      <Table.Cell lang={ch.locale}>{show(ch.to)}</Table.Cell>
                    </Table.Row>
                  )),
                )}
              </Table.Body>
            </Table>
          </div>
        )}
      </section>
    </>
  );
}

function CodeList({ codes }: { codes: string[] }) {
  return (
    <ul className="console-codes">
      {codes.map((c) => (
        <li key={c}>
          <code>{c}</code>
        </li>
      ))}
    </ul>
  );
}
