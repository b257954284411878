// Opting out of further e-mails. A button, not the link itself: mail scanners open links, people press buttons.
import type { i18n } from 'i18next';
import { useState } from 'react';

export function OptOutPage({ i18n, token }: { i18n: i18n; token: string }) {
  const [state, setState] = useState<'ask' | 'done' | 'failed'>('ask');
  async function confirm() {
    const res = await fetch(`/api/v1/respond/${token}/opt-out`, {
      method: 'POST',
      headers: { 'x-svar-locale': i18n.language },
    });
    setState(res.ok ? 'done' : 'failed');
  }
  return (
    <main className="svar-message" data-testid="opt-out">
      <h1>{i18n.t('optout.title')}</h1>
      {state === 'done' ? (
        <p role="status">{i18n.t('optout.done')}</p>
      ) : (
        <>
          <p>{i18n.t('optout.text')}</p>
          {state === 'failed' && <p role="alert">{i18n.t('error.text')}</p>}
          <button type="button" className="svar-button" onClick={() => void confirm()}>
            {i18n.t('optout.button')}
          </button>
        </>
      )}
      <p>
        <a href={`/s/${token}`}>{i18n.t('a11y.back')}</a>
      </p>
    </main>
  );
}
