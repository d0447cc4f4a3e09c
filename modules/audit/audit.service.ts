import type { Page } from '../platform/pagination';
import type { AuditEvent, AuditFilters, AuditRepository } from './audit.repository';

/** Reading the audit log (writes append to it through `AuditRepository.record`, inside their own transaction). */
export class AuditService {
  constructor(private readonly d: { audit: AuditRepository }) {}

  list(tenantId: string, filters: AuditFilters): Promise<Page<AuditEvent>> {
    return this.d.audit.list(tenantId, filters);
  }
}
