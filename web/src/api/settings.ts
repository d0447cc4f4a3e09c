import { api } from './client';
import type { TenantSettings } from './types';

export const settingsApi = {
  get: (tenant?: string) => api.get<TenantSettings>('/admin/settings', tenant ? { tenant } : undefined),
};
