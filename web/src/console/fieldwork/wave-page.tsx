// One wave: what it is, and the next step of its fieldwork (frame → sample → open → remind/send → close), with
// links to its monitor and, for the municipal survey, its delegations.
import { Heading, Paragraph, Spinner } from '@digdir/designsystemet-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { useSession } from '../session.ts';
import { ProblemMessage } from '../ui/problem.tsx';
import { ConfirmButton } from './confirm-button.tsx';
import { useFormat } from './format.ts';
import { FramePanel } from './frame-panel.tsx';
import { RoundsPanel } from './rounds-panel.tsx';
import { SamplePanel } from './sample-panel.tsx';
import type { Wave } from './types.ts';
import { useWave, waveKeys } from './wave-queries.ts';
import { WaveStatusTag } from './wave-status.tsx';

export function WavePage({ waveId }: { waveId: string }) {
  const { t } = useTranslation('console-fieldwork');
  const wave = useWave(waveId);
  const session = useSession();
  if (wave.isPending) return <Spinner aria-label={t('loading')} />;
  if (!wave.data) return <ProblemMessage error={wave.error} />;
  const w = wave.data;
  const admin = session.data?.user.role === 'admin';
  return (
    <>
      <Heading level={1} data-size="lg" className="fieldwork-title">
        {w.name}
      </Heading>
      <WaveFacts wave={w} />
      <nav
        aria-label={t('wave.views')}
        style={{ display: 'flex', gap: 'var(--ds-size-3)', flexWrap: 'wrap' }}
      >
        <Link to="/waves/$waveId/monitor" params={{ waveId }}>
          {t('wave.toMonitor')}
        </Link>
        {w.unit_type === 'municipality' && (
          <Link to="/waves/$waveId/delegations" params={{ waveId }}>
            {t('wave.toDelegations')}
          </Link>
        )}
      </nav>
      {admin && w.status === 'draft' && <FramePanel waveId={waveId} />}
      {admin && w.status === 'draft' && w.mode === 'sample' && (
        <SamplePanel waveId={waveId} drawn={w.sampling?.table ?? null} />
      )}
      {admin && <RoundsPanel wave={w} />}
      {admin && w.status === 'open' && <CloseWave wave={w} />}
    </>
  );
}

function WaveFacts({ wave }: { wave: Wave }) {
  const { t } = useTranslation('console-fieldwork');
  const f = useFormat();
  return (
    <dl className="fieldwork-facts">
      <dt>{t('wave.statusLabel')}</dt>
      <dd>
        <WaveStatusTag status={wave.status} />
      </dd>
      <dt>{t('wave.instrument')}</dt>
      <dd>{wave.instrument_id}</dd>
      <dt>{t('wave.mode')}</dt>
      <dd>{t(`wave.modes.${wave.mode}`)}</dd>
      <dt>{t('wave.languages')}</dt>
      <dd>{wave.locales.join(', ')}</dd>
      <dt>{t('wave.modules')}</dt>
      <dd>{wave.modules?.join(', ') ?? t('wave.allModules')}</dd>
      <dt>{t('wave.opens')}</dt>
      <dd>{f.date(wave.opens_at) || t('wave.noDate')}</dd>
      <dt>{t('wave.closes')}</dt>
      <dd>{f.date(wave.closes_at) || t('wave.noDate')}</dd>
    </dl>
  );
}

function CloseWave({ wave }: { wave: Wave }) {
  const { t } = useTranslation('console-fieldwork');
  const client = useQueryClient();
  const close = useMutation({
    mutationFn: () => api(`/waves/${encodeURIComponent(wave.id)}/close`, { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: waveKeys.all }),
  });
  return (
    <section aria-labelledby="close-heading">
      <Heading level={2} data-size="md" id="close-heading">
        {t('close.title')}
      </Heading>
      <Paragraph data-size="sm">{t('close.help')}</Paragraph>
      <ConfirmButton
        variant="secondary"
        label={t('close.button')}
        question={t('close.question')}
        consequence={t('close.consequence')}
        confirmLabel={t('close.confirm')}
        busy={close.isPending}
        onConfirm={() => close.mutate()}
      />
      <ProblemMessage error={close.error} />
    </section>
  );
}
