// The staff start page: log in, see who you are, and (for admins) the staff accounts.
import type { i18n } from 'i18next';
import { type FormEvent, useEffect, useState } from 'react';
import { fetchMe, fetchStaffUsers, logIn, logOut, type Me, type StaffUser } from './api.ts';

export function StaffHome({ i18n }: { i18n: i18n }) {
  const t = i18n.t.bind(i18n);
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [users, setUsers] = useState<StaffUser[]>([]);
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void fetchMe().then(setMe);
  }, []);
  useEffect(() => {
    if (me?.user.role === 'admin') void fetchStaffUsers().then(setUsers);
  }, [me]);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    const result = await logIn(String(form.get('email')), String(form.get('password')));
    setBusy(false);
    setFailed(result === null);
    if (result) setMe(await fetchMe());
  }

  if (me === undefined) return null;
  if (me === null) {
    return (
      <form onSubmit={submit} className="card" aria-labelledby="login-title">
        <h2 id="login-title">{t('login.title')}</h2>
        <label htmlFor="email">{t('login.email')}</label>
        <input id="email" name="email" type="email" autoComplete="username" required />
        <label htmlFor="password">{t('login.password')}</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        {failed && (
          <p role="alert" className="error">
            {t('login.failed')}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? t('login.busy') : t('login.submit')}
        </button>
      </form>
    );
  }
  return (
    <section className="card">
      <p data-testid="signed-in-as">
        {t('home.signedInAs', { name: me.user.displayName, role: t(`role.${me.user.role}`) })}
      </p>
      <button type="button" onClick={() => void logOut(me.csrfToken).then(() => setMe(null))}>
        {t('home.logout')}
      </button>
      {users.length > 0 && (
        <>
          <h2>{t('home.staff')}</h2>
          <ul>
            {users.map((u) => (
              <li key={u.id}>
                {u.email} — {t(`role.${u.role}`)} {u.municipalityCode ?? ''}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
