import type { Knex } from 'knex';
import { isDeepStrictEqual } from 'node:util';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors';
import type { AuditRepository } from '../audit/audit.repository';
import { assertVersion } from '../platform/if-match';
import type { ActionContext, UnitOfWork } from '../platform/unit-of-work';
import type { SegmentsRepository } from '../segments/segments.repository';
import type { FlagRow, FlagsRepository } from './flags.repository';
import type { RulesRepository } from './rules.repository';
import { isPlanOwned, type Rule, type RulesView } from './rules.schemas';

const view = (flag: FlagRow, rules: Rule[]): RulesView => ({
  flagId: flag.id,
  flagKey: flag.key,
  version: flag.version,
  rules,
});

/** A flag's targeting rules as one ordered list, replaced whole (PUT). */
export class RulesService {
  constructor(
    private readonly d: {
      db: Knex;
      uow: UnitOfWork;
      flags: FlagsRepository;
      rules: RulesRepository;
      segments: SegmentsRepository;
      audit: AuditRepository;
      publishChange: (tenantId: string) => Promise<void>;
    },
  ) {}

  async get(tenantId: string, flagId: string): Promise<RulesView> {
    const flag = await this.d.flags.find(tenantId, flagId);
    if (!flag) throw new NotFoundError('Feature flag');
    return view(flag, await this.d.rules.list(this.d.db, tenantId, flagId));
  }

  /**
   * Replaces the rules no rollout plan owns (plan-owned rules stay, after them). Replacing
   * the list with an equal one changes nothing and records nothing.
   */
  async replace(ctx: ActionContext, flagId: string, rules: Rule[], ifMatch?: number): Promise<RulesView> {
    return this.d.uow.run(ctx, async (trx, afterCommit) => {
      const flag = await this.d.flags.findForUpdate(trx, ctx.tenantId, flagId);
      if (!flag) throw new NotFoundError('Feature flag');
      assertVersion(flag, ifMatch);
      if (flag.archivedAt) throw new ConflictError('The flag is archived.', 'archived');
      await this.assertSegmentsExist(trx, ctx.tenantId, rules);
      const before = await this.d.rules.list(trx, ctx.tenantId, flagId);
      if (
        isDeepStrictEqual(
          before.filter((r) => !isPlanOwned(r)),
          rules,
        )
      )
        return view(flag, before);
      await this.d.rules.replace(trx, ctx.tenantId, flagId, rules);
      const after = await this.d.rules.list(trx, ctx.tenantId, flagId);
      const updated = (await this.d.flags.findForUpdate(trx, ctx.tenantId, flagId))!;
      await this.d.audit.record(trx, ctx, {
        action: 'feature_flag.rules_replaced',
        resourceType: 'feature_flag',
        resourceId: flagId,
        before: { version: flag.version, rules: before },
        after: { version: updated.version, rules: after },
      });
      afterCommit(() => this.d.publishChange(ctx.tenantId));
      return view(updated, after);
    });
  }

  /** Every referenced segment must be an active segment of this tenant; they are locked against archiving. */
  private async assertSegmentsExist(trx: Knex, tenantId: string, rules: Rule[]): Promise<void> {
    const refs = rules.flatMap((r, i) =>
      r.kind !== 'tenant' && r.segmentId !== undefined ? [{ i, id: r.segmentId }] : [],
    );
    const found = await this.d.segments.lockActive(trx, tenantId, [...new Set(refs.map((r) => r.id))]);
    const missing = refs.filter((r) => !found.has(r.id));
    if (missing.length > 0) {
      throw new ValidationError(
        'Request body is invalid.',
        missing.map((r) => ({ path: `rules[${r.i}].segmentId`, message: 'is not an active segment of this tenant' })),
      );
    }
  }
}
