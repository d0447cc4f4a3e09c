import { getFresh } from './client';
import type { AuditEvent, Page } from './types';

export interface AuditFilters {
  resourceType?: string;
  resourceId?: string;
  actorId?: string;
  action?: string;
  since?: string;
  until?: string;
}

export const auditApi = {
  list: (filters: AuditFilters, cursor?: string | null, limit = 50) =>
    getFresh<Page<AuditEvent>>('/admin/audit-events', { query: { ...filters, cursor, limit }, retries: 0 }),
};
