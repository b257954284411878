// The frame of every screen: a skip link, the header (service name, navigation for the role, language, who is
// logged in, log out) and the main region the routes render into. It wraps to one column at 360 px.
import { Button, SkipLink } from '@digdir/designsystemet-react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, Navigate, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from './api.ts';
import { roleAllowed } from './guards.ts';
import { type ConsoleLanguage, consoleLanguages } from './i18n.ts';
import { rememberConsoleLanguage } from './language.ts';
import { type StaffRole, sessionQueryKey, useSession } from './session.ts';

interface NavItem {
  to: '/waves' | '/instruments' | '/translations' | '/exports' | '/factsheets' | '/users' | '/municipality';
  label: string;
  roles: StaffRole[];
}

/** The municipality user sees only its own landing: the server would refuse the rest anyway. */
const navigation: NavItem[] = [
  { to: '/municipality', label: 'nav.municipality', roles: ['municipality'] },
  { to: '/waves', label: 'nav.waves', roles: ['analyst'] },
  { to: '/instruments', label: 'nav.instruments', roles: ['analyst'] },
  { to: '/translations', label: 'nav.translations', roles: ['translator'] },
  { to: '/exports', label: 'nav.exports', roles: ['analyst'] },
  { to: '/factsheets', label: 'nav.factsheets', roles: ['analyst'] },
  { to: '/users', label: 'nav.users', roles: [] },
];

const languageNames: Record<ConsoleLanguage, string> = { nb: 'Bokmål', nn: 'Nynorsk', en: 'English' };

export function Layout() {
  const { t } = useTranslation('console');
  const session = useSession().data;
  const location = useRouterState({ select: (s) => s.location });
  const isLogin = location.pathname === '/login';
  // The session ended while a screen was open (a 401 anywhere): back to the login, and here again afterwards.
  if (session === null && !isLogin) return <Navigate to="/login" search={{ next: location.href }} />;
  const user = isLogin ? null : session?.user;
  // Admins have no municipality landing: it is the municipality user's own page.
  const items = user
    ? navigation.filter((n) =>
        n.to === '/municipality' ? user.role === 'municipality' : roleAllowed(user.role, n.roles),
      )
    : [];
  return (
    <div className="console">
      <SkipLink href="#main">{t('shell.skip')}</SkipLink>
      <header className="console-header">
        <div className="console-bar">
          <Link to="/" className="console-name">
            {t('app.console')}
          </Link>
          <LanguageSwitch />
          {user && <SignedIn name={user.displayName} role={user.role} />}
        </div>
        {items.length > 0 && (
          <nav aria-label={t('shell.nav')} className="console-nav">
            <ul>
              {items.map((n) => (
                <li key={n.to}>
                  <Link to={n.to} activeProps={{ 'aria-current': 'page' }}>
                    {t(n.label)}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
      </header>
      <main id="main" tabIndex={-1} className="console-main">
        <Outlet />
      </main>
    </div>
  );
}

function LanguageSwitch() {
  const { t, i18n } = useTranslation('console');
  return (
    <fieldset className="console-languages">
      <legend className="ds-sr-only">{t('shell.language')}</legend>
      {consoleLanguages.map((lng) => (
        <Button
          key={lng}
          type="button"
          variant={i18n.language === lng ? 'primary' : 'tertiary'}
          data-size="sm"
          lang={lng}
          aria-pressed={i18n.language === lng}
          onClick={() => {
            void i18n.changeLanguage(lng);
            rememberConsoleLanguage(lng);
          }}
        >
          {languageNames[lng]}
        </Button>
      ))}
    </fieldset>
  );
}

function SignedIn({ name, role }: { name: string; role: StaffRole }) {
  const { t } = useTranslation('console');
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  async function logOut() {
    try {
      await api('/auth/logout', { method: 'POST' });
    } finally {
      // Whatever the server said, this browser forgets the session and everything it fetched with it.
      queryClient.clear();
      queryClient.setQueryData(sessionQueryKey, null);
      await navigate({ to: '/login' });
    }
  }
  return (
    <div className="console-user">
      <span data-testid="signed-in-as">{t('shell.signedInAs', { name, role: t(`role.${role}`) })}</span>
      <Button type="button" variant="secondary" data-size="sm" onClick={() => void logOut()}>
        {t('shell.logout')}
      </Button>
    </div>
  );
}
