import type { Arm, Guard } from '../../core/guards';
import type { TenantSnapshot } from '../../modules/evaluation/tenant-snapshot';
import type { Container } from '../../modules/platform/container';
import { snapshotWhere } from './ofrep';
import { startPlan } from './rollouts';
import type { TestApp } from './test-app';

export const ERROR_SHARE: Guard = {
  kind: 'event_share',
  event: 'checkout.error',
  maxRelativeIncrease: 0.1,
  minUnitsPerArm: 200,
  direction: 'lower_is_better',
  onRegression: 'pause',
};

export const AMOUNT_MEAN: Guard = {
  kind: 'event_mean',
  event: 'checkout.amount',
  maxRelativeIncrease: 0.1,
  minUnitsPerArm: 200,
  direction: 'higher_is_better',
  onRegression: 'pause',
};

/** A stage held for an hour, then 100%: no test waits for the second. */
export const GUARDED_STAGES = [
  { percent: 5, holdSeconds: 3600 },
  { percent: 100, holdSeconds: 0 },
];

/**
 * Gives a plan guards the way the API will once plans accept them (a write that bumps its
 * version), and waits until this process's snapshot of the tenant has caught up.
 */
export async function setGuards(
  t: TestApp,
  tenantId: string,
  planId: string,
  guards: Guard[],
): Promise<TenantSnapshot> {
  await t.c.evaluation.snapshots.get(tenantId);
  await t.c
    .db('rollout_plans')
    .where({ id: planId })
    .update({ guards: JSON.stringify(guards), version: t.c.db.raw('version + 1') });
  const outdated = await t.c.evaluation.snapshots.checkVersions();
  if (!outdated.includes(tenantId)) throw new Error('the plan change did not change the snapshot fingerprint');
  return snapshotWhere(
    t.c,
    tenantId,
    (s) => s.flags.some((f) => f.exposure?.cohort.planId === planId) === guards.length > 0,
  );
}

/** Starts a plan on the flag through the API and gives it guards. */
export async function startGuardedPlan(
  t: TestApp,
  operator: string,
  tenantId: string,
  flagId: string,
  guards: Guard[] = [ERROR_SHARE, AMOUNT_MEAN],
  stages: object[] = GUARDED_STAGES,
): Promise<{ id: string }> {
  const plan = await startPlan(t, operator, flagId, stages);
  await setGuards(t, tenantId, plan.id, guards);
  return plan;
}

/**
 * Writes what the api's recorders write for a plan's stage, in one transaction (a check never sees
 * one arm without the other): `units` exposed units per arm (named `<arm>-<stage>-<i>`), the first
 * `withEvent` of each having sent `event` once with the value 1.
 */
export async function recordArms(
  c: Container,
  where: { tenantId: string; planId: string; stage: number; at: Date },
  arms: Record<Arm, { units: number; withEvent: number }>,
  event = 'checkout.error',
): Promise<void> {
  const { tenantId, planId, stage, at } = where;
  await c.db.transaction(async (trx) => {
    for (const [arm, a] of Object.entries(arms)) {
      const units = Array.from({ length: a.units }, (_, i) => `${arm}-${stage}-${i}`);
      const exposures = units.map((unit) => ({ planId, stage, unit, tenantId, arm, firstSeenAt: at }));
      await trx.batchInsert('plan_exposures', exposures, 1000);
      const events = units
        .slice(0, a.withEvent)
        .map((unit) => ({ planId, stage, event, unit, tenantId, events: 1, valueCount: 1, valueSum: 1 }));
      await trx.batchInsert('plan_unit_events', events, 1000);
    }
  });
}
