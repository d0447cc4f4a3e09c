import type { Knex } from 'knex';
import type { Constraint } from '../../core/constraints';
import type { Rule } from '../../core/evaluate';
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

/** Everything evaluation needs about one tenant, read at one point in time. */
export interface TenantDefinitions {
  tenantId: string;
  flags: FlagDefinitionRow[];
  segments: SegmentDefinition[];
  /** Changes whenever a flag, its rules or a segment changes (versions only grow). */
  fingerprint: string;
}

const FINGERPRINT = `
  (select count(*) || ':' || coalesce(sum(version), 0) from feature_flags f where f.tenant_id = t.id) || '/' ||
  (select count(*) || ':' || coalesce(sum(version), 0) from segments s where s.tenant_id = t.id)`;

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
