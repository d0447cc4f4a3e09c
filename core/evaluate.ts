import { bucketer, thresholdOf } from './bucketing';
import {
  attributeOf,
  compileConstraint,
  type Constraint,
  type ConstraintCheck,
  type EvaluationContext,
} from './constraints';

export type { EvaluationContext };

/** A targeting rule of a flag (see the glossary). `planId` marks a percent rule owned by a rollout plan. */
export type Rule =
  | { kind: 'tenant'; tenantIds: string[] }
  | { kind: 'segment'; segmentId: string }
  | { kind: 'percent'; percent: number; stickiness?: string; groupId?: string; segmentId?: string; planId?: string };

export interface Segment {
  id: string;
  constraints: Constraint[];
}

export interface FlagDefinition {
  key: string;
  enabled: boolean;
}

/** OpenFeature reasons; `ERROR` comes with an error code. */
export type Reason = 'DISABLED' | 'STATIC' | 'TARGETING_MATCH' | 'SPLIT' | 'DEFAULT' | 'ERROR';
export type EvaluationErrorCode = 'TARGETING_KEY_MISSING' | 'INVALID_CONTEXT';

export interface EvaluationResult {
  readonly value: boolean;
  readonly reason: Reason;
  readonly variant: 'on' | 'off';
  /** The rule that matched (0-based), or the percent rule that could not be evaluated; else null. */
  readonly ruleIndex: number | null;
  readonly errorCode?: EvaluationErrorCode;
  readonly errorDetails?: string;
}

/** How one rule fared, for the playground's "why". Rules after the matching one are not evaluated. */
export interface RuleTrace {
  index: number;
  kind: Rule['kind'];
  outcome: 'match' | 'no_match' | 'missing_attribute';
  segmentMatched?: boolean;
  stickiness?: string;
  bucket?: number;
  threshold?: number;
}

export interface CompiledFlag {
  readonly key: string;
  /** Every result the flag can give; `evaluate` returns one of these very objects. */
  readonly results: readonly EvaluationResult[];
  evaluate(context: EvaluationContext, trace?: RuleTrace[]): EvaluationResult;
  /** The index in `results` of what `evaluate` would return, so callers can prepare an answer per result. */
  resultIndex(context: EvaluationContext): number;
}

const enum Outcome {
  NoMatch,
  Match,
  /** A percent rule was evaluated and the context is outside it. */
  Outside,
  Missing,
}

type RuleCheck = (context: EvaluationContext, trace: RuleTrace[] | undefined) => Outcome;

const result = (
  value: boolean,
  reason: Reason,
  ruleIndex: number | null,
  error?: { errorCode: EvaluationErrorCode; errorDetails: string },
): EvaluationResult => Object.freeze({ value, reason, variant: value ? 'on' : 'off', ruleIndex, ...error });

const DISABLED = result(false, 'DISABLED', null);
const STATIC = result(true, 'STATIC', null);
const DEFAULT = result(false, 'DEFAULT', null);
const SPLIT_OFF = result(false, 'SPLIT', null);

const never: ConstraintCheck = () => false;

/** A segment's constraints as one check (all must hold); an unknown segment never matches. */
export function compileSegment(segmentId: string, segments: ReadonlyMap<string, Segment>): ConstraintCheck {
  const segment = segments.get(segmentId);
  if (!segment) return never;
  const checks = segment.constraints.map(compileConstraint);
  return (ctx) => {
    for (let i = 0; i < checks.length; i++) if (!checks[i](ctx)) return false;
    return true;
  };
}

function compileRule(flagKey: string, rule: Rule, index: number, segments: ReadonlyMap<string, Segment>): RuleCheck {
  // callers build `extra` only when tracing (`trace && {…}`): the hot path allocates nothing
  const record = (trace: RuleTrace[] | undefined, outcome: Outcome, extra?: Partial<RuleTrace>) => {
    trace?.push({
      index,
      kind: rule.kind,
      outcome: outcome === Outcome.Match ? 'match' : outcome === Outcome.Missing ? 'missing_attribute' : 'no_match',
      ...extra,
    });
    return outcome;
  };
  switch (rule.kind) {
    case 'tenant': {
      const ids = new Set(rule.tenantIds);
      return (ctx, trace) => {
        const tenant = attributeOf(ctx, 'tenantId');
        return record(trace, tenant !== undefined && ids.has(String(tenant)) ? Outcome.Match : Outcome.NoMatch);
      };
    }
    case 'segment': {
      const matches = compileSegment(rule.segmentId, segments);
      return (ctx, trace) => {
        const matched = matches(ctx);
        return record(trace, matched ? Outcome.Match : Outcome.NoMatch, trace && { segmentMatched: matched });
      };
    }
    case 'percent': {
      const inSegment = rule.segmentId === undefined ? undefined : compileSegment(rule.segmentId, segments);
      const stickiness = rule.stickiness ?? 'targetingKey';
      const bucketOf = bucketer(rule.groupId ?? flagKey);
      const threshold = thresholdOf(rule.percent);
      return (ctx, trace) => {
        if (inSegment && !inSegment(ctx)) return record(trace, Outcome.NoMatch, trace && { segmentMatched: false });
        const segmentMatched = inSegment ? true : undefined;
        const value = attributeOf(ctx, stickiness);
        if (value === undefined || value === '')
          return record(trace, Outcome.Missing, trace && { segmentMatched, stickiness });
        const bucket = bucketOf(typeof value === 'string' ? value : String(value));
        return record(
          trace,
          bucket < threshold ? Outcome.Match : Outcome.Outside,
          trace && { segmentMatched, stickiness, bucket, threshold },
        );
      };
    }
  }
}

