// Staff API calls from the browser: the session cookie travels by itself; unsafe calls echo the CSRF token.
export interface Me {
  user: { id: string; email: string; displayName: string; role: string; municipalityCode: string | null };
  csrfToken: string | null;
}

export async function fetchMe(): Promise<Me | null> {
  const r = await fetch('/api/v1/auth/me');
  return r.ok ? ((await r.json()) as Me) : null;
}

export async function logIn(email: string, password: string): Promise<Me | null> {
  const r = await fetch('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return r.ok ? ((await r.json()) as Me) : null;
}

export async function logOut(csrfToken: string | null): Promise<void> {
  await fetch('/api/v1/auth/logout', { method: 'POST', headers: { 'x-csrf-token': csrfToken ?? '' } });
}

export interface StaffUser {
  id: string;
  email: string;
  displayName: string;
  role: string;
  municipalityCode: string | null;
  disabled: boolean;
}

export async function fetchStaffUsers(): Promise<StaffUser[]> {
  const r = await fetch('/api/v1/staff/users');
  return r.ok ? ((await r.json()) as { users: StaffUser[] }).users : [];
}
