import type { Knex } from 'knex';
import type { GuardEvidence } from '../../core/guard-gate';
import type { GuardVerdictName } from '../../core/guards';
import { newId } from '../platform/ids';

export type StoredCheck = GuardEvidence & { seq: number };

/**
 * Every guard check, one row per guard per check (`guard` -1 is the sample-ratio check), keyed
 * by (plan, stage, seq, guard): a check that runs twice (a repeated or late job) inserts nothing
 * the second time, and so decides nothing twice.
 *
 * Calling convention (every repository): a method a write calls takes the write's transaction as
 * its first parameter; a read only made outside writes uses the repository's own connection.
 */
export class GuardChecksRepository {
  constructor(private readonly db: Knex) {}

  /** Inserts one check's rows; false when this check (plan, stage, seq) was stored already. */
  async insert(
    trx: Knex,
    tenantId: string,
    planId: string,
    seq: number,
    checks: readonly GuardEvidence[],
    at: Date,
  ): Promise<boolean> {
    const rows = checks.map((e) => ({
      id: newId(),
      tenantId,
      planId,
      stage: e.stage,
      seq,
      guard: e.guard,
      verdict: e.verdict,
      evidence: JSON.stringify(e),
      checkedAt: at,
    }));
    const inserted = await trx('plan_guard_checks')
      .insert(rows)
      .onConflict(['planId', 'stage', 'seq', 'guard'])
      .ignore()
      .returning('id');
    return inserted.length > 0;
  }

  /** The number the next check of this stage takes. */
  async nextSeq(db: Knex, planId: string, stage: number): Promise<number> {
    const row = await db('plan_guard_checks').where({ planId, stage }).max({ seq: 'seq' }).first();
    return (row?.seq ?? 0) + 1;
  }

  /** Per guard index (and -1), the latest check of the stage. */
  async latest(db: Knex, planId: string, stage: number): Promise<Map<number, StoredCheck>> {
    const rows: Array<{ guard: number; seq: number; evidence: GuardEvidence }> = await db('plan_guard_checks')
      .distinctOn('guard')
      .where({ planId, stage })
      .orderBy([{ column: 'guard' }, { column: 'seq', order: 'desc' }])
      .select('guard', 'seq', 'evidence');
    return new Map(rows.map((r) => [r.guard, { ...r.evidence, seq: r.seq }]));
  }

  /** Per guard, how many of its latest checks in a row were inconclusive (this stage, looking back `window` checks). */
  async inconclusiveStreaks(
    trx: Knex,
    planId: string,
    stage: number,
    guards: number,
    window: number,
  ): Promise<number[]> {
    const rows: Array<{ guard: number; verdict: GuardVerdictName }> = await trx('plan_guard_checks')
      .where({ planId, stage })
      .where('guard', '>=', 0)
      .whereRaw('seq > (select max(seq) from plan_guard_checks where plan_id = ? and stage = ?) - ?', [
        planId,
        stage,
        window,
      ])
      .orderBy([{ column: 'guard' }, { column: 'seq', order: 'desc' }])
      .select('guard', 'verdict');
    const streaks = Array.from({ length: guards }, () => 0);
    const broken = new Set<number>();
    for (const r of rows) {
      if (broken.has(r.guard)) continue;
      if (r.verdict === 'inconclusive') streaks[r.guard]++;
      else broken.add(r.guard);
    }
    return streaks;
  }

  /** The stage's checks in order, for the plan page's charts (the latest `limit`). */
  async list(planId: string, stage: number, limit = 500): Promise<StoredCheck[]> {
    const rows: Array<{ seq: number; evidence: GuardEvidence }> = await this.db('plan_guard_checks')
      .where({ planId, stage })
      .orderBy([
        { column: 'seq', order: 'desc' },
        { column: 'guard', order: 'desc' },
      ])
      .limit(limit)
      .select('seq', 'evidence');
    return rows.reverse().map((r) => ({ ...r.evidence, seq: r.seq }));
  }

  /**
   * Watched plans (running or awaiting approval, with guards) whose current stage has had no check
   * for three check intervals plus `graceMs`: their chain of check jobs was lost.
   */
  async stalledPlans(now: Date, graceMs: number, limit: number): Promise<Array<{ tenantId: string; id: string }>> {
    const { rows } = await this.db.raw(
      `select p.tenant_id as "tenantId", p.id
         from rollout_plans p
        where p.status in ('running', 'awaiting_approval') and jsonb_array_length(p.guards) > 0
          and coalesce((select max(c.checked_at) from plan_guard_checks c where c.plan_id = p.id and c.stage = p.current_stage), p.updated_at)
              < ?::timestamptz - make_interval(secs => 3 * p.guard_check_seconds + ?::double precision / 1000)
        order by p.updated_at
        limit ?`,
      [now, graceMs, limit],
    );
    return rows;
  }

  /** Checks of plans that ended before `cutoff` (the cleanup job). */
  async pruneEndedBefore(db: Knex, cutoff: Date): Promise<number> {
    return db('plan_guard_checks')
      .whereIn(
        'planId',
        db('rollout_plans').select('id').whereIn('status', ['completed', 'aborted']).where('updatedAt', '<', cutoff),
      )
      .del();
  }
}
