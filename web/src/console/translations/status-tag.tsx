// A string's or a count's status as a coloured tag with its name in words (colour is never the only signal).
import { Tag } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import type { StringStatus } from './queries.ts';

const colour: Record<StringStatus, string> = {
  missing: 'danger',
  stale: 'warning',
  draft: 'neutral',
  reviewed: 'info',
  approved: 'success',
};

export function StatusTag({ status }: { status: StringStatus }) {
  const { t } = useTranslation('console-translations');
  return (
    <Tag data-color={colour[status]} data-size="sm">
      {t(`status.${status}`)}
    </Tag>
  );
}
