// Staff accounts over the API (server/staff/routes.ts): the list, creating, disabling, changing role.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api.ts';
import type { StaffRole } from '../session.ts';

export interface StaffUser {
  id: string;
  email: string;
  displayName: string;
  role: StaffRole;
  municipalityCode: string | null;
  disabled: boolean;
  createdAt: string;
}

export const staffRoles: StaffRole[] = ['admin', 'analyst', 'municipality', 'translator'];
const key = ['staff-users'] as const;

export function useStaffUsers() {
  return useQuery({
    queryKey: key,
    queryFn: async () => (await api<{ users: StaffUser[] }>('/staff/users')).users,
  });
}

export interface NewStaffUser {
  email: string;
  displayName: string;
  role: StaffRole;
  municipalityCode: string | null;
  password: string | null;
}

/** Every change answers with the account as it now is; the list is fetched again to show it in place. */
function useStaffChange<I>(call: (input: I) => Promise<{ user: StaffUser }>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}

export const useCreateStaffUser = () =>
  useStaffChange((u: NewStaffUser) => api<{ user: StaffUser }>('/staff/users', { json: u }));

export const useDisableStaffUser = () =>
  useStaffChange((id: string) =>
    api<{ user: StaffUser }>(`/staff/users/${encodeURIComponent(id)}/disable`, { method: 'POST' }),
  );

export const useChangeStaffRole = () =>
  useStaffChange((c: { id: string; role: StaffRole; municipalityCode: string | null }) =>
    api<{ user: StaffUser }>(`/staff/users/${encodeURIComponent(c.id)}`, {
      method: 'PATCH',
      json: { role: c.role, municipalityCode: c.municipalityCode },
    }),
  );
