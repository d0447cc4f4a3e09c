import type { Knex } from 'knex';
import type { Actor } from '../../core/actor';
import type { AuditAction } from '../../core/audit-actions';
import { newId } from '../platform/ids';
import type { ActionContext } from '../platform/unit-of-work';
import type { Cursors, Page } from '../platform/pagination';

export interface AuditEvent {
  id: string;
  tenantId: string | null;
  actor: Actor;
  action: string;
  resourceType: string;
  resourceId: string;
  before: unknown;
  after: unknown;
  requestId: string | null;
  jobId: string | null;
  idempotencyKey: string | null;
  reason: string | null;
  createdAt: string;
}

export interface AuditEntry {
  action: AuditAction;
  resourceType: string;
  resourceId: string;
  before?: unknown;
  after?: unknown;
  reason?: string;
}

export interface AuditFilters {
  resourceType?: string;
  resourceId?: string;
  actorId?: string;
  action?: string;
  since?: Date;
  until?: Date;
  limit: number;
  cursor?: string;
}

interface AuditRow {
  id: string;
  tenantId: string | null;
  actorType: Actor['type'];
  actorId: string;
  actorLabel: string;
  action: string;
  resourceType: string;
  resourceId: string;
  before: unknown;
  after: unknown;
  requestId: string | null;
  jobId: string | null;
  idempotencyKey: string | null;
  reason: string | null;
  createdAt: Date;
}

const toEvent = (r: AuditRow): AuditEvent => ({
  id: r.id,
  tenantId: r.tenantId,
  actor: { type: r.actorType, id: r.actorId, label: r.actorLabel },
  action: r.action,
  resourceType: r.resourceType,
  resourceId: r.resourceId,
  before: r.before,
  after: r.after,
  requestId: r.requestId,
  jobId: r.jobId,
  idempotencyKey: r.idempotencyKey,
  reason: r.reason,
  createdAt: r.createdAt.toISOString(),
});

/**
 * The append-only audit log. `record` must be called with the write's own transaction.
 *
 * Calling convention (every repository): a method a write calls takes the write's transaction as
 * its first parameter (or the database, when the same read also runs outside a write); a read only
 * made outside writes uses the repository's own connection.
 */
export class AuditRepository {
  constructor(
    private readonly db: Knex,
    private readonly cursors: Cursors,
  ) {}

  async record(
    trx: Knex.Transaction,
    ctx: Pick<ActionContext, 'actor' | 'requestId' | 'jobId' | 'idempotencyKey' | 'reason'> & {
      tenantId: string | null;
    },
    entry: AuditEntry,
  ): Promise<void> {
    await trx('audit_log').insert({
      id: newId(),
      tenantId: ctx.tenantId,
      actorType: ctx.actor.type,
      actorId: ctx.actor.id,
      actorLabel: ctx.actor.label,
      action: entry.action,
      resourceType: entry.resourceType,
      resourceId: entry.resourceId,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
      requestId: ctx.requestId ?? null,
      jobId: ctx.jobId ?? null,
      idempotencyKey: ctx.idempotencyKey ?? null,
      reason: entry.reason ?? ctx.reason ?? null,
      // millisecond precision, so a cursor (an ISO string) round-trips exactly
      createdAt: trx.raw("date_trunc('milliseconds', clock_timestamp())"),
    });
  }

  async latestFor(tenantId: string, resourceType: string, resourceId: string, limit = 10): Promise<AuditEvent[]> {
    const rows = await this.db<AuditRow>('audit_log')
      .where({ tenantId, resourceType, resourceId })
      .orderBy([
        { column: 'createdAt', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(toEvent);
  }

  async list(tenantId: string, f: AuditFilters): Promise<Page<AuditEvent>> {
    const q = this.db<AuditRow>('audit_log').where({ tenantId });
    if (f.resourceType) q.where('resourceType', f.resourceType);
    if (f.resourceId) q.where('resourceId', f.resourceId);
    if (f.actorId) q.where('actorId', f.actorId);
    if (f.action) q.where('action', f.action);
    if (f.since) q.where('createdAt', '>=', f.since);
    if (f.until) q.where('createdAt', '<', f.until);
    return this.cursors.newestFirst(`audit:${tenantId}`, q, f.limit, f.cursor, toEvent);
  }
}
