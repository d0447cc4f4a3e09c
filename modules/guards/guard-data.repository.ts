import type { Knex } from 'knex';
import type { Arm } from '../../core/guards';
import { FINAL_STATUSES } from '../../core/rollout-plan';

export interface ShareArmData {
  /** Units exposed in the arm during the stage. */
  units: number;
  /** Of those, the units that sent the event at least once in the stage. */
  unitsWithEvent: number;
}

export interface MeanArmData {
  /** Units exposed in the arm that sent the event with a value in the stage. */
  units: number;
  /** The sum, and the sum of squares, of those units' own mean values (value_sum / value_count). */
  sum: number;
  sumOfSquares: number;
}

const byArm = <T>(rows: Array<{ arm: Arm } & T>, empty: T): Record<Arm, T> => {
  const out: Record<Arm, T> = { treatment: { ...empty }, control: { ...empty } };
  for (const { arm, ...rest } of rows) out[arm] = rest as unknown as T;
  return out;
};

/**
 * One row per unit of a plan's stage: its arm and whether it was exposed (from plan_exposures),
 * whether it sent the event and its mean value (from plan_unit_events). A union grouped by unit
 * rather than a join: its cost is one pass over each table's rows of the stage whatever the
 * planner believes of the tables' sizes (a join planned on missing statistics, right after the
 * rows arrived, looped over every pair of rows).
 */
const PER_UNIT = `
  select unit, max(arm) as arm, bool_or(exposed) as exposed, bool_or(not exposed) as sent, max(mean) as mean
  from (
    select unit, arm, true as exposed, null::double precision as mean
      from plan_exposures where plan_id = ? and stage = ?
    union all
    select unit, null, false, case when value_count > 0 then value_sum / value_count end
      from plan_unit_events where plan_id = ? and stage = ? and event = ?
  ) rows
  group by unit`;

/**
 * What the worker's guard checks read: per arm of a plan's stage, the exposed units and what
 * they sent (`plan_exposures`, `plan_unit_events`, written by the api's recorders). Events count
 * only for units exposed in the same stage; the arm is the exposure's. Each answer is one
 * aggregate over the stage's rows (PER_UNIT).
 *
 * Plan ids are unique across tenants, and every row carries the plan's tenant; the worker works
 * on a plan it has already read in its tenant, so these take the plan id alone.
 */
export class GuardDataRepository {
  async exposedUnits(db: Knex, planId: string, stage: number): Promise<{ treatment: number; control: number }> {
    const rows: Array<{ arm: Arm; units: string }> = await db('plan_exposures')
      .where({ planId, stage })
      .groupBy('arm')
      .select('arm', db.raw('count(*) as units'));
    const out = { treatment: 0, control: 0 };
    for (const r of rows) out[r.arm] = Number(r.units);
    return out;
  }

  async shareArms(db: Knex, planId: string, stage: number, event: string): Promise<Record<Arm, ShareArmData>> {
    const { rows } = await db.raw<{ rows: Array<{ arm: Arm; units: string; unitsWithEvent: string }> }>(
      `select arm, count(*) as units, count(*) filter (where sent) as "unitsWithEvent"
       from (${PER_UNIT}) per_unit
       where exposed
       group by arm`,
      [planId, stage, planId, stage, event],
    );
    return byArm(
      rows.map((r) => ({ arm: r.arm, units: Number(r.units), unitsWithEvent: Number(r.unitsWithEvent) })),
      { units: 0, unitsWithEvent: 0 },
    );
  }

  async meanArms(db: Knex, planId: string, stage: number, event: string): Promise<Record<Arm, MeanArmData>> {
    const { rows } = await db.raw<{ rows: Array<{ arm: Arm; units: string; sum: number; sumOfSquares: number }> }>(
      `select arm, count(*) as units, sum(mean) as sum, sum(mean * mean) as "sumOfSquares"
       from (${PER_UNIT}) per_unit
       where exposed and mean is not null
       group by arm`,
      [planId, stage, planId, stage, event],
    );
    return byArm(
      rows.map((r) => ({
        arm: r.arm,
        units: Number(r.units),
        sum: Number(r.sum),
        sumOfSquares: Number(r.sumOfSquares),
      })),
      { units: 0, sum: 0, sumOfSquares: 0 },
    );
  }

  /** Housekeeping, across tenants: the exposures and events of plans that completed or were aborted before `cutoff`. Returns the rows deleted. */
  async pruneEndedBefore(db: Knex, cutoff: Date): Promise<number> {
    const ended = db('rollout_plans').whereIn('status', FINAL_STATUSES).where('updatedAt', '<', cutoff).select('id');
    const exposures = await db('plan_exposures').whereIn('planId', ended.clone()).delete();
    const events = await db('plan_unit_events').whereIn('planId', ended.clone()).delete();
    return exposures + events;
  }
}
