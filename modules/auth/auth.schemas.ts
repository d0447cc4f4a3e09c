import { z } from 'zod';
import { ROLES } from '../../core/permissions';

export const meView = z
  .object({
    user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
    tenants: z.array(
      z.object({
        id: z.string(),
        slug: z.string(),
        name: z.string(),
        kind: z.enum(['merchant', 'platform']),
        role: z.enum(ROLES),
      }),
    ),
    csrfToken: z.string(),
  })
  .meta({ id: 'Me' });

export const apiTokenView = z
  .object({
    id: z.string(),
    name: z.string(),
    scope: z.enum(['admin', 'evaluation']),
    role: z.enum(ROLES).nullable(),
    prefix: z.string(),
    createdBy: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiToken' });

/** The secret is shown once: an idempotent replay of the create answers `secret: null`. */
export const createdApiTokenView = z
  .object({ token: apiTokenView, secret: z.string().nullable() })
  .meta({ id: 'CreatedApiToken' });
