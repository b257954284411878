// Opening a wave and reminding: each is a numbered round that issues links. The round's distribution list is the
// answer itself (streamed; read to its end, it commits the round) and is offered for download at once; mail
// queued for sending goes out in the background while the rounds table (polled) shows queued, sent and failed.
import { Button, Checkbox, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { ProblemMessage } from '../ui/problem.tsx';
import { ConfirmButton } from './confirm-button.tsx';
import { saveBlob } from './download.ts';
import { useFormat } from './format.ts';
import { fetchRoundList, type RoundList } from './round-list.ts';
import { RoundsTable } from './rounds-table.tsx';
import type { Wave } from './types.ts';
import { useRounds, waveKeys } from './wave-queries.ts';

type RoundCall = { kind: 'open' | 'reminders' } | { kind: 'relist'; round: number };

export function RoundsPanel({ wave }: { wave: Wave }) {
  const { t } = useTranslation('console-fieldwork');
  const f = useFormat();
  const client = useQueryClient();
  const [send, setSend] = useState(false);
  const [received, setReceived] = useState(0);
  const path = `/waves/${encodeURIComponent(wave.id)}`;
  const refresh = () => client.invalidateQueries({ queryKey: waveKeys.one(wave.id) });

  const round = useMutation({
    mutationFn: (call: RoundCall) => {
      setReceived(0);
      const url = call.kind === 'relist' ? `${path}/rounds/${call.round}/links` : `${path}/${call.kind}`;
      return fetchRoundList(url, call.kind === 'relist' ? {} : { send }, setReceived, t('rounds.cutShort'));
    },
    onSuccess: (list) => {
      if (list.round !== null) saveBlob(list.file, list.fileName);
    },
    onSettled: refresh,
  });
  const sendQueue = useMutation({
    mutationFn: () => api(`${path}/send`, { method: 'POST' }),
    onSettled: () => client.invalidateQueries({ queryKey: waveKeys.rounds(wave.id) }),
  });
  const busy = round.isPending || sendQueue.isPending;
  const rounds = useRounds(wave.id, wave.status !== 'draft', busy);

  return (
    <section aria-labelledby="rounds-heading">
      <Heading level={2} data-size="md" id="rounds-heading">
        {t('rounds.title')}
      </Heading>
      {wave.status !== 'closed' && (
        <Checkbox
          label={t('rounds.send')}
          description={t('rounds.sendHelp')}
          checked={send}
          onChange={(e) => setSend(e.target.checked)}
        />
      )}
      <div style={{ display: 'flex', gap: 'var(--ds-size-2)', flexWrap: 'wrap' }}>
        {wave.status === 'draft' && (
          <ConfirmButton
            label={t('rounds.open')}
            question={t('rounds.openQuestion')}
            consequence={t('rounds.openConsequence')}
            confirmLabel={t('rounds.openConfirm')}
            busy={round.isPending}
            onConfirm={() => round.mutate({ kind: 'open' })}
          />
        )}
        {wave.status === 'open' && (
          <>
            <ConfirmButton
              label={t('rounds.remind')}
              question={t('rounds.remindQuestion')}
              consequence={t('rounds.remindConsequence')}
              confirmLabel={t('rounds.remindConfirm')}
              busy={round.isPending}
              onConfirm={() => round.mutate({ kind: 'reminders' })}
            />
            <Button
              variant="secondary"
              onClick={() => sendQueue.mutate()}
              loading={sendQueue.isPending}
              disabled={busy}
            >
              {t('rounds.sendQueued')}
            </Button>
          </>
        )}
      </div>
      {round.isPending && (
        <Paragraph role="status">{t('rounds.receiving', { links: f.number(received) })}</Paragraph>
      )}
      <ProblemMessage error={round.error ?? sendQueue.error} />
      {round.data && <ListReady list={round.data} />}
      <ProblemMessage error={rounds.error} />
      {rounds.data && (
        <RoundsTable
          rounds={rounds.data.rounds}
          queue={rounds.data.queue}
          onRelist={(n) => round.mutate({ kind: 'relist', round: n })}
          busy={busy}
        />
      )}
    </section>
  );
}

/** The list that arrived: saved already, and here again in case the browser's download was missed. */
function ListReady({ list }: { list: RoundList }) {
  const { t } = useTranslation('console-fieldwork');
  const f = useFormat();
  if (list.round === null) return <Paragraph role="status">{t('rounds.nobody')}</Paragraph>;
  return (
    <output>
      <Paragraph>{t('rounds.issued', { round: list.round, links: f.number(list.links) })}</Paragraph>
      {list.sending && <Paragraph>{t('rounds.sendingStarted')}</Paragraph>}
      <Paragraph data-size="sm">{t('rounds.keepList')}</Paragraph>
      <Button variant="secondary" onClick={() => saveBlob(list.file, list.fileName)}>
        {t('rounds.download', { round: list.round })}
      </Button>
    </output>
  );
}
