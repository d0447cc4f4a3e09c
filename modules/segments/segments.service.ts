import type { Knex } from 'knex';
import type { AuditAction } from '../../core/audit-actions';
import type { Constraint } from '../../core/constraints';
import { ConflictError, NotFoundError } from '../../core/errors';
import type { AuditRepository } from '../audit/audit.repository';
import type { RulesRepository } from '../flags/rules.repository';
import type { Clock } from '../platform/clock';
import { newId } from '../platform/ids';
import { assertVersion } from '../platform/if-match';
import type { Page } from '../platform/pagination';
import type { ActionContext, UnitOfWork } from '../platform/unit-of-work';
import { toSegmentView, type SegmentChanges, type SegmentRow, type SegmentsRepository } from './segments.repository';
import type { ListSegmentsQuery, SegmentView } from './segments.schemas';

export interface SegmentDetail extends SegmentView {
  usedBy: Array<{ id: string; key: string }>;
}

/** Named, reusable sets of constraints that segment and percent rules refer to. */
export class SegmentsService {
  constructor(
    private readonly d: {
      db: Knex;
      uow: UnitOfWork;
      clock: Clock;
      segments: SegmentsRepository;
      rules: RulesRepository;
      audit: AuditRepository;
      publishChange: (tenantId: string) => Promise<void>;
    },
  ) {}

  list(tenantId: string, query: ListSegmentsQuery): Promise<Page<SegmentView>> {
    return this.d.segments.list(tenantId, query);
  }

  async get(tenantId: string, id: string): Promise<SegmentDetail> {
    const segment = await this.d.segments.find(tenantId, id);
    if (!segment) throw new NotFoundError('Segment');
    return { ...toSegmentView(segment), usedBy: await this.d.rules.flagsUsingSegment(this.d.db, tenantId, id) };
  }

  async create(
    ctx: ActionContext,
    input: { name: string; description: string; constraints: Constraint[] },
  ): Promise<SegmentView> {
    return this.d.uow.run(ctx, async (trx, afterCommit) => {
      if (await this.d.segments.activeNameTaken(trx, ctx.tenantId, input.name))
        throw new ConflictError(`A segment named "${input.name}" already exists in this tenant.`);
      const now = this.d.clock.now();
      const row: SegmentRow = {
        id: newId(),
        tenantId: ctx.tenantId,
        ...input,
        version: 1,
        archivedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      await this.d.segments.insert(trx, row);
      const view = toSegmentView(row);
      await this.d.audit.record(trx, ctx, {
        action: 'segment.created',
        resourceType: 'segment',
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
    changes: { name?: string; description?: string; constraints?: Constraint[] },
    ifMatch?: number,
  ): Promise<SegmentView> {
    return this.change(ctx, id, 'segment.updated', ifMatch, async (trx, segment) => {
      if (segment.archivedAt) throw new ConflictError('The segment is archived.', 'archived');
      if (changes.name !== undefined && (await this.d.segments.activeNameTaken(trx, ctx.tenantId, changes.name, id))) {
        throw new ConflictError(`A segment named "${changes.name}" already exists in this tenant.`);
      }
      return changes;
    });
  }

  /** Refused (409) while a rule of a flag that is not archived refers to the segment. */
  async archive(ctx: ActionContext, id: string, ifMatch?: number): Promise<SegmentView> {
    return this.change(ctx, id, 'segment.archived', ifMatch, async (trx, segment) => {
      if (segment.archivedAt) throw new ConflictError('The segment is already archived.', 'archived');
      const users = await this.d.rules.flagsUsingSegment(trx, ctx.tenantId, id);
      if (users.length > 0) {
        throw new ConflictError(
          `The segment is used by rules of ${users.map((f) => f.key).join(', ')}; remove those rules first.`,
          'in_use',
        );
      }
      return { archivedAt: this.d.clock.now() };
    });
  }

  /** Lock, check version, decide, write, audit, signal. */
  private change(
    ctx: ActionContext,
    id: string,
    action: AuditAction,
    ifMatch: number | undefined,
    decide: (trx: Knex.Transaction, segment: SegmentRow) => Promise<SegmentChanges>,
  ): Promise<SegmentView> {
    return this.d.uow.run(ctx, async (trx, afterCommit) => {
      const before = await this.d.segments.findForUpdate(trx, ctx.tenantId, id);
      if (!before) throw new NotFoundError('Segment');
      assertVersion(before, ifMatch);
      const changes = await decide(trx, before);
      const after = await this.d.segments.update(trx, ctx.tenantId, id, changes, this.d.clock.now());
      await this.d.audit.record(trx, ctx, {
        action,
        resourceType: 'segment',
        resourceId: id,
        before: toSegmentView(before),
        after: toSegmentView(after),
      });
      afterCommit(() => this.d.publishChange(ctx.tenantId));
      return toSegmentView(after);
    });
  }
}
