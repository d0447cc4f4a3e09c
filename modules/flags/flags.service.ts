import type { Knex } from 'knex';
import type { AuditAction } from '../../core/audit-actions';
import { ConflictError, NotFoundError } from '../../core/errors';
import type { AuditEvent, AuditRepository } from '../audit/audit.repository';
import type { Clock } from '../platform/clock';
import { newId } from '../platform/ids';
import { assertVersion } from '../platform/if-match';
import type { Page } from '../platform/pagination';
import type { ActionContext, AfterCommit, UnitOfWork } from '../platform/unit-of-work';
import type { FlagUsage, FlagUsageRepository } from './flag-usage.repository';
import { toFlagView, type FlagRow, type FlagsRepository } from './flags.repository';
import type { FlagView, ListFlagsQuery } from './flags.schemas';

export interface FlagDetail extends FlagView {
  recentAuditEvents: AuditEvent[];
}

/** The window the rollout preview shows a flag's traffic for. */
const USAGE_WINDOW_HOURS = 24;

export type BulkItem = { id: string; status: number; flag?: FlagView; error?: { code: string; message: string } };

/**
 * Hooks other capabilities attach to flag changes, inside the same transaction
 * (e.g. rollouts pause a running plan when its flag's kill switch is thrown).
 */
export interface FlagChangeListener {
  onFlagChanged(
    trx: Knex.Transaction,
    ctx: ActionContext,
    before: FlagRow,
    after: FlagRow,
    afterCommit: AfterCommit,
  ): Promise<void>;
}

export class FlagsService {
  private readonly listeners: FlagChangeListener[] = [];

  constructor(
    private readonly d: {
      uow: UnitOfWork;
      clock: Clock;
      flags: FlagsRepository;
      usage: FlagUsageRepository;
      audit: AuditRepository;
      publishChange: (tenantId: string) => Promise<void>;
    },
  ) {}

  addListener(listener: FlagChangeListener): void {
    this.listeners.push(listener);
  }

  list(tenantId: string, query: ListFlagsQuery): Promise<Page<FlagView>> {
    return this.d.flags.list(tenantId, query);
  }

  async get(tenantId: string, id: string): Promise<FlagDetail> {
    const flag = await this.d.flags.find(tenantId, id);
    if (!flag) throw new NotFoundError('Feature flag');
    return { ...toFlagView(flag), recentAuditEvents: await this.d.audit.latestFor(tenantId, 'feature_flag', id, 10) };
  }

  /** How often the flag was evaluated in the last day. */
  async usage(tenantId: string, id: string): Promise<FlagUsage> {
    const flag = await this.d.flags.find(tenantId, id);
    if (!flag) throw new NotFoundError('Feature flag');
    return this.d.usage.lastHours(tenantId, flag.id, USAGE_WINDOW_HOURS, this.d.clock.now());
  }

  async create(
    ctx: ActionContext,
    input: { key: string; description: string; tags: string[]; enabled: boolean },
  ): Promise<FlagView> {
    return this.d.uow.run(ctx, async (trx, afterCommit) => {
      const now = this.d.clock.now();
      const row: FlagRow = {
        id: newId(),
        tenantId: ctx.tenantId,
        ...input,
        version: 1,
        archivedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      if (await this.d.flags.keyTaken(trx, ctx.tenantId, input.key))
        throw new ConflictError(`A flag with key "${input.key}" already exists in this tenant.`);
      await this.d.flags.insert(trx, row);
      const view = toFlagView(row);
      await this.d.audit.record(trx, ctx, {
        action: 'feature_flag.created',
        resourceType: 'feature_flag',
        resourceId: row.id,
        after: view,
      });
      afterCommit(() => this.d.publishChange(ctx.tenantId));
      return view;
    });
  }

  async update(
    ctx: ActionContext,
    id: string,
    changes: { description?: string; tags?: string[] },
    ifMatch?: number,
  ): Promise<FlagView> {
    return this.change(ctx, id, 'feature_flag.updated', ifMatch, (flag) => {
      if (flag.archivedAt) throw new ConflictError('The flag is archived.', 'archived');
      return changes;
    });
  }

  /** The kill switch. Setting the state a flag already has is a no-op with no audit event. */
  async setEnabled(ctx: ActionContext, id: string, enabled: boolean, ifMatch?: number): Promise<FlagView> {
    return this.change(ctx, id, enabled ? 'feature_flag.enabled' : 'feature_flag.disabled', ifMatch, (flag) => {
      if (flag.archivedAt) throw new ConflictError('The flag is archived.', 'archived');
      return flag.enabled === enabled ? null : { enabled };
    });
  }

  async archive(ctx: ActionContext, id: string, ifMatch?: number): Promise<FlagView> {
    return this.change(ctx, id, 'feature_flag.archived', ifMatch, (flag) => {
      if (flag.archivedAt) throw new ConflictError('The flag is already archived.', 'archived');
      return { archivedAt: this.d.clock.now(), enabled: false };
    });
  }

  /** Enables or disables many flags in one transaction; answered per id. */
  async bulkSetEnabled(ctx: ActionContext, ids: string[], enabled: boolean): Promise<{ items: BulkItem[] }> {
    return this.d.uow.run(ctx, async (trx, afterCommit) => {
      const items: BulkItem[] = [];
      for (const id of [...new Set(ids)]) {
        try {
          const flag = await this.changeIn(
            trx,
            afterCommit,
            ctx,
            id,
            enabled ? 'feature_flag.enabled' : 'feature_flag.disabled',
            undefined,
            (f) => {
              if (f.archivedAt) throw new ConflictError('The flag is archived.', 'archived');
              return f.enabled === enabled ? null : { enabled };
            },
          );
          items.push({ id, status: 200, flag });
        } catch (err) {
          if (!(err instanceof NotFoundError || err instanceof ConflictError)) throw err;
          items.push({ id, status: err.status, error: { code: err.code, message: err.message } });
        }
      }
      return { items };
    });
  }

  private change(
    ctx: ActionContext,
    id: string,
    action: AuditAction,
    ifMatch: number | undefined,
    decide: (flag: FlagRow) => Partial<Pick<FlagRow, 'description' | 'tags' | 'enabled' | 'archivedAt'>> | null,
  ): Promise<FlagView> {
    return this.d.uow.run(ctx, (trx, afterCommit) => this.changeIn(trx, afterCommit, ctx, id, action, ifMatch, decide));
  }

  /** Lock, check version, decide, write, audit: the shape of every flag write. */
  private async changeIn(
    trx: Knex.Transaction,
    afterCommit: AfterCommit,
    ctx: ActionContext,
    id: string,
    action: AuditAction,
    ifMatch: number | undefined,
    decide: (flag: FlagRow) => Partial<Pick<FlagRow, 'description' | 'tags' | 'enabled' | 'archivedAt'>> | null,
  ): Promise<FlagView> {
    const before = await this.d.flags.findForUpdate(trx, ctx.tenantId, id);
    if (!before) throw new NotFoundError('Feature flag');
    assertVersion(before, ifMatch);
    const changes = decide(before);
    if (!changes) return toFlagView(before);
    const after = await this.d.flags.update(trx, ctx.tenantId, id, changes, this.d.clock.now());
    await this.d.audit.record(trx, ctx, {
      action,
      resourceType: 'feature_flag',
      resourceId: id,
      before: toFlagView(before),
      after: toFlagView(after),
    });
    for (const l of this.listeners) await l.onFlagChanged(trx, ctx, before, after, afterCommit);
    afterCommit(() => this.d.publishChange(ctx.tenantId));
    return toFlagView(after);
  }
}
