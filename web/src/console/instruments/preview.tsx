// A published version in any of its languages, rendered by survey-react-ui exactly as a respondent sees it: the
// respondent page's SurveyJS setup (headings, interface strings per language) and theme, right-to-left where the
// language is. Nothing is saved: the preview is a model with no link behind it.
import { Alert, Heading, Paragraph, Spinner } from '@digdir/designsystemet-react';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Model } from 'survey-core';
import { Survey } from 'survey-react-ui';
import 'survey-core/survey-core.fontless.css';
import './preview.css';
import { waveVariables } from '../../../../server/surveys/wave-variables.ts';
import { loadSurveyLanguage, setUpSurvey } from '../../respondent/survey-setup.ts';
import { ProblemMessage } from '../ui/problem.tsx';
import { SelectField } from '../ui/select-field.tsx';
import { versionQuery } from './instruments-api.ts';

/** Years a survey manager may preview: a few waves back (to read what was asked) and the next two. */
function yearChoices(thisYear: number): number[] {
  return Array.from({ length: 8 }, (_, i) => thisYear + 2 - i);
}

export function Preview(p: { instrumentId: string; version: number; lng?: string | undefined }) {
  const { t } = useTranslation('console');
  const thisYear = new Date().getFullYear();
  // The wave's reference year, as a wave opening this year would set it: "{previousYear}" reads as a real year.
  const [year, setYear] = useState(thisYear);
  const navigate = useNavigate();
  const version = useQuery(versionQuery(p.instrumentId, p.version, p.lng));
  const locale = version.data?.locale;
  const strings = useQuery({
    queryKey: ['surveyjs-strings', locale],
    queryFn: async () => {
      await loadSurveyLanguage(locale!);
      return true;
    },
    enabled: !!locale,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const model = useMemo(() => {
    if (!version.data || !strings.data) return null;
    setUpSurvey();
    const m = new Model(version.data.definition);
    m.locale = version.data.locale;
    for (const [name, value] of Object.entries(waveVariables(year))) m.setVariable(name, value);
    m.setIsMobile(document.documentElement.clientWidth < 600);
    m.showProgressBar = true;
    m.progressBarType = 'pages';
    m.questionErrorLocation = 'top';
    // A preview never sends anything: finishing just shows SurveyJS's completed page.
    return m;
  }, [version.data, strings.data, year]);

  if (version.isPending) return <Spinner aria-label={t('shell.loading')} />;
  if (version.error) return <ProblemMessage error={version.error} />;
  const v = version.data;
  const current = v.locales.find((l) => l.locale === v.locale);
  return (
    <div className="console-page">
      <Heading level={1} data-size="md">
        {t('instruments.previewTitle', { id: v.instrumentId, version: v.version })}
      </Heading>
      <Alert data-color="info">
        <Paragraph>{t('instruments.previewNote')}</Paragraph>
      </Alert>
      <SelectField
        label={t('instruments.previewLanguage')}
        name="lng"
        value={v.locale}
        onChange={(lng) =>
          void navigate({
            to: '/instruments/$instrumentId/$version/preview',
            params: { instrumentId: v.instrumentId, version: String(v.version) },
            search: { lng },
          })
        }
        options={v.locales.map((l) => ({ value: l.locale, label: `${l.name} (${l.locale})` }))}
      />
      <SelectField
        label={t('instruments.previewYear')}
        description={t('instruments.previewYearHint')}
        name="year"
        value={String(year)}
        onChange={(y) => setYear(Number(y))}
        options={yearChoices(thisYear).map((y) => ({ value: String(y), label: String(y) }))}
      />
      <div className="console-preview" lang={v.locale} dir={current?.dir ?? 'ltr'} data-testid="preview">
        {model ? <Survey model={model} /> : <Spinner aria-label={t('shell.loading')} />}
      </div>
    </div>
  );
}
