// Choosing a published instrument version for a wave, and the languages that version has.
import { Field, Label, Select } from '@digdir/designsystemet-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { ProblemMessage } from '../ui/problem.tsx';

interface InstrumentRow {
  id: string;
  title: string;
  latestVersion: number | null;
}

export interface VersionChoice {
  instrumentId: string;
  version: number;
}

export interface VersionLocale {
  locale: string;
  name: string;
  complete: boolean;
  status: 'source' | 'draft' | 'reviewed' | 'approved' | 'incomplete';
}

export function useVersionLocales(choice: VersionChoice | null) {
  return useQuery({
    queryKey: ['instruments', choice?.instrumentId, choice?.version, 'locales'],
    enabled: choice !== null,
    queryFn: () =>
      api<{ locales: VersionLocale[] }>(
        `/instruments/${encodeURIComponent(choice!.instrumentId)}/versions/${choice!.version}`,
      ).then((r) => r.locales),
  });
}

/** Every published version of every instrument, newest first within each, as one list. */
export function InstrumentVersionPicker(props: {
  value: VersionChoice | null;
  onChange: (v: VersionChoice | null) => void;
}) {
  const { t } = useTranslation('console-fieldwork');
  const instruments = useQuery({
    queryKey: ['instruments'],
    queryFn: () => api<{ instruments: InstrumentRow[] }>('/instruments').then((r) => r.instruments),
  });
  const options = (instruments.data ?? []).flatMap((i) =>
    Array.from({ length: i.latestVersion ?? 0 }, (_, n) => (i.latestVersion ?? 0) - n).map((version) => ({
      key: `${i.id}@${version}`,
      label: t('newWave.versionOption', { title: i.title, id: i.id, version }),
      choice: { instrumentId: i.id, version },
    })),
  );
  const current = props.value ? `${props.value.instrumentId}@${props.value.version}` : '';
  return (
    <Field>
      <Label htmlFor="wave-version">{t('newWave.version')}</Label>
      <Select
        id="wave-version"
        value={current}
        onChange={(e) => props.onChange(options.find((o) => o.key === e.target.value)?.choice ?? null)}
      >
        <Select.Option value="">{t('newWave.chooseVersion')}</Select.Option>
        {options.map((o) => (
          <Select.Option key={o.key} value={o.key}>
            {o.label}
          </Select.Option>
        ))}
      </Select>
      <ProblemMessage error={instruments.error} />
    </Field>
  );
}
