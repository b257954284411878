// A full-page message in the respondent's language: thank you, closed, invalid link, not yet open, error.
import type { i18n } from 'i18next';
import { useEffect, useRef } from 'react';

export function MessagePage({
  i18n,
  kind,
}: {
  i18n: i18n;
  kind: 'done' | 'closed' | 'invalid' | 'notOpen' | 'error';
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <main className="svar-message" data-testid={`message-${kind}`}>
      <h1 ref={heading} tabIndex={-1}>
        {i18n.t(`${kind}.title`)}
      </h1>
      <p>{i18n.t(`${kind}.text`)}</p>
      <footer>
        <a href={`/accessibility?lang=${i18n.language}`}>{i18n.t('a11y.link')}</a>
      </footer>
    </main>
  );
}
