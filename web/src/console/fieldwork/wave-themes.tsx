// The theme modules a new wave will run: what the instrument's rotation plan gives the wave's year (the year it
// opens in Norway), shown before the wave is created; a year the plan does not name shows the server's refusal.
import { Fieldset, Paragraph } from '@digdir/designsystemet-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { ProblemMessage } from '../ui/problem.tsx';
import type { VersionChoice } from './version-picker.tsx';

interface WavePlan {
  year: number;
  /** Null: the instrument has no rotation plan and the wave runs every module. */
  modules: string[] | null;
  themes: string[] | null;
}

export function WaveThemes({ choice, opensAt }: { choice: VersionChoice | null; opensAt: string | null }) {
  const { t } = useTranslation('console-fieldwork');
  const plan = useQuery({
    queryKey: ['wave-themes', choice?.instrumentId, choice?.version, opensAt],
    enabled: choice !== null,
    retry: false,
    queryFn: () => {
      const q = new URLSearchParams({ instrumentId: choice!.instrumentId, version: String(choice!.version) });
      if (opensAt) q.set('opensAt', opensAt);
      return api<WavePlan>(`/wave-themes?${q}`);
    },
  });
  if (!choice) return null;
  return (
    <Fieldset data-testid="wave-themes">
      <Fieldset.Legend>{t('newWave.themes')}</Fieldset.Legend>
      {plan.data && (
        <Paragraph data-size="sm">
          {plan.data.modules
            ? t('newWave.themesOfYear', { year: plan.data.year, themes: (plan.data.themes ?? []).join(', ') })
            : t('newWave.allModules')}
        </Paragraph>
      )}
      <ProblemMessage error={plan.error} />
    </Fieldset>
  );
}
