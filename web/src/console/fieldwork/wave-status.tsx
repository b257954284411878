// A wave's status as a coloured tag with its word (the colour never carries the meaning alone).
import { Tag } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import type { WaveStatus } from './types.ts';

const colour: Record<WaveStatus, 'neutral' | 'success' | 'info'> = {
  draft: 'neutral',
  open: 'success',
  closed: 'info',
};

export function WaveStatusTag({ status }: { status: WaveStatus }) {
  const { t } = useTranslation('console-fieldwork');
  return <Tag data-color={colour[status]}>{t(`wave.status.${status}`)}</Tag>;
}
