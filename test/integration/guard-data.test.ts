import type { Job } from 'bullmq';
import { cleanup } from '../../worker/jobs/cleanup';
import { FakeClock } from '../support/fake-clock';
import { startGuardedPlan } from '../support/guards';
import { act, createFlag } from '../support/rollouts';
import { bearer, createTenant, createTestApp, type TestApp, type TestTenant } from '../support/test-app';

const clock = new FakeClock();
let t: TestApp;
let tenant: TestTenant;
let operator: string;
let editor: string;

beforeAll(async () => {
  t = await createTestApp({ clock });
  tenant = await createTenant(t.c, 'guard-data');
  operator = await bearer(t.c, tenant, 'operator');
  editor = await bearer(t.c, tenant, 'editor');
});
afterAll(() => t.close());

/** Rows as the api's recorders write them: two exposed units per arm, one unexposed unit, one unit in another stage. */
async function seed(planId: string): Promise<void> {
  const exposure = (unit: string, arm: string, stage = 0) => ({
    planId,
    stage,
    unit,
    arm,
    tenantId: tenant.id,
    firstSeenAt: clock.now(),
  });
  await t.c
    .db('plan_exposures')
    .insert([
      exposure('t-1', 'treatment'),
      exposure('t-2', 'treatment'),
      exposure('c-1', 'control'),
      exposure('c-2', 'control'),
      exposure('s-1', 'treatment', 1),
    ]);
  const events = (unit: string, event: string, n: number, values: number[] = [], stage = 0) => ({
    planId,
    stage,
    event,
    unit,
    tenantId: tenant.id,
    events: n,
    valueCount: values.length,
    valueSum: values.reduce((a, b) => a + b, 0),
  });
  await t.c
    .db('plan_unit_events')
    .insert([
      events('t-1', 'checkout.error', 3),
      events('c-1', 'checkout.error', 1),
      events('never-exposed', 'checkout.error', 5),
      events('s-1', 'checkout.error', 1, [], 1),
      events('t-1', 'checkout.amount', 2, [10, 30]),
      events('t-2', 'checkout.amount', 1, [4]),
      events('c-2', 'checkout.amount', 2, []),
      events('c-1', 'checkout.amount', 1, [-6]),
    ]);
}

describe('the guard data a check reads', () => {
  it('when units were exposed and sent events, then each arm counts only its exposed units of the stage, and means are over units with a value', async () => {
    const flag = await createFlag(t, editor, 'checkout.reader');
    const plan = await startGuardedPlan(t, operator, tenant.id, flag.id);
    await seed(plan.id);
    expect(await t.c.repos.guardData.exposedUnits(t.c.db, plan.id, 0)).toEqual({ treatment: 2, control: 2 });
    expect(await t.c.repos.guardData.shareArms(t.c.db, plan.id, 0, 'checkout.error')).toEqual({
      treatment: { units: 2, unitsWithEvent: 1 },
      control: { units: 2, unitsWithEvent: 1 },
    });
    // treatment: unit means 20 and 4; control: -6 (c-2 sent the event without a value)
    expect(await t.c.repos.guardData.meanArms(t.c.db, plan.id, 0, 'checkout.amount')).toEqual({
      treatment: { units: 2, sum: 24, sumOfSquares: 416 },
      control: { units: 1, sum: -6, sumOfSquares: 36 },
    });
    expect(await t.c.repos.guardData.shareArms(t.c.db, plan.id, 1, 'checkout.error')).toEqual({
      treatment: { units: 1, unitsWithEvent: 1 },
      control: { units: 0, unitsWithEvent: 0 },
    });
    expect(await t.c.repos.guardData.meanArms(t.c.db, plan.id, 0, 'no.such-event')).toEqual({
      treatment: { units: 0, sum: 0, sumOfSquares: 0 },
      control: { units: 0, sum: 0, sumOfSquares: 0 },
    });
  });

  it('when the hourly cleanup runs, then the exposures and events of plans that ended more than 7 days ago go; a running plan and a recent end keep theirs', async () => {
    const rows = async (planId: string) =>
      Number((await t.c.db('plan_exposures').where({ planId }).count('* as n'))[0].n) +
      Number((await t.c.db('plan_unit_events').where({ planId }).count('* as n'))[0].n);
    const old = await startGuardedPlan(t, operator, tenant.id, (await createFlag(t, editor, 'checkout.old')).id);
    await seed(old.id);
    await act(t, operator, old.id, 'abort').expect(200);
    clock.advance(6 * 24 * 3600_000);
    const recent = await startGuardedPlan(t, operator, tenant.id, (await createFlag(t, editor, 'checkout.recent')).id);
    await seed(recent.id);
    await act(t, operator, recent.id, 'abort').expect(200);
    const running = await startGuardedPlan(
      t,
      operator,
      tenant.id,
      (await createFlag(t, editor, 'checkout.running')).id,
    );
    await seed(running.id);
    clock.advance(1.5 * 24 * 3600_000);

    const result = await cleanup({} as Job<Record<string, never>>, t.c, undefined);
    // other files' ended plans share this database: at least this plan's 13 rows went
    expect((result as { guardData: number }).guardData).toBeGreaterThanOrEqual(13);
    expect([await rows(old.id), await rows(recent.id), await rows(running.id)]).toEqual([0, 13, 13]);
  });
});
