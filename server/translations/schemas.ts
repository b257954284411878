// Wire shapes of the translation review API: zod is the source of truth.
import { z } from 'zod';
import { stringStatuses } from './version-strings.ts';

export const versionParams = z.object({
  id: z.string().min(1).max(100),
  version: z.coerce.number().int().positive(),
});

/** A language code as languages.ts writes it: "ar", "prs", or with a script subtag, "kmr-Arab". */
export const languageParams = versionParams.extend({
  locale: z.string().regex(/^[a-z]{2,3}(-[A-Z][a-z]{3})?$/),
});

export const stringsQuery = z.object({
  /** Comma-separated statuses, e.g. "stale,draft". */
  status: z
    .string()
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(z.enum(stringStatuses)))
    .optional(),
  module: z.string().min(1).max(100).optional(),
});

export const editBody = z.object({ text: z.string().trim().min(1).max(10_000) }).strict();

export const statusBody = z
  .object({
    keys: z.array(z.string().min(1).max(300)).min(1).max(5_000),
    status: z.enum(['reviewed', 'approved']),
  })
  .strict();

export const commentBody = z
  .object({ key: z.string().min(1).max(300), body: z.string().trim().min(1).max(4_000) })
  .strict();
