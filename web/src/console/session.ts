// Who is logged in, as one TanStack Query (key ['session']) every screen shares: the role decides what the
// navigation offers, and the server decides again on every call.
import { useQuery } from '@tanstack/react-query';
import { api, ProblemError, setCsrfToken } from './api.ts';

export type StaffRole = 'admin' | 'analyst' | 'municipality' | 'translator';

export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  role: StaffRole;
  municipalityCode: string | null;
}

export interface Session {
  user: SessionUser;
  csrfToken: string | null;
}

export const sessionQueryKey = ['session'] as const;

/** The session, or null when nobody is logged in (401). */
export async function fetchSession(): Promise<Session | null> {
  try {
    const s = await api<Session>('/auth/me');
    setCsrfToken(s.csrfToken);
    return s;
  } catch (err) {
    if (err instanceof ProblemError && err.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw err;
  }
}

export function useSession() {
  return useQuery({ queryKey: sessionQueryKey, queryFn: fetchSession, staleTime: 60_000 });
}
