// The screens for an address that is not there, a screen the role may not open, and anything that broke.
import { Alert, Heading, Paragraph } from '@digdir/designsystemet-react';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { RoleNotAllowed } from './guards.ts';
import { ProblemMessage } from './ui/problem.tsx';

export function NotFoundPage() {
  const { t } = useTranslation('console');
  return (
    <section className="console-page">
      <Heading level={1} data-size="md">
        {t('notFound.title')}
      </Heading>
      <Paragraph>{t('notFound.text')}</Paragraph>
      <Paragraph>
        <Link to="/">{t('notFound.home')}</Link>
      </Paragraph>
    </section>
  );
}

export function ErrorPage({ error }: { error: unknown }) {
  const { t } = useTranslation('console');
  if (error instanceof RoleNotAllowed) {
    return (
      <section className="console-page">
        <Heading level={1} data-size="md">
          {t('forbidden.title')}
        </Heading>
        <Alert data-color="warning">
          <Paragraph>{t('forbidden.text', { role: t(`role.${error.role}`) })}</Paragraph>
        </Alert>
        <Paragraph>
          <Link to="/">{t('notFound.home')}</Link>
        </Paragraph>
      </section>
    );
  }
  return (
    <section className="console-page">
      <Heading level={1} data-size="md">
        {t('error.title')}
      </Heading>
      <ProblemMessage error={error} />
    </section>
  );
}
