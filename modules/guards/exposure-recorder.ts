import type { Knex } from 'knex';
import type { Arm } from '../../core/guards';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import { FlushLoop } from './flush-loop';

/** One guarded plan's stage, as the evaluation snapshot holds it: the units this process has recorded for it. */
export interface ExposureCohort {
  readonly tenantId: string;
  readonly planId: string;
  readonly stage: number;
  /** Units recorded (or waiting to be) in `generation`; a cohort of an older generation is emptied on its next use. */
  readonly seen: Set<string>;
  generation: number;
}

interface PendingExposure {
  cohort: ExposureCohort;
  unit: string;
  arm: Arm;
  at: number;
}

export interface ExposureRecorderOptions {
  db: Knex;
  clock: Clock;
  logger: Logger;
  flushEveryMs: number;
  /** Rows per insert, and the backlog that starts a write before the timer does. */
  batchSize?: number;
  /** Rows waiting at most (the database is slow or down); past it, new exposures are dropped and counted. */
  maxPending?: number;
  /** Units remembered as recorded, over all cohorts; past it, every cohort forgets and units are written again once. */
  maxRemembered?: number;
}

/**
 * Exposures off the evaluation's hot path: `record` is a set lookup, and only a unit not yet
 * recorded for its plan and stage costs a row, written with the next batch (every
 * `flushEveryMs`, or as soon as a batch is full) as `insert … on conflict do nothing` into
 * `plan_exposures`, whose key (plan, stage, unit) counts distinct units exactly, whichever
 * process saw them. Memory is bounded: the remembered units, and the rows waiting while the
 * database is slow or down (past it, exposures are dropped and counted, never waited for).
 */
export class ExposureRecorder {
  /** Cumulative, for /metrics: rows written (inserted or already there) and exposures dropped. */
  readonly stats = { recorded: 0, dropped: 0 };
  private readonly cohorts = new Map<string, ExposureCohort>();
  private pending: PendingExposure[] = [];
  private remembered = 0;
  private generation = 0;
  private readonly loop: FlushLoop;
  private readonly batchSize: number;
  private readonly maxPending: number;
  private readonly maxRemembered: number;

  constructor(private readonly d: ExposureRecorderOptions) {
    this.batchSize = d.batchSize ?? 1000;
    this.maxPending = d.maxPending ?? 20_000;
    this.maxRemembered = d.maxRemembered ?? 500_000;
    this.loop = new FlushLoop({
      what: 'exposures',
      everyMs: d.flushEveryMs,
      logger: d.logger,
      drain: () => this.drain(),
    });
  }

  /** The cohort of a plan's stage, the same object while this process remembers it (snapshot rebuilds keep their units). */
  cohort(tenantId: string, planId: string, stage: number): ExposureCohort {
    const key = `${planId}:${stage}`;
    let cohort = this.cohorts.get(key);
    if (!cohort) {
      cohort = { tenantId, planId, stage, seen: new Set(), generation: this.generation };
      this.cohorts.set(key, cohort);
    }
    return cohort;
  }

  /** A unit was evaluated in an arm of the cohort. Never throws, never waits. */
  record(cohort: ExposureCohort, unit: string, arm: Arm): void {
    if (cohort.generation !== this.generation) this.renew(cohort);
    if (cohort.seen.has(unit)) return;
    if (this.pending.length >= this.maxPending) {
      this.stats.dropped++;
      return;
    }
    if (this.remembered >= this.maxRemembered) {
      this.forgetAll();
      this.renew(cohort);
    }
    cohort.seen.add(unit);
    this.remembered++;
    this.pending.push({ cohort, unit, arm, at: this.d.clock.now().getTime() });
    if (this.pending.length >= this.batchSize) this.loop.soon();
  }

  /** Rows waiting to be written. */
  get backlog(): number {
    return this.pending.length;
  }

  /** Writes every waiting row (after a write in flight); resolves with the rows written. */
  flush(): Promise<number> {
    return this.loop.flush();
  }

  start(): void {
    this.loop.start();
  }

  /** At shutdown: stops the timer and writes what is left. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  private renew(cohort: ExposureCohort): void {
    cohort.seen.clear();
    cohort.generation = this.generation;
  }

  /** A new generation: every cohort is emptied on its next use; cohorts unused for a whole generation are let go. */
  private forgetAll(): void {
    for (const [key, cohort] of this.cohorts) if (cohort.generation !== this.generation) this.cohorts.delete(key);
    this.generation++;
    this.remembered = 0;
  }

  private async drain(): Promise<number> {
    let written = 0;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.batchSize);
      try {
        await this.insert(batch);
      } catch (err) {
        this.restore(batch);
        throw err;
      }
      written += batch.length;
      this.stats.recorded += batch.length;
    }
    return written;
  }

  /** A failed batch goes back ahead of what arrived meanwhile; what no longer fits is dropped, and forgotten so it is recorded later. */
  private restore(batch: PendingExposure[]): void {
    const all = batch.concat(this.pending);
    this.pending = all.slice(0, this.maxPending);
    for (const lost of all.slice(this.maxPending)) {
      if (lost.cohort.generation === this.generation) lost.cohort.seen.delete(lost.unit);
      this.stats.dropped++;
    }
  }

  private async insert(batch: PendingExposure[]): Promise<void> {
    const rows = batch.map((e) => ({
      plan_id: e.cohort.planId,
      stage: e.cohort.stage,
      unit: e.unit,
      tenant_id: e.cohort.tenantId,
      arm: e.arm,
      at: new Date(e.at).toISOString(),
    }));
    // the join drops rows of a plan deleted meanwhile (and of any plan not in the row's tenant)
    await this.d.db.raw(
      `insert into plan_exposures (plan_id, stage, unit, tenant_id, arm, first_seen_at)
       select v.plan_id, v.stage, v.unit, v.tenant_id, v.arm, v.at
       from jsonb_to_recordset(?::jsonb) as v(plan_id uuid, stage int, unit text, tenant_id uuid, arm text, at timestamptz)
       join rollout_plans p on p.id = v.plan_id and p.tenant_id = v.tenant_id
       on conflict do nothing`,
      [JSON.stringify(rows)],
    );
  }
}
