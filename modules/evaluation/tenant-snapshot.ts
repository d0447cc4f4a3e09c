import { murmur3 } from '../../core/bucketing';
import { compileFlag, segmentMap, type CompiledFlag, type EvaluationResult } from '../../core/evaluate';
import { compileArms, type CompiledArms } from '../../core/guard-arms';
import { trackTargetKey, type TrackTarget } from '../guards/event-recorder';
import type { ExposureCohort } from '../guards/exposure-recorder';
import type { CountCell } from './evaluation-counts';
import type { TenantDefinitions } from './definitions.repository';

export interface Answer {
  json: string;
  bytes: number;
  /** Its index among the flag's answers: bulk ETags hash these instead of the body. */
  id: number;
}

export interface SnapshotFlag {
  id: string;
  key: string;
  version: number;
  compiled: CompiledFlag;
  /** The OFREP answer for each of `compiled.results` (same index), serialized once when the snapshot is built. */
  answers: readonly Answer[];
  counter: CountCell;
  /** Only on a flag whose active plan is in a guarded stage: which arm an evaluation put its unit in, and where to record it. */
  exposure: FlagExposure | undefined;
}

export interface FlagExposure {
  arms: CompiledArms;
  cohort: ExposureCohort;
}

/** One tenant's flags, compiled and immutable; replaced whole when anything changes. */
export interface TenantSnapshot {
  tenantId: string;
  fingerprint: string;
  /** A short stable tag of the fingerprint, the first part of every bulk ETag. */
  tag: string;
  /** Sorted by key: the order of a bulk answer. */
  flags: readonly SnapshotFlag[];
  byKey: ReadonlyMap<string, SnapshotFlag>;
  /** Per tracking event name, the guarded plans (and their current stage) whose guards read it. */
  trackTargets: ReadonlyMap<string, readonly TrackTarget[]>;
}

/** Where a snapshot's guarded plans record their exposures (the process's recorder). */
export type CohortOf = (tenantId: string, planId: string, stage: number) => ExposureCohort;

/** A flag's OFREP evaluation answer (success or per-flag error), as JSON. */
export function ofrepAnswer(key: string, version: number, r: EvaluationResult): string {
  if (r.errorCode) return JSON.stringify({ key, errorCode: r.errorCode, errorDetails: r.errorDetails });
  return JSON.stringify({ key, value: r.value, reason: r.reason, variant: r.variant, metadata: { version } });
}

export function buildSnapshot(
  defs: TenantDefinitions,
  counter: (tenantId: string, flagId: string) => CountCell,
  cohortOf: CohortOf,
): TenantSnapshot {
  const segments = segmentMap(defs.segments);
  const plansByFlag = new Map(defs.guardedPlans.map((p) => [p.flagId, p]));
  const trackTargets = new Map<string, TrackTarget[]>();
  const flags = defs.flags.map((f): SnapshotFlag => {
    const compiled = compileFlag(f, f.rules, segments);
    const plan = plansByFlag.get(f.id);
    const planRule = plan ? f.rules.findIndex((r) => r.kind === 'percent' && r.planId === plan.id) : -1;
    let exposure: FlagExposure | undefined;
    if (plan && planRule >= 0) {
      exposure = {
        arms: compileArms(f, f.rules, segments, planRule, compiled),
        cohort: cohortOf(defs.tenantId, plan.id, plan.stage),
      };
      const target: TrackTarget = {
        tenantId: defs.tenantId,
        planId: plan.id,
        stage: plan.stage,
        stickiness: exposure.arms.stickiness,
        key: trackTargetKey(plan.id, plan.stage),
      };
      for (const event of plan.events) trackTargets.set(event, [...(trackTargets.get(event) ?? []), target]);
    }
    return {
      id: f.id,
      key: f.key,
      version: f.version,
      compiled,
      answers: compiled.results.map((r, id) => {
        const json = ofrepAnswer(f.key, f.version, r);
        return { json, bytes: Buffer.byteLength(json), id };
      }),
      counter: counter(defs.tenantId, f.id),
      // always present (undefined on most flags): one object shape keeps the bulk loop's property reads monomorphic
      exposure,
    };
  });
  const tag = murmur3(`${defs.tenantId}|${defs.fingerprint}`).toString(36);
  return {
    tenantId: defs.tenantId,
    fingerprint: defs.fingerprint,
    tag,
    flags,
    byKey: new Map(flags.map((f) => [f.key, f])),
    trackTargets,
  };
}
