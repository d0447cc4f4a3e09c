import type { Knex } from 'knex';
import type { Constraint } from '../../core/constraints';
import type { Rule } from '../../core/evaluate';
import { eventNamesOf, isGuardedStage, type Guard } from '../../core/guards';
import { ACTIVE_STATUSES, type Stage } from '../../core/rollout-plan';
import { toRule } from '../flags/rules.repository';

export interface FlagDefinitionRow {
  id: string;
  key: string;
  enabled: boolean;
  version: number;
  rules: Rule[];
}

export interface SegmentDefinition {
  id: string;
  name: string;
  constraints: Constraint[];
}

/** An active plan with guards whose current stage is guarded: its units' exposures and events are recorded. */
export interface GuardedPlanDefinition {
  id: string;
  flagId: string;
  stage: number;
  stickiness: string;
  /** The tracking event names its guards read. */
  events: string[];
}

/** Everything evaluation needs about one tenant, read at one point in time. */
export interface TenantDefinitions {
  tenantId: string;
  flags: FlagDefinitionRow[];
  segments: SegmentDefinition[];
  guardedPlans: GuardedPlanDefinition[];
  /** Changes whenever a flag, its rules, a segment or a rollout plan changes (versions only grow). */
  fingerprint: string;
}

// plans count with every change of status, stage or guards (each bumps the plan's version), so a pause or an abort
// reaches every process's snapshot even when it leaves the flag as it was
const FINGERPRINT = `
  (select count(*) || ':' || coalesce(sum(version), 0) from feature_flags f where f.tenant_id = t.id) || '/' ||
  (select count(*) || ':' || coalesce(sum(version), 0) from segments s where s.tenant_id = t.id) || '/' ||
  (select count(*) || ':' || coalesce(sum(version), 0) from rollout_plans p where p.tenant_id = t.id)`;

interface PlanGuardRow {
  id: string;
  flagId: string;
  currentStage: number;
  stickiness: string;
  stages: Stage[];
  guards: Guard[];
}

/**
 * Reads flags (not archived), their rules and active segments for evaluation.
 *
 * Calling convention (every repository): a method a write calls takes the write's transaction as
 * its first parameter (or the database, when the same read also runs outside a write); a read only
 * made outside writes uses the repository's own connection.
 */
export class DefinitionsRepository {
  constructor(private readonly db: Knex) {}

  async load(tenantId: string): Promise<TenantDefinitions> {
    return this.db.transaction(
      async (trx) => {
        const flags: Array<Omit<FlagDefinitionRow, 'rules'>> = await trx('feature_flags')
          .where({ tenantId })
          .whereNull('archivedAt')
          .orderBy('key')
          .select('id', 'key', 'enabled', 'version');
        const rules: Array<{ featureFlagId: string; kind: Rule['kind']; valueJson: Record<string, unknown> }> =
          await trx('feature_flag_rules as r')
            .join('feature_flags as f', 'f.id', 'r.featureFlagId')
            .where('r.tenantId', tenantId)
            .whereNull('f.archivedAt')
            .orderBy(['r.featureFlagId', 'r.position'])
            .select('r.featureFlagId', 'r.kind', 'r.valueJson');
        const segments: SegmentDefinition[] = await trx('segments')
          .where({ tenantId })
          .whereNull('archivedAt')
          .select('id', 'name', 'constraints');
        const plans: PlanGuardRow[] = await trx('rollout_plans')
          .where({ tenantId })
          .whereIn('status', ACTIVE_STATUSES)
          .whereRaw(`guards <> '[]'::jsonb`)
          .select('id', 'flagId', 'currentStage', 'stickiness', 'stages', 'guards');
        const { rows } = await trx.raw(`select ${FINGERPRINT} as fingerprint from (select ?::uuid as id) t`, [
          tenantId,
        ]);
        const byFlag = new Map<string, Rule[]>();
        for (const r of rules) {
          const list = byFlag.get(r.featureFlagId) ?? [];
          list.push(toRule(r));
          byFlag.set(r.featureFlagId, list);
        }
        return {
          tenantId,
          flags: flags.map((f) => ({ ...f, rules: byFlag.get(f.id) ?? [] })),
          segments,
          guardedPlans: plans
            .filter((p) => isGuardedStage(p, p.currentStage))
            .map((p) => ({
              id: p.id,
              flagId: p.flagId,
              stage: p.currentStage,
              stickiness: p.stickiness,
              events: eventNamesOf(p.guards),
            })),
          fingerprint: rows[0].fingerprint as string,
        };
      },
      { isolationLevel: 'repeatable read' },
    );
  }

  /** The current fingerprint of each tenant, in one query. */
  async fingerprints(tenantIds: string[]): Promise<Map<string, string>> {
    if (tenantIds.length === 0) return new Map();
    const { rows } = await this.db.raw(`select t.id, ${FINGERPRINT} as fingerprint from unnest(?::uuid[]) as t(id)`, [
      tenantIds,
    ]);
    return new Map((rows as Array<{ id: string; fingerprint: string }>).map((r) => [r.id, r.fingerprint]));
  }
}
