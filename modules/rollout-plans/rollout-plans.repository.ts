import type { Knex } from 'knex';
import type { Actor } from '../../core/actor';
import type { GuardEvidence } from '../../core/guard-gate';
import type { Guard, OnInsufficientData } from '../../core/guards';
import {
  ACTIVE_STATUSES,
  appliedPercent,
  type PauseReason,
  type PlanStatus,
  type Stage,
} from '../../core/rollout-plan';
import { newId, UUID_RE } from '../platform/ids';
import type { Cursors, Page } from '../platform/pagination';
import type { FailureReason, ListPlansQuery, PlanView, TransitionView } from './rollout-plans.schemas';

export interface PlanRow {
  id: string;
  tenantId: string;
  flagId: string;
  status: PlanStatus;
  stages: Stage[];
  stickiness: string;
  currentStage: number;
  startAt: Date | null;
  nextAdvanceAt: Date | null;
  rollbackPercent: number;
  pauseReason: PauseReason | null;
  lastFailure: FailureReason | null;
  attempts: number;
  createdBy: Actor;
  approvedBy: Actor | null;
  guards: Guard[];
  guardCheckSeconds: number;
  onInsufficientData: OnInsufficientData;
  maxHoldSeconds: number | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The plan with its flag's key, as lists and details show it. */
export type PlanWithKey = PlanRow & { flagKey: string };

/** What a state change may set on a plan, besides the version and timestamp the repository bumps. */
export type PlanChanges = Partial<
  Pick<
    PlanRow,
    | 'status'
    | 'currentStage'
    | 'nextAdvanceAt'
    | 'pauseReason'
    | 'lastFailure'
    | 'attempts'
    | 'approvedBy'
    | 'stages'
    | 'startAt'
    | 'stickiness'
    | 'rollbackPercent'
    | 'guards'
    | 'guardCheckSeconds'
    | 'onInsufficientData'
    | 'maxHoldSeconds'
  >
>;

export interface TransitionEntry {
  event: string;
  fromStatus: PlanStatus;
  toStatus: PlanStatus;
  fromStage: number;
  toStage: number;
  fromPercent: number | null;
  toPercent: number | null;
  actor: Actor;
  jobId: string | null;
  attempt: number | null;
  reason: string | null;
  evidence?: GuardEvidence | null;
  at: Date;
}

/** A plan the reconciler found due, across tenants. */
export type DuePlan = Pick<PlanRow, 'id' | 'tenantId' | 'flagId' | 'status' | 'currentStage' | 'nextAdvanceAt'>;

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

export const toPlanView = (r: PlanWithKey): PlanView => ({
  id: r.id,
  flagId: r.flagId,
  flagKey: r.flagKey,
  status: r.status,
  stages: r.stages,
  stickiness: r.stickiness,
  currentStage: r.currentStage,
  currentPercent: appliedPercent(r),
  startAt: iso(r.startAt),
  nextAdvanceAt: iso(r.nextAdvanceAt),
  rollbackPercent: r.rollbackPercent,
  pauseReason: r.pauseReason,
  lastFailure: r.lastFailure,
  attempts: r.attempts,
  createdBy: r.createdBy,
  approvedBy: r.approvedBy,
  guards: r.guards,
  guardCheckSeconds: r.guardCheckSeconds,
  onInsufficientData: r.onInsufficientData,
  maxHoldSeconds: r.maxHoldSeconds,
  version: r.version,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

/** jsonb columns must be serialised by hand: pg would send a JS array as a Postgres array. */
function toColumns(changes: PlanChanges): Record<string, unknown> {
  const out: Record<string, unknown> = { ...changes };
  for (const key of ['stages', 'lastFailure', 'approvedBy', 'guards'] as const) {
    if (key in changes) out[key] = changes[key] === null ? null : JSON.stringify(changes[key]);
  }
  return out;
}

const PLAN_COLUMNS = 'rollout_plans.*';

/**
 * Rollout plans and their transition log.
 *
 * Calling convention (every repository): a method a write calls takes the write's transaction as
 * its first parameter (or the database, when the same read also runs outside a write); a read only
 * made outside writes uses the repository's own connection.
 */
export class RolloutPlansRepository {
  constructor(
    private readonly db: Knex,
    private readonly cursors: Cursors,
  ) {}

  private withKey(db: Knex) {
    return db<PlanWithKey>('rollout_plans')
      .select(PLAN_COLUMNS, 'feature_flags.key as flagKey')
      .join('feature_flags', 'feature_flags.id', 'rollout_plans.flagId');
  }

  async find(db: Knex, tenantId: string, id: string): Promise<PlanWithKey | undefined> {
    if (!UUID_RE.test(id)) return undefined;
    return this.withKey(db).where({ 'rollout_plans.tenantId': tenantId, 'rollout_plans.id': id }).first();
  }

  async findForUpdate(trx: Knex, tenantId: string, id: string): Promise<PlanWithKey | undefined> {
    if (!UUID_RE.test(id)) return undefined;
    return this.withKey(trx)
      .where({ 'rollout_plans.tenantId': tenantId, 'rollout_plans.id': id })
      .forUpdate('rollout_plans')
      .first();
  }

  /**
   * The plan and its flag's switch, in one query that locks the flag row: the order every
   * plan write takes (flag, then plan), as the kill switch does.
   */
  async findLockingFlag(
    trx: Knex,
    tenantId: string,
    id: string,
  ): Promise<(PlanWithKey & { flagEnabled: boolean; flagArchivedAt: Date | null }) | undefined> {
    if (!UUID_RE.test(id)) return undefined;
    return this.withKey(trx)
      .select('feature_flags.enabled as flagEnabled', 'feature_flags.archivedAt as flagArchivedAt')
      .where({ 'rollout_plans.tenantId': tenantId, 'rollout_plans.id': id })
      .forUpdate('feature_flags')
      .first();
  }

  async findActiveForFlag(trx: Knex, tenantId: string, flagId: string): Promise<PlanWithKey | undefined> {
    return this.withKey(trx)
      .where({ 'rollout_plans.tenantId': tenantId, 'rollout_plans.flagId': flagId })
      .whereIn('rollout_plans.status', ACTIVE_STATUSES)
      .forUpdate('rollout_plans')
      .first();
  }

  async insert(trx: Knex, row: PlanRow): Promise<void> {
    await trx('rollout_plans').insert({ ...toColumns(row), createdBy: JSON.stringify(row.createdBy) });
  }

  /**
   * The conditional update every state change goes through: it applies only if the plan is
   * still in the status, stage and version it was read in. Undefined means someone else
   * (a duplicate job, a person) changed it first: the caller does nothing.
   */
  async applyChange(
    trx: Knex,
    expected: PlanWithKey,
    changes: PlanChanges,
    now: Date,
    transition?: TransitionEntry,
  ): Promise<PlanWithKey | undefined> {
    const update = trx<PlanRow>('rollout_plans')
      .where({
        tenantId: expected.tenantId,
        id: expected.id,
        status: expected.status,
        currentStage: expected.currentStage,
        version: expected.version,
      })
      .update({ ...toColumns(changes), updatedAt: now, version: trx.raw('version + 1') } as never)
      .returning('*');
    const [row] = transition
      ? await trx
          .with('updated', update)
          .with('transition', this.transitionFrom('updated', trx, expected, transition))
          .select('*')
          .from('updated')
      : await update;
    return row ? { ...(row as PlanRow), flagKey: expected.flagKey } : undefined;
  }

  /**
   * The transition row, inserted only when the plan's update (the CTE `source`) matched: one
   * round trip for both. The caller holds the plan's row, so the next sequence number is ours.
   */
  private transitionFrom(source: string, trx: Knex, plan: PlanWithKey, t: TransitionEntry): Knex.Raw {
    return trx.raw(
      `insert into rollout_transitions (id, tenant_id, plan_id, seq, event, from_status, to_status, from_stage, to_stage, from_percent, to_percent, actor, job_id, attempt, reason, evidence, at)
       select ?, ?, ?, (select coalesce(max(seq), 0) + 1 from rollout_transitions where plan_id = ?), ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?::jsonb, ? from ??`,
      [
        newId(),
        plan.tenantId,
        plan.id,
        plan.id,
        t.event,
        t.fromStatus,
        t.toStatus,
        t.fromStage,
        t.toStage,
        t.fromPercent,
        t.toPercent,
        JSON.stringify(t.actor),
        t.jobId,
        t.attempt,
        t.reason,
        t.evidence ? JSON.stringify(t.evidence) : null,
        t.at,
        source,
      ],
    );
  }

  async list(tenantId: string, f: ListPlansQuery): Promise<Page<PlanView>> {
    if (f.flagId !== undefined && !UUID_RE.test(f.flagId)) return { items: [], nextCursor: null };
    const q = this.withKey(this.db).where('rollout_plans.tenantId', tenantId);
    if (f.status) q.whereIn('rollout_plans.status', f.status);
    if (f.flagId !== undefined) q.where('rollout_plans.flagId', f.flagId);
    const list = `plans:${tenantId}`;
    const cursor = this.cursors.decode(list, f.cursor);
    if (cursor)
      q.whereRaw('(rollout_plans.created_at, rollout_plans.id) < (?::timestamptz, ?::uuid)', [cursor.v, cursor.id]);
    const rows = await q
      .orderBy([
        { column: 'rollout_plans.createdAt', order: 'desc' },
        { column: 'rollout_plans.id', order: 'desc' },
      ])
      .limit(f.limit + 1);
    return this.cursors.page(list, rows.map(toPlanView), f.limit, (p) => ({ v: p.createdAt, id: p.id }));
  }

  /** Plans whose next step is due at `now`, oldest first, in every tenant (the reconciler's query). */
  async listDueAcrossTenants(now: Date, limit: number): Promise<DuePlan[]> {
    return this.db<PlanRow>('rollout_plans')
      .select('id', 'tenantId', 'flagId', 'status', 'currentStage', 'nextAdvanceAt')
      .whereIn('status', ['scheduled', 'running'])
      .where('nextAdvanceAt', '<=', now)
      .orderBy('nextAdvanceAt')
      .limit(limit);
  }

  async transitions(tenantId: string, planId: string): Promise<TransitionView[]> {
    const rows: Array<TransitionEntry & { seq: number }> = await this.db('rollout_transitions')
      .select(
        'seq',
        'event',
        'fromStatus',
        'toStatus',
        'fromStage',
        'toStage',
        'fromPercent',
        'toPercent',
        'actor',
        'jobId',
        'attempt',
        'reason',
        'evidence',
        'at',
      )
      .where({ tenantId, planId })
      .orderBy('seq');
    return rows.map((r) => ({ ...r, evidence: r.evidence ?? null, at: r.at.toISOString() }));
  }
}
