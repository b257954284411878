// A new delegate's link, shown once (only its hash is stored): read-only, with a copy button, and whether it was
// also mailed. Focus moves here, so the person knows where the link is.
import type { i18n } from 'i18next';
import { useEffect, useId, useRef, useState } from 'react';

export function DelegatedLink(props: {
  i18n: i18n;
  link: string;
  name: string;
  email: string;
  mailed: boolean;
  onClose: () => void;
}) {
  const t = props.i18n.t.bind(props.i18n);
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'' | 'yes' | 'no'>('');
  useEffect(() => heading.current?.focus(), []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(props.link);
      setCopied('yes');
    } catch {
      input.current?.select();
      setCopied('no');
    }
  }

  return (
    <section className="svar-link-box" aria-labelledby={`${id}-heading`} data-testid="delegate-link">
      <h3 id={`${id}-heading`} ref={heading} tabIndex={-1}>
        {t('link.heading', { name: props.name })}
      </h3>
      <p>{props.mailed ? t('link.mailed', { email: props.email }) : t('link.notMailed')}</p>
      <p>{t('link.once')}</p>
      <label htmlFor={`${id}-link`}>{t('link.label')}</label>
      <input
        ref={input}
        id={`${id}-link`}
        readOnly
        dir="ltr"
        value={props.link}
        onFocus={(e) => e.target.select()}
      />
      <div className="svar-actions">
        <button type="button" className="svar-button" onClick={() => void copy()}>
          {t('link.copy')}
        </button>
        <button type="button" className="svar-button svar-button-secondary" onClick={props.onClose}>
          {t('link.close')}
        </button>
      </div>
      <p role="status">{copied === 'yes' ? t('link.copied') : copied === 'no' ? t('link.copyFailed') : ''}</p>
    </section>
  );
}
