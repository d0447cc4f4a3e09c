import { attributeOf, compileConstraint, type Constraint, type EvaluationContext } from '../../core/constraints';
import { explain, type EvaluationResult, type Rule, type RuleTrace } from '../../core/evaluate';
import { NotFoundError } from '../../core/errors';
import type { DefinitionsRepository, SegmentDefinition } from './definitions.repository';

export interface ConstraintExplanation extends Constraint {
  actual: string | number | boolean | null;
  holds: boolean;
}

export interface RuleExplanation extends Partial<Omit<RuleTrace, 'outcome'>> {
  index: number;
  rule: Rule;
  outcome: RuleTrace['outcome'] | 'not_evaluated';
  segment?: { id: string; name: string | null; matched: boolean; constraints: ConstraintExplanation[] };
}

export type FlagExplanation = EvaluationResult & {
  flagId: string;
  key: string;
  enabled: boolean;
  version: number;
  rules: RuleExplanation[];
};

function explainSegment(
  id: string,
  segments: ReadonlyMap<string, SegmentDefinition>,
  context: EvaluationContext,
): RuleExplanation['segment'] {
  const segment = segments.get(id);
  const constraints = (segment?.constraints ?? []).map((c) => ({
    ...c,
    actual: attributeOf(context, c.attribute) ?? null,
    holds: compileConstraint(c)(context),
  }));
  return {
    id,
    name: segment?.name ?? null,
    matched: segment !== undefined && constraints.every((c) => c.holds),
    constraints,
  };
}

/**
 * "Why does merchant X see this?": evaluates flags for a context against the database's
 * current definitions and says which rule matched, each percent rule's bucket, and how each
 * constraint of a segment fared.
 */
export class PlaygroundService {
  constructor(private readonly d: { definitions: DefinitionsRepository }) {}

  async explain(tenantId: string, context: EvaluationContext, flagKey?: string): Promise<{ items: FlagExplanation[] }> {
    const defs = await this.d.definitions.load(tenantId);
    const flags = flagKey === undefined ? defs.flags : defs.flags.filter((f) => f.key === flagKey);
    if (flagKey !== undefined && flags.length === 0) throw new NotFoundError('Feature flag');
    const segments = new Map(defs.segments.map((s) => [s.id, s]));
    const items = flags.map((f): FlagExplanation => {
      const { trace, ...result } = explain(f, f.rules, defs.segments, context);
      const rules = f.rules.map((rule, index): RuleExplanation => {
        const { outcome = 'not_evaluated', ...details } = trace.find((t) => t.index === index) ?? {};
        const segmentId = rule.kind === 'tenant' ? undefined : rule.segmentId;
        return {
          ...details,
          index,
          rule,
          outcome,
          ...(segmentId && outcome !== 'not_evaluated'
            ? { segment: explainSegment(segmentId, segments, context) }
            : {}),
        };
      });
      return { flagId: f.id, key: f.key, enabled: f.enabled, version: f.version, ...result, rules };
    });
    return { items };
  }
}
