import { z } from 'zod';

export const switchStateView = z
  .object({
    on: z.boolean(),
    reason: z.string().nullable(),
    changedAt: z.string().nullable(),
    changedBy: z.string().nullable(),
  })
  .meta({ id: 'SwitchState' });

export const tenantSettingsView = z
  .object({
    adminWrites: z.object({
      /** false when FLAGPOLE_ADMIN_WRITES=off: nothing at run time can turn writes back on. */
      config: z.boolean(),
      tenant: switchStateView,
      effective: z.boolean(),
    }),
    /** Global: while on, the worker holds every rollout plan in every tenant. */
    rolloutsPaused: switchStateView,
  })
  .meta({ id: 'TenantSettings' });
