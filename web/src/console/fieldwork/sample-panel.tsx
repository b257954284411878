// Drawing a wave's sample: the stratification column, allocation, size and a minimum per stratum, then the
// allocation table the draw returns (the same table is stored with the wave and shown again on return).
import {
  Button,
  Field,
  Heading,
  Label,
  Paragraph,
  Select,
  Table,
  Textfield,
} from '@digdir/designsystemet-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { ProblemMessage } from '../ui/problem.tsx';
import { useFormat } from './format.ts';
import { ScrollTable } from './scroll-table.tsx';
import type { AllocationRow, SampleResult } from './types.ts';
import { waveKeys } from './wave-queries.ts';

const strataColumns = ['', 'county', 'municipality_code', 'preferred_language'] as const;
const allocations = ['proportional', 'equal', 'neyman'] as const;

export function SamplePanel({ waveId, drawn }: { waveId: string; drawn: AllocationRow[] | null }) {
  const { t } = useTranslation('console-fieldwork');
  const client = useQueryClient();
  const [strata, setStrata] = useState<string>('county');
  const [other, setOther] = useState('');
  const [allocation, setAllocation] = useState<(typeof allocations)[number]>('proportional');
  const [size, setSize] = useState('');
  const [min, setMin] = useState('');
  const [seed, setSeed] = useState('');
  const [spreadColumn, setSpreadColumn] = useState('');
  const draw = useMutation({
    mutationFn: () =>
      api<SampleResult>(`/waves/${encodeURIComponent(waveId)}/sample`, {
        json: {
          size: Number(size),
          strata: (strata === 'other' ? other.trim() : strata) || null,
          allocation,
          ...(min ? { minPerStratum: Number(min) } : {}),
          ...(allocation === 'neyman' ? { spreadColumn: spreadColumn.trim() || null } : {}),
          ...(seed.trim() ? { seed: seed.trim() } : {}),
        },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: waveKeys.one(waveId) }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    draw.mutate();
  };
  const table = draw.data?.table ?? drawn;
  return (
    <section aria-labelledby="sample-heading">
      <Heading level={2} data-size="md" id="sample-heading">
        {t('sample.title')}
      </Heading>
      <form onSubmit={submit} noValidate>
        <Field>
          <Label htmlFor="sample-strata">{t('sample.strata')}</Label>
          <Select id="sample-strata" value={strata} onChange={(e) => setStrata(e.target.value)}>
            {[...strataColumns, 'other'].map((c) => (
              <Select.Option key={c} value={c}>
                {t(`sample.strataColumns.${c || 'none'}`)}
              </Select.Option>
            ))}
          </Select>
        </Field>
        {strata === 'other' && (
          <Textfield
            label={t('sample.otherColumn')}
            value={other}
            onChange={(e) => setOther(e.target.value)}
          />
        )}
        <Field>
          <Label htmlFor="sample-allocation">{t('sample.allocation')}</Label>
          <Select
            id="sample-allocation"
            value={allocation}
            onChange={(e) => setAllocation(e.target.value as (typeof allocations)[number])}
          >
            {allocations.map((a) => (
              <Select.Option key={a} value={a}>
                {t(`sample.allocations.${a}`)}
              </Select.Option>
            ))}
          </Select>
        </Field>
        {allocation === 'neyman' && (
          <Textfield
            label={t('sample.spreadColumn')}
            description={t('sample.spreadHelp')}
            value={spreadColumn}
            onChange={(e) => setSpreadColumn(e.target.value)}
          />
        )}
        <Textfield
          label={t('sample.size')}
          type="number"
          inputMode="numeric"
          min={1}
          value={size}
          onChange={(e) => setSize(e.target.value)}
        />
        <Textfield
          label={t('sample.minPerStratum')}
          description={t('sample.minHelp')}
          type="number"
          inputMode="numeric"
          min={0}
          value={min}
          onChange={(e) => setMin(e.target.value)}
        />
        <Textfield
          label={t('sample.seed')}
          description={t('sample.seedHelp')}
          value={seed}
          onChange={(e) => setSeed(e.target.value)}
        />
        <Button type="submit" loading={draw.isPending} disabled={draw.isPending}>
          {t('sample.draw')}
        </Button>
      </form>
      <ProblemMessage error={draw.error} />
      {draw.data?.warning && <Paragraph>{draw.data.warning}</Paragraph>}
      {table && <AllocationTable rows={table} />}
    </section>
  );
}

function AllocationTable({ rows }: { rows: AllocationRow[] }) {
  const { t } = useTranslation('console-fieldwork');
  const f = useFormat();
  const total = (k: 'populationSize' | 'sampleSize') => rows.reduce((a, r) => a + r[k], 0);
  return (
    <ScrollTable label={t('sample.table')}>
      <caption>{t('sample.table')}</caption>
      <Table.Head>
        <Table.Row>
          <Table.HeaderCell>{t('sample.stratum')}</Table.HeaderCell>
          <Table.HeaderCell>{t('sample.population')}</Table.HeaderCell>
          <Table.HeaderCell>{t('sample.sampleSize')}</Table.HeaderCell>
          <Table.HeaderCell>{t('sample.weight')}</Table.HeaderCell>
        </Table.Row>
      </Table.Head>
      <Table.Body>
        {rows.map((r) => (
          <Table.Row key={r.stratum}>
            <Table.Cell>{r.stratum}</Table.Cell>
            <Table.Cell>{f.number(r.populationSize)}</Table.Cell>
            <Table.Cell>{f.number(r.sampleSize)}</Table.Cell>
            <Table.Cell>{r.designWeight ? r.designWeight.toFixed(2) : '–'}</Table.Cell>
          </Table.Row>
        ))}
        <Table.Row>
          <Table.HeaderCell>{t('sample.total')}</Table.HeaderCell>
          <Table.Cell>{f.number(total('populationSize'))}</Table.Cell>
          <Table.Cell>{f.number(total('sampleSize'))}</Table.Cell>
          <Table.Cell />
        </Table.Row>
      </Table.Body>
    </ScrollTable>
  );
}