function missingResult(rule: Rule, index: number): EvaluationResult {
  const stickiness = (rule.kind === 'percent' && rule.stickiness) || 'targetingKey';
  return stickiness === 'targetingKey'
    ? result(false, 'ERROR', index, {
        errorCode: 'TARGETING_KEY_MISSING',
        errorDetails: `rules[${index}] (percent) needs the context's targetingKey.`,
      })
    : result(false, 'ERROR', index, {
        errorCode: 'INVALID_CONTEXT',
        errorDetails: `rules[${index}] (percent) needs the context attribute "${stickiness}".`,
      });
}

/**
 * Prepares a flag for repeated evaluation. A disabled flag is off (the kill switch); an enabled
 * flag with no rules is on; otherwise the first matching rule turns it on. When no rule matches
 * and a percent rule could not be evaluated (its stickiness attribute is missing), the answer
 * is that error, since the rule might have matched.
 */
export function compileFlag(
  flag: FlagDefinition,
  rules: readonly Rule[],
  segments: ReadonlyMap<string, Segment>,
): CompiledFlag {
  const results: EvaluationResult[] = [];
  const slot = (r: EvaluationResult) => results.push(r) - 1;
  let decide: (context: EvaluationContext, trace?: RuleTrace[]) => number;
  if (!flag.enabled || rules.length === 0) {
    const only = slot(flag.enabled ? STATIC : DISABLED);
    decide = () => only;
  } else {
    const checks = rules.map((rule, i) => compileRule(flag.key, rule, i, segments));
    const matched = rules.map((rule, i) =>
      slot(result(true, rule.kind === 'percent' ? 'SPLIT' : 'TARGETING_MATCH', i)),
    );
    const missing = rules.map((rule, i) => (rule.kind === 'percent' ? slot(missingResult(rule, i)) : -1));
    const none = slot(DEFAULT);
    const outsideAll = rules.some((r) => r.kind === 'percent') ? slot(SPLIT_OFF) : none;
    const [only] = checks;
    // one rule (the usual case, e.g. a rollout): no loop and no bookkeeping
    decide =
      checks.length === 1
        ? (context, trace) => {
            const outcome = only(context, trace);
            return outcome === Outcome.Match
              ? matched[0]
              : outcome === Outcome.Outside
                ? outsideAll
                : outcome === Outcome.Missing
                  ? missing[0]
                  : none;
          }
        : (context, trace) => {
            let outside = false;
            let error = -1;
            for (let i = 0; i < checks.length; i++) {
              const outcome = checks[i](context, trace);
              if (outcome === Outcome.Match) return matched[i];
              if (outcome === Outcome.Outside) outside = true;
              else if (outcome === Outcome.Missing && error < 0) error = missing[i];
            }
            return error >= 0 ? error : outside ? outsideAll : none;
          };
  }
  return { key: flag.key, results, evaluate: (context, trace) => results[decide(context, trace)], resultIndex: decide };
}

export const segmentMap = (segments: readonly Segment[]): ReadonlyMap<string, Segment> =>
  new Map(segments.map((s) => [s.id, s]));

/** Evaluates one flag for one context. */
export function evaluate(
  flag: FlagDefinition,
  rules: readonly Rule[],
  segments: readonly Segment[],
  context: EvaluationContext,
): EvaluationResult {
  return compileFlag(flag, rules, segmentMap(segments)).evaluate(context);
}

/** Evaluates and says why: how each evaluated rule fared, with the bucket of percent rules. */
export function explain(
  flag: FlagDefinition,
  rules: readonly Rule[],
  segments: readonly Segment[],
  context: EvaluationContext,
): EvaluationResult & { trace: RuleTrace[] } {
  const trace: RuleTrace[] = [];
  return { ...compileFlag(flag, rules, segmentMap(segments)).evaluate(context, trace), trace };
}
