// The theme modules a new wave will run: what the instrument's rotation plan gives the wave's year (the year it
// opens in Norway), ticked in a list of the version's theme modules the manager may change; a year the plan does
// not name shows the server's refusal beside the list, so the manager can choose the themes instead.
import { Checkbox, Fieldset, Paragraph } from '@digdir/designsystemet-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ProblemError } from '../api.ts';
import { ProblemMessage } from '../ui/problem.tsx';
import type { VersionChoice } from './version-picker.tsx';

interface WavePlan {
  year: number;
  /** Null: the instrument has no rotation plan and the wave runs every module. */
  modules: string[] | null;
  themes: string[] | null;
  /** Every theme module of the version, the choices the API accepts as `themes`. */
  themeModules: string[];
}

/** The plan for the chosen version and opening day; a refused year still names the version's theme modules. */
export function useWavePlan(choice: VersionChoice | null, opensAt: string | null) {
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
  const refused = plan.error instanceof ProblemError ? plan.error.detail.themeModules : undefined;
  const themeModules = plan.data?.themeModules ?? (Array.isArray(refused) ? (refused as string[]) : []);
  // What runs without a choice: the year's themes, every theme without a plan, none when the year is refused.
  const planned = plan.data ? (plan.data.modules ? (plan.data.themes ?? []) : themeModules) : null;
  return { query: plan, themeModules, planned };
}

/** The themes to send with a new wave: the manager's choice, only where it differs from what the plan gives. */
export function themesToSend(plan: ReturnType<typeof useWavePlan>, picked: string[] | null) {
  if (picked === null) return undefined;
  const planned = plan.planned;
  const same =
    planned !== null && planned.length === picked.length && planned.every((t) => picked.includes(t));
  return same ? undefined : plan.themeModules.filter((t) => picked.includes(t));
}

export function WaveThemes(props: {
  choice: VersionChoice | null;
  plan: ReturnType<typeof useWavePlan>;
  /** Null until the manager touches a box: the ticks then follow the plan as the year or version changes. */
  picked: string[] | null;
  onPick: (themes: string[]) => void;
}) {
  const { t } = useTranslation('console-fieldwork');
  const { query, themeModules, planned } = props.plan;
  if (!props.choice) return null;
  const ticked = props.picked ?? planned ?? [];
  const toggle = (theme: string, on: boolean) =>
    props.onPick(on ? [...ticked, theme] : ticked.filter((x) => x !== theme));
  return (
    <Fieldset data-testid="wave-themes">
      <Fieldset.Legend>{t('newWave.themes')}</Fieldset.Legend>
      {query.data && (
        <Paragraph data-size="sm">
          {query.data.modules
            ? t('newWave.themesOfYear', {
                year: query.data.year,
                themes: (query.data.themes ?? []).join(', '),
              })
            : t('newWave.allModules')}
        </Paragraph>
      )}
      <ProblemMessage error={query.error} />
      {themeModules.length > 0 && <Fieldset.Description>{t('newWave.themesPick')}</Fieldset.Description>}
      {themeModules.map((theme) => (
        <Checkbox
          key={theme}
          label={theme}
          value={theme}
          checked={ticked.includes(theme)}
          onChange={(e) => toggle(theme, e.target.checked)}
        />
      ))}
    </Fieldset>
  );
}
