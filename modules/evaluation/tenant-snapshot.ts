import { murmur3 } from '../../core/bucketing';
import { compileFlag, segmentMap, type CompiledFlag, type EvaluationResult } from '../../core/evaluate';
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
}

/** A flag's OFREP evaluation answer (success or per-flag error), as JSON. */
export function ofrepAnswer(key: string, version: number, r: EvaluationResult): string {
  if (r.errorCode) return JSON.stringify({ key, errorCode: r.errorCode, errorDetails: r.errorDetails });
  return JSON.stringify({ key, value: r.value, reason: r.reason, variant: r.variant, metadata: { version } });
}

export function buildSnapshot(
  defs: TenantDefinitions,
  counter: (tenantId: string, flagId: string) => CountCell,
): TenantSnapshot {
  const segments = segmentMap(defs.segments);
  const flags = defs.flags.map((f): SnapshotFlag => {
    const compiled = compileFlag(f, f.rules, segments);
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
    };
  });
  const tag = murmur3(`${defs.tenantId}|${defs.fingerprint}`).toString(36);
  return {
    tenantId: defs.tenantId,
    fingerprint: defs.fingerprint,
    tag,
    flags,
    byKey: new Map(flags.map((f) => [f.key, f])),
  };
}
