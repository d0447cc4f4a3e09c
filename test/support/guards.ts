import type { Guard } from '../../core/guards';
import type { TenantSnapshot } from '../../modules/evaluation/tenant-snapshot';
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
