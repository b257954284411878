// A new wave: which published version it pins, its name and dates, the languages that version can offer, and
// census or sample. The server checks the languages again (complete and reviewed, nynorsk beside bokmål).
import {
  Button,
  Checkbox,
  Fieldset,
  Heading,
  Paragraph,
  Radio,
  Textfield,
} from '@digdir/designsystemet-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { ProblemMessage } from '../ui/problem.tsx';
import type { Wave } from './types.ts';
import { InstrumentVersionPicker, useVersionLocales, type VersionChoice } from './version-picker.tsx';
import { waveKeys } from './wave-queries.ts';
import { themesToSend, useWavePlan, WaveThemes } from './wave-themes.tsx';

/** A date field's day as the start of that day in UTC (the server's clock decides). */
const dayToIso = (day: string) => (day ? new Date(`${day}T00:00:00Z`).toISOString() : null);

export function NewWavePage() {
  const { t } = useTranslation('console-fieldwork');
  const navigate = useNavigate();
  const client = useQueryClient();
  const [choice, setChoice] = useState<VersionChoice | null>(null);
  const [name, setName] = useState('');
  const [mode, setMode] = useState<'census' | 'sample'>('sample');
  const [opens, setOpens] = useState('');
  const [closes, setCloses] = useState('');
  const [pilot, setPilot] = useState(false);
  const [chosen, setChosen] = useState<string[]>([]);
  const [picked, setPicked] = useState<string[] | null>(null);
  const plan = useWavePlan(choice, dayToIso(opens));
  const locales = useVersionLocales(choice);
  const offerable = (locales.data ?? []).filter((l) => l.complete && (pilot || l.status !== 'draft'));

  const create = useMutation({
    mutationFn: () =>
      api<{ wave: Wave }>('/waves', {
        json: {
          instrumentId: choice?.instrumentId,
          version: choice?.version,
          name,
          mode,
          locales: chosen.filter((l) => offerable.some((o) => o.locale === l)),
          allowDraftLocales: pilot,
          opensAt: dayToIso(opens),
          closesAt: dayToIso(closes),
          themes: themesToSend(plan, picked),
        },
      }),
    onSuccess: async ({ wave }) => {
      await client.invalidateQueries({ queryKey: waveKeys.all });
      await navigate({ to: '/waves/$waveId', params: { waveId: wave.id } });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const toggle = (locale: string, on: boolean) =>
    setChosen((c) => (on ? [...c, locale] : c.filter((l) => l !== locale)));

  return (
    <form onSubmit={submit} noValidate>
      <Heading level={1} data-size="lg" className="fieldwork-title">
        {t('newWave.title')}
      </Heading>
      <Paragraph>{t('newWave.intro')}</Paragraph>
      <InstrumentVersionPicker value={choice} onChange={setChoice} />
      <Textfield label={t('wave.name')} value={name} onChange={(e) => setName(e.target.value)} required />
      <Fieldset>
        <Fieldset.Legend>{t('wave.mode')}</Fieldset.Legend>
        {(['sample', 'census'] as const).map((m) => (
          <Radio
            key={m}
            name="mode"
            value={m}
            label={t(`wave.modes.${m}`)}
            description={t(`newWave.modeHelp.${m}`)}
            checked={mode === m}
            onChange={() => setMode(m)}
          />
        ))}
      </Fieldset>
      <Textfield
        label={t('wave.opens')}
        type="date"
        value={opens}
        onChange={(e) => setOpens(e.target.value)}
      />
      <Textfield
        label={t('wave.closes')}
        type="date"
        value={closes}
        onChange={(e) => setCloses(e.target.value)}
      />
      <WaveThemes choice={choice} plan={plan} picked={picked} onPick={setPicked} />
      <Fieldset>
        <Fieldset.Legend>{t('wave.languages')}</Fieldset.Legend>
        <Fieldset.Description>{t('newWave.languagesHelp')}</Fieldset.Description>
        {!choice && <Paragraph data-size="sm">{t('newWave.pickVersionFirst')}</Paragraph>}
        {offerable.map((l) => (
          <Checkbox
            key={l.locale}
            label={`${l.name} (${l.locale})`}
            value={l.locale}
            checked={chosen.includes(l.locale)}
            onChange={(e) => toggle(l.locale, e.target.checked)}
          />
        ))}
        <Checkbox
          label={t('newWave.pilot')}
          description={t('newWave.pilotHelp')}
          checked={pilot}
          onChange={(e) => setPilot(e.target.checked)}
        />
      </Fieldset>
      <ProblemMessage error={create.error ?? locales.error} />
      <Button type="submit" loading={create.isPending} disabled={create.isPending}>
        {t('newWave.create')}
      </Button>
    </form>
  );
}
