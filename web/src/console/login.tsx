// The login page: e-mail and password, failures in plain words (wrong password, too many attempts, no network),
// and back to where the person was going.
import { Button, Heading, Paragraph, Textfield } from '@digdir/designsystemet-react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, setCsrfToken } from './api.ts';
import { homeOf } from './guards.ts';
import { type Session, sessionQueryKey, useSession } from './session.ts';
import { ProblemMessage } from './ui/problem.tsx';

export function LoginPage({ next }: { next?: string | undefined }) {
  const { t } = useTranslation('console');
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const session = useSession().data;
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
  }, []);

  // Already logged in (another tab, or the back button): straight on.
  useEffect(() => {
    if (session) void navigate({ to: next ?? homeOf(session.user.role) });
  }, [session, next, navigate]);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    setError(null);
    setMissing(!email || !password);
    if (!email || !password) return;
    setBusy(true);
    try {
      const s = await api<Session>('/auth/login', { json: { email, password } });
      setCsrfToken(s.csrfToken);
      queryClient.setQueryData(sessionQueryKey, { user: s.user, csrfToken: s.csrfToken });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="console-login" aria-labelledby="login-title">
      <Heading level={1} data-size="md" id="login-title" ref={heading} tabIndex={-1}>
        {t('login.title')}
      </Heading>
      <Paragraph>{t('login.intro')}</Paragraph>
      <form onSubmit={submit} noValidate className="console-form">
        <Textfield
          label={t('login.email')}
          name="email"
          type="email"
          autoComplete="username"
          required
          error={missing ? t('login.missing') : undefined}
        />
        <Textfield
          label={t('login.password')}
          name="password"
          type="password"
          autoComplete="current-password"
          required
        />
        {error ? <ProblemMessage error={error} /> : null}
        <Button type="submit" disabled={busy} aria-busy={busy}>
          {busy ? t('login.busy') : t('login.submit')}
        </Button>
      </form>
    </section>
  );
}
