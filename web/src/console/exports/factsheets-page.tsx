// Choosing a fact sheet: a wave and any municipality number (analysts and admins).
import { Button, Heading, Paragraph, Spinner, Textfield } from '@digdir/designsystemet-react';
import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemMessage } from '../ui/problem.tsx';
import { SelectField } from '../ui/select-field.tsx';
import { newestFirst, useWaveList } from './waves-api.ts';

export function FactsheetsPage() {
  const { t } = useTranslation('console');
  const navigate = useNavigate();
  const waves = useWaveList();
  const [waveId, setWaveId] = useState('');
  const [code, setCode] = useState('');
  const [bad, setBad] = useState(false);
  const chosen = waveId || (waves.data ? (newestFirst(waves.data)[0]?.id ?? '') : '');

  function submit(e: FormEvent) {
    e.preventDefault();
    const ok = /^[0-9]{4}([0-9]{2})?$/.test(code);
    setBad(!ok);
    if (ok && chosen)
      void navigate({
        to: '/waves/$waveId/factsheets/$municipality',
        params: { waveId: chosen, municipality: code },
      });
  }

  return (
    <div className="console-page">
      <Heading level={1} data-size="md">
        {t('factsheets.title')}
      </Heading>
      <Paragraph>{t('factsheets.intro')}</Paragraph>
      {waves.isPending && <Spinner aria-label={t('shell.loading')} />}
      <ProblemMessage error={waves.error} />
      {waves.data && (
        <form onSubmit={submit} className="console-form">
          <SelectField
            label={t('factsheets.wave')}
            name="wave"
            value={chosen}
            onChange={setWaveId}
            options={newestFirst(waves.data).map((w) => ({ value: w.id, label: w.name }))}
          />
          <Textfield
            label={t('users.municipality')}
            description={t('users.municipalityHelp')}
            name="municipality"
            inputMode="numeric"
            value={code}
            onChange={(e) => setCode(e.target.value.trim())}
            error={bad ? t('factsheets.badCode') : undefined}
          />
          <Button type="submit">{t('factsheets.open')}</Button>
        </form>
      )}
    </div>
  );
}
