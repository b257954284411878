// Wire shapes of staff accounts: zod schemas are the source of truth, types are inferred from them.
import { z } from 'zod';
import type { StaffUser } from '../db/schema.ts';
import { passwordProblem } from '../security/password.ts';

export const staffRoles = ['admin', 'analyst', 'municipality', 'translator'] as const;

const password = z.string().superRefine((p, ctx) => {
  const problem = passwordProblem(p);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const newStaffUserSchema = z
  .object({
    email: z
      .email()
      .max(320)
      .transform((e) => e.toLowerCase()),
    displayName: z.string().trim().min(1).max(200),
    role: z.enum(staffRoles),
    municipalityCode: z
      .string()
      .regex(/^[0-9]{4}([0-9]{2})?$/, 'a 4-digit municipality code or a 6-digit Oslo district code')
      .nullish(),
    password: password.nullish(),
  })
  .strict()
  .superRefine((u, ctx) => {
    if (u.role === 'municipality' && !u.municipalityCode) {
      ctx.addIssue({
        code: 'custom',
        path: ['municipalityCode'],
        message: 'required for the municipality role',
      });
    }
    if (u.role !== 'municipality' && u.municipalityCode) {
      ctx.addIssue({
        code: 'custom',
        path: ['municipalityCode'],
        message: 'only the municipality role has one',
      });
    }
  });
export type NewStaffUser = z.infer<typeof newStaffUserSchema>;

/** A new role for an account, with its municipality: sent together, so the pair is always consistent. */
export const staffRoleChangeSchema = z
  .object({
    role: z.enum(staffRoles),
    municipalityCode: z
      .string()
      .regex(/^[0-9]{4}([0-9]{2})?$/, 'a 4-digit municipality code or a 6-digit Oslo district code')
      .nullish(),
  })
  .strict()
  .superRefine((u, ctx) => {
    if ((u.role === 'municipality') !== !!u.municipalityCode) {
      ctx.addIssue({
        code: 'custom',
        path: ['municipalityCode'],
        message:
          u.role === 'municipality'
            ? 'required for the municipality role'
            : 'only the municipality role has one',
      });
    }
  });
export type StaffRoleChange = z.infer<typeof staffRoleChangeSchema>;

export const loginSchema = z
  .object({
    email: z
      .string()
      .min(1)
      .max(320)
      .transform((e) => e.trim().toLowerCase()),
    password: z.string().min(1).max(1024),
  })
  .strict();

export const newApiTokenSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    expiresInDays: z.number().int().min(1).max(3650).nullish(),
  })
  .strict();

/** The outgoing shape of a staff account: never the password hash. */
export function toPublicStaffUser(u: StaffUser) {
  return {
    id: u.id,
    email: u.email,
    displayName: u.display_name,
    role: u.role,
    municipalityCode: u.municipality_code,
    disabled: u.disabled_at !== null,
    createdAt: u.created_at.toISOString(),
  };
}
export type PublicStaffUser = ReturnType<typeof toPublicStaffUser>;
