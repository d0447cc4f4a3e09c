import type { Knex } from 'knex';
import { NotFoundError } from '../../core/errors';
import type { Clock } from '../platform/clock';
import { newId, UUID_RE } from '../platform/ids';
import { isPlanOwned, type Rule } from './rules.schemas';

interface RuleRow {
  id: string;
  tenantId: string;
  featureFlagId: string;
  position: number;
  kind: Rule['kind'];
  valueJson: Record<string, unknown>;
  createdAt: Date;
}

const TABLE = 'feature_flag_rules';

export const toRule = (r: Pick<RuleRow, 'kind' | 'valueJson'>): Rule => ({ kind: r.kind, ...r.valueJson }) as Rule;

function valueOf(rule: Rule): string {
  const { kind: _kind, ...value } = rule;
  return JSON.stringify(value);
}

/**
 * A flag's ordered targeting rules. Every change also bumps the flag's version and
 * `updated_at`: a rules change is a flag change (ETags and evaluation snapshots move).
 * Callers record the audit event and publish the change signal after commit.
 *
 * Calling convention (every repository): a method a write calls takes the write's transaction as
 * its first parameter (or the database, when the same read also runs outside a write); a read only
 * made outside writes uses the repository's own connection.
 */
export class RulesRepository {
  constructor(private readonly clock: Clock) {}

  async list(db: Knex, tenantId: string, flagId: string): Promise<Rule[]> {
    if (!UUID_RE.test(flagId)) return [];
    const rows: RuleRow[] = await db(TABLE).where({ tenantId, featureFlagId: flagId }).orderBy('position');
    return rows.map(toRule);
  }

  /** Replaces the rules that no rollout plan owns; plan-owned rules stay, after them. */
  async replace(trx: Knex, tenantId: string, flagId: string, rules: Rule[]): Promise<void> {
    if (rules.some(isPlanOwned)) throw new Error('RulesRepository.replace takes rules without planId');
    await this.lockFlag(trx, tenantId, flagId);
    const owned: RuleRow[] = await trx(TABLE)
      .where({ tenantId, featureFlagId: flagId })
      .whereRaw(`value_json \\? 'planId'`)
      .orderBy('position');
    await trx(TABLE).where({ tenantId, featureFlagId: flagId }).delete();
    const now = this.clock.now();
    const rows = [
      ...rules.map((r) => ({ id: newId(), kind: r.kind, valueJson: valueOf(r), createdAt: now })),
      ...owned.map((r) => ({ id: r.id, kind: r.kind, valueJson: JSON.stringify(r.valueJson), createdAt: r.createdAt })),
    ].map((r, position) => ({ ...r, tenantId, featureFlagId: flagId, position }));
    if (rows.length > 0) await trx(TABLE).insert(rows);
    await this.bumpFlag(trx, tenantId, flagId);
  }

  /** Sets the percent of the rule `planId` owns, adding it last if absent. */
  async upsertPlanRule(
    trx: Knex,
    tenantId: string,
    flagId: string,
    planId: string,
    rule: { percent: number; stickiness: string },
  ): Promise<{ before: number | null; after: number }> {
    await this.lockFlag(trx, tenantId, flagId);
    const row = await this.findPlanRule(trx, tenantId, flagId, planId);
    if (row) {
      const before = row.valueJson.percent as number;
      if (before === rule.percent && row.valueJson.stickiness === rule.stickiness)
        return { before, after: rule.percent };
      await trx(TABLE)
        .where({ id: row.id })
        .update({
          valueJson: JSON.stringify({ ...row.valueJson, percent: rule.percent, stickiness: rule.stickiness }),
        });
      await this.bumpFlag(trx, tenantId, flagId);
      return { before, after: rule.percent };
    }
    const [{ next }] = await trx(TABLE)
      .where({ featureFlagId: flagId })
      .select(trx.raw('coalesce(max(position) + 1, 0) as next'));
    await trx(TABLE).insert({
      id: newId(),
      tenantId,
      featureFlagId: flagId,
      position: next,
      kind: 'percent',
      valueJson: valueOf({ kind: 'percent', percent: rule.percent, stickiness: rule.stickiness, planId }),
      createdAt: this.clock.now(),
    });
    await this.bumpFlag(trx, tenantId, flagId);
    return { before: null, after: rule.percent };
  }

  /** The plan ended: its rule stays as an ordinary percent rule. */
  async releasePlanRule(trx: Knex, tenantId: string, flagId: string, planId: string): Promise<void> {
    await this.lockFlag(trx, tenantId, flagId);
    const row = await this.findPlanRule(trx, tenantId, flagId, planId);
    if (!row) return;
    const { planId: _planId, ...value } = row.valueJson;
    await trx(TABLE)
      .where({ id: row.id })
      .update({ valueJson: JSON.stringify(value) });
    await this.bumpFlag(trx, tenantId, flagId);
  }

  /** Flags (not archived) with a rule that refers to the segment. */
  async flagsUsingSegment(db: Knex, tenantId: string, segmentId: string): Promise<Array<{ id: string; key: string }>> {
    return db(`${TABLE} as r`)
      .join('feature_flags as f', 'f.id', 'r.featureFlagId')
      .where('r.tenantId', tenantId)
      .whereNull('f.archivedAt')
      .whereRaw(`r.value_json->>'segmentId' = ?`, [segmentId])
      .distinct('f.id', 'f.key')
      .orderBy('f.key');
  }

  private async findPlanRule(
    trx: Knex,
    tenantId: string,
    flagId: string,
    planId: string,
  ): Promise<RuleRow | undefined> {
    return trx(TABLE)
      .where({ tenantId, featureFlagId: flagId })
      .whereRaw(`value_json->>'planId' = ?`, [planId])
      .first();
  }

  private async lockFlag(trx: Knex, tenantId: string, flagId: string): Promise<void> {
    const flag = UUID_RE.test(flagId)
      ? await trx('feature_flags').where({ tenantId, id: flagId }).forUpdate().first('id')
      : undefined;
    if (!flag) throw new NotFoundError('Feature flag');
  }

  private async bumpFlag(trx: Knex, tenantId: string, flagId: string): Promise<void> {
    await trx('feature_flags')
      .where({ tenantId, id: flagId })
      .update({ version: trx.raw('version + 1'), updatedAt: this.clock.now() });
  }
}
