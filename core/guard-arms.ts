import { attributeOf, type EvaluationContext } from './constraints';
import {
  compileFlag,
  compileSegment,
  type CompiledFlag,
  type FlagDefinition,
  type Rule,
  type Segment,
} from './evaluate';
import type { Arm } from './guards';

/**
 * Which arm of a guarded rollout a context belongs to (see the glossary's "arm"), from the
 * flag's compiled evaluation itself, so the two cannot disagree:
 *
 * - `treatment`: the flag is served on by the plan's percent rule;
 * - `control`: the flag is off (no rule matched, none failed) while the plan rule's segment
 *   matched, so the rule was decided by the unit's bucket, which fell outside the percent;
 * - null: another rule served the flag, the kill switch is on, the plan rule's segment did not
 *   match, or the stickiness attribute is missing (the evaluation is then an error anyway).
 *
 * Deterministic: the arm is a function of the context (and the snapshot) alone, so the arm of
 * a tracking event can be known without having seen its evaluation.
 */

export interface ArmAssignment {
  arm: Arm;
  /** The plan's stickiness value, as text: what exposures and events are keyed by. */
  unit: string;
}

/** Longer stickiness values are no unit of any arm: a per-process "already recorded" set must stay small. */
export const MAX_UNIT_LENGTH = 256;

/** The unit a context is for a stickiness attribute, as text the way bucketing reads it; undefined when missing or too long. */
export function unitOf(context: EvaluationContext, stickiness: string): string | undefined {
  const value = attributeOf(context, stickiness);
  if (value === undefined || value === '') return undefined;
  const unit = typeof value === 'string' ? value : String(value);
  return unit.length <= MAX_UNIT_LENGTH ? unit : undefined;
}

export interface CompiledArms {
  (context: EvaluationContext): ArmAssignment | null;
  /** The same, given `compiled.resultIndex(context)` already computed (the OFREP handler evaluates once). */
  ofResult(context: EvaluationContext, resultIndex: number): ArmAssignment | null;
  readonly stickiness: string;
}

const enum Kind {
  None,
  Treatment,
  /** The flag is off after every percent rule it has was decided or skipped: control if the plan rule's segment matched. */
  MaybeControl,
}

/**
 * Prepares arm assignment for the flag whose rule `rules[planRuleIndex]` is the plan's percent
 * rule. Pass the flag's compiled evaluation when there is one (the snapshot has), so its result
 * indexes are the ones `ofResult` is given.
 */
export function compileArms(
  flag: FlagDefinition,
  rules: readonly Rule[],
  segments: ReadonlyMap<string, Segment>,
  planRuleIndex: number,
  compiled: CompiledFlag = compileFlag(flag, rules, segments),
): CompiledArms {
  const rule = rules[planRuleIndex];
  if (rule?.kind !== 'percent') throw new Error(`rules[${planRuleIndex}] is not a percent rule`);
  const stickiness = rule.stickiness ?? 'targetingKey';
  const inSegment = rule.segmentId === undefined ? undefined : compileSegment(rule.segmentId, segments);
  // an off answer without an error and with reason SPLIT: every rule was evaluated, none matched, none lacked its attribute
  const kinds = compiled.results.map((r): Kind => {
    if (r.errorCode) return Kind.None;
    if (r.value && r.ruleIndex === planRuleIndex) return Kind.Treatment;
    if (!r.value && r.reason === 'SPLIT') return Kind.MaybeControl;
    return Kind.None;
  });
  const ofResult = (context: EvaluationContext, resultIndex: number): ArmAssignment | null => {
    const kind = kinds[resultIndex];
    if (kind === Kind.None || kind === undefined) return null;
    const unit = unitOf(context, stickiness);
    if (unit === undefined) return null;
    if (kind === Kind.Treatment) return { arm: 'treatment', unit };
    // the plan rule did not match: its segment failed (no arm), or its bucket was outside the percent (control)
    return inSegment && !inSegment(context) ? null : { arm: 'control', unit };
  };
  const arms = (context: EvaluationContext) => ofResult(context, compiled.resultIndex(context));
  return Object.assign(arms, { ofResult, stickiness });
}
