import type { Container } from '../../modules/platform/container';
import { mulberry32, type Random } from './guard-simulation';

/**
 * Traffic for a guarded plan in a browser test: the exposures and tracking events the api would
 * have recorded from the SDKs, written straight into its tables, and the worker's guard check
 * run on them as the guard-check job runs it.
 */

/** Per unit of an arm: the chance it sends each share event, and the typical value of each mean event. */
export interface Behaviour {
  shares: Record<string, number>;
  means: Record<string, number>;
}

export class GuardTraffic {
  private readonly next = { treatment: 0, control: 0 };
  private readonly random: Random;
  private seq = 0;

  constructor(
    private readonly c: Container,
    private readonly tenantId: string,
    private readonly planId: string,
    seed = 13,
  ) {
    this.random = mulberry32(seed);
  }

  /** `count` new units arrive in `arm` of stage 0 and behave as `b` says. */
  async arrive(arm: 'treatment' | 'control', count: number, b: Behaviour): Promise<void> {
    const { planId, tenantId } = this;
    const base = { planId, stage: 0, tenantId };
    const exposures: object[] = [];
    const events: object[] = [];
    for (let i = 0; i < count; i++) {
      const unit = `${arm}-${this.next[arm]++}`;
      exposures.push({ ...base, unit, arm, firstSeenAt: new Date() });
      for (const [event, p] of Object.entries(b.shares))
        if (this.random() < p) events.push({ ...base, unit, event, events: 1, valueCount: 0, valueSum: 0 });
      for (const [event, typical] of Object.entries(b.means)) {
        const value = Math.round(typical * (0.55 + 0.9 * this.random()));
        events.push({ ...base, unit, event, events: 1, valueCount: 1, valueSum: value });
      }
    }
    for (const [table, rows] of [
      ['plan_exposures', exposures],
      ['plan_unit_events', events],
    ] as const) {
      for (let i = 0; i < rows.length; i += 1000) await this.c.db(table).insert(rows.slice(i, i + 1000));
    }
  }

  /** Arrivals at the stage's percentage split (`percent` of `units` in treatment), then one guard check. */
  async step(units: number, percent: number, treatment: Behaviour, control: Behaviour) {
    await this.arrive('treatment', Math.round((units * percent) / 100), treatment);
    await this.arrive('control', units - Math.round((units * percent) / 100), control);
    // thousands of rows at once, faster than autovacuum's analyze follows: without statistics the
    // planner takes the tables for empty and joins them in a nested loop that grows with the square
    await this.c.db.raw('analyze plan_exposures, plan_unit_events');
    this.seq += 1;
    return this.c.guardChecker.check(
      { tenantId: this.tenantId, planId: this.planId, stage: 0, seq: this.seq },
      `guard-${this.planId}-0-${this.seq}-e2e`,
    );
  }

  /**
   * The checks here ran back to back; their times are moved `everySeconds` apart, ending at the
   * latest, as the worker's would be, so the charts' time axis reads as it does in production.
   */
  async spreadChecks(everySeconds: number): Promise<void> {
    const db = this.c.db;
    const rows: Array<{ id: string; seq: number; checkedAt: Date; evidence: object }> = await db('plan_guard_checks')
      .where({ planId: this.planId })
      .select('id', 'seq', 'checkedAt', 'evidence');
    const last = Math.max(...rows.map((r) => r.seq));
    const end = Math.max(...rows.map((r) => r.checkedAt.getTime()));
    for (const r of rows) {
      const at = new Date(end - (last - r.seq) * everySeconds * 1000);
      await db('plan_guard_checks')
        .where({ id: r.id })
        .update({ checkedAt: at, evidence: JSON.stringify({ ...r.evidence, checkedAt: at.toISOString() }) });
    }
  }
}
