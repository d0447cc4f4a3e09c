import { api, getFresh } from './client';
import type { TenantSettings } from './types';

export type SettingsAction = 'disable-writes' | 'enable-writes' | 'pause-rollouts' | 'resume-rollouts';

export const settingsApi = {
  get: (tenant?: string) => getFresh<TenantSettings>('/admin/settings', { ...(tenant ? { tenant } : {}), retries: 0 }),
  act: (action: SettingsAction, reason: string | undefined, idempotencyKey: string) =>
    api.post<TenantSettings>(`/admin/settings/actions/${action}`, reason ? { reason } : {}, { idempotencyKey }),
};
