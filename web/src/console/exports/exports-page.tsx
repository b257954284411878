// Exports: any format of one or more waves (GET /exports streams it), with the bytes received shown while it
// arrives, a way to stop it, and the file to save when it is done.
import { Button, Checkbox, Fieldset, Heading, Paragraph, Spinner } from '@digdir/designsystemet-react';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { exportFormats } from '../../../../server/exports/format-names.ts';
import { ProblemMessage } from '../ui/problem.tsx';
import { SelectField } from '../ui/select-field.tsx';
import { ExportRun } from './export-run.tsx';
import { newestFirst, useWaveList } from './waves-api.ts';

export function ExportsPage() {
  const { t } = useTranslation('console');
  const waves = useWaveList();
  const [chosen, setChosen] = useState<string[]>([]);
  const [format, setFormat] = useState<string>('csv');
  const [labels, setLabels] = useState('nb');
  const [delimiter, setDelimiter] = useState(',');
  const [bom, setBom] = useState(false);
  const [valueLabels, setValueLabels] = useState(false);
  const [noWave, setNoWave] = useState(false);
  const [run, setRun] = useState<{ path: string; file: string; n: number } | null>(null);

  function submit(e: FormEvent) {
    e.preventDefault();
    setNoWave(chosen.length === 0);
    if (chosen.length === 0) return;
    const q = new URLSearchParams({ waves: chosen.join(','), format, labels });
    if (format === 'csv') {
      q.set('delimiter', delimiter);
      if (bom) q.set('bom', '1');
      if (valueLabels) q.set('valueLabels', '1');
    }
    setRun((r) => ({ path: `/exports?${q}`, file: `svar-export.${format}`, n: (r?.n ?? 0) + 1 }));
  }

  return (
    <div className="console-page">
      <Heading level={1} data-size="md">
        {t('exports.title')}
      </Heading>
      <Paragraph>{t('exports.intro')}</Paragraph>
      {waves.isPending && <Spinner aria-label={t('shell.loading')} />}
      <ProblemMessage error={waves.error} />
      {waves.data && (
        <form onSubmit={submit} className="console-form">
          <Fieldset>
            <Fieldset.Legend>{t('exports.waves')}</Fieldset.Legend>
            {waves.data.length === 0 && <Paragraph>{t('exports.noWaves')}</Paragraph>}
            {newestFirst(waves.data).map((w) => (
              <Checkbox
                key={w.id}
                label={`${w.name} (${w.instrument_id} v${w.version})`}
                value={w.id}
                checked={chosen.includes(w.id)}
                onChange={(e) =>
                  setChosen((c) => (e.target.checked ? [...c, w.id] : c.filter((id) => id !== w.id)))
                }
              />
            ))}
            {noWave && <Paragraph data-color="danger">{t('exports.chooseWave')}</Paragraph>}
          </Fieldset>
          <SelectField
            label={t('exports.format')}
            name="format"
            value={format}
            onChange={setFormat}
            options={exportFormats.map((f) => ({ value: f, label: t(`exports.format.${f}`) }))}
          />
          <SelectField
            label={t('exports.labels')}
            name="labels"
            value={labels}
            onChange={setLabels}
            options={['nb', 'nn', 'en'].map((l) => ({ value: l, label: t(`exports.lang.${l}`) }))}
          />
          {format === 'csv' && (
            <Fieldset>
              <Fieldset.Legend>{t('exports.csvOptions')}</Fieldset.Legend>
              <SelectField
                label={t('exports.delimiter')}
                name="delimiter"
                value={delimiter}
                onChange={setDelimiter}
                options={[
                  { value: ',', label: t('exports.delimiter.comma') },
                  { value: ';', label: t('exports.delimiter.semicolon') },
                ]}
              />
              <Checkbox label={t('exports.bom')} checked={bom} onChange={(e) => setBom(e.target.checked)} />
              <Checkbox
                label={t('exports.valueLabels')}
                checked={valueLabels}
                onChange={(e) => setValueLabels(e.target.checked)}
              />
            </Fieldset>
          )}
          <Button type="submit">{t('exports.start')}</Button>
        </form>
      )}
      {run && <ExportRun key={run.n} path={run.path} fallbackName={run.file} />}
    </div>
  );
}
