// The save status in the page's header: saved, saving, failed (with retry), offline, or waiting for a choice.
import type { i18n } from 'i18next';
import type { SaveState } from './autosave.ts';

export function SaveStatus({ i18n, state, onRetry }: { i18n: i18n; state: SaveState; onRetry: () => void }) {
  return (
    <p className={`svar-save svar-save-${state}`} role="status" aria-live="polite" data-testid="save-state">
      {state === 'idle' ? '' : i18n.t(`save.${state}`)}
      {state === 'failed' && (
        <button type="button" onClick={onRetry}>
          {i18n.t('save.retry')}
        </button>
      )}
    </p>
  );
}
