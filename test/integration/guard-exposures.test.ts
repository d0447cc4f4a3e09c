import createKnex from 'knex';
import request from 'supertest';
import { segmentMap } from '../../core/evaluate';
import { compileArms } from '../../core/guard-arms';
import { EventRecorder } from '../../modules/guards/event-recorder';
import { ExposureRecorder } from '../../modules/guards/exposure-recorder';
import { setGuards, startGuardedPlan } from '../support/guards';
import { clientToken, listen, snapshotWhere } from '../support/ofrep';
import { act, createFlag, startPlan } from '../support/rollouts';
import { bearer, createTenant, createTestApp, type TestApp, type TestTenant } from '../support/test-app';

jest.setTimeout(60_000);

let t: TestApp;
let server: { url: string; close(): Promise<void> };
let tenant: TestTenant;
let operator: string;
let editor: string;
let sdk: string;

beforeAll(async () => {
  t = await createTestApp();
  server = await listen(t.c);
  tenant = await createTenant(t.c, 'exposures');
  operator = await bearer(t.c, tenant, 'operator');
  editor = await bearer(t.c, tenant, 'editor');
  sdk = `Bearer ${await clientToken(t.c, tenant)}`;
});
afterAll(async () => {
  await server.close();
  await t.close();
});

const evaluateOne = (key: string, context: object) =>
  request(server.url).post(`/ofrep/v1/evaluate/flags/${key}`).set('Authorization', sdk).send({ context }).expect(200);
const evaluateAll = (context: object) =>
  request(server.url).post('/ofrep/v1/evaluate/flags').set('Authorization', sdk).send({ context }).expect(200);

const exposuresOf = (planId: string): Promise<Array<{ stage: number; unit: string; arm: string; tenantId: string }>> =>
  t.c.db('plan_exposures').where({ planId }).orderBy('unit');

describe('exposures of a guarded plan', () => {
  it('when 300 units are evaluated 5 times each through single and bulk OFREP, then exactly 300 rows, each in the arm core/guard-arms gives', async () => {
    const guarded = await createFlag(t, editor, 'checkout.one-page');
    await request(t.app)
      .put(`/admin/feature-flags/${guarded.id}/rules`)
      .set('Authorization', editor)
      .send({ rules: [{ kind: 'tenant', tenantIds: ['acme'] }] })
      .expect(200);
    const plain = await createFlag(t, editor, 'search.v2');
    await request(t.app)
      .put(`/admin/feature-flags/${plain.id}/rules`)
      .set('Authorization', editor)
      .send({ rules: [{ kind: 'percent', percent: 50 }] })
      .expect(200);
    const unguarded = await createFlag(t, editor, 'cart.drawer');
    const unguardedPlan = await startPlan(t, operator, unguarded.id, [
      { percent: 5, holdSeconds: 3600 },
      { percent: 100, holdSeconds: 0 },
    ]);
    // at 30%, so both arms have many units
    const plan = await startGuardedPlan(t, operator, tenant.id, guarded.id, undefined, [
      { percent: 30, holdSeconds: 3600 },
      { percent: 100, holdSeconds: 0 },
    ]);
    const recordedBefore = t.c.evaluation.exposures.stats.recorded;

    const units = Array.from({ length: 300 }, (_, i) => `unit-${i}`);
    for (let round = 0; round < 5; round++) {
      for (const [i, unit] of units.entries()) {
        const context = { targetingKey: unit, tenantId: 'globex' };
        if ((i + round) % 2 === 0) await evaluateOne('checkout.one-page', context);
        else await evaluateAll(context);
      }
    }
    // another rule serves these: no arm, no row
    for (let i = 0; i < 20; i++) await evaluateAll({ targetingKey: `acme-${i}`, tenantId: 'acme' });
    await t.c.evaluation.exposures.flush();

    const rows = await exposuresOf(plan.id);
    expect(rows).toHaveLength(300);
    expect(t.c.evaluation.exposures.stats.recorded - recordedBefore).toBe(300);
    const flag = (await t.c.repos.flags.find(tenant.id, guarded.id))!;
    const rules = await t.c.repos.rules.list(t.c.db, tenant.id, guarded.id);
    const arms = compileArms(
      flag,
      rules,
      segmentMap([]),
      rules.findIndex((r) => r.kind === 'percent' && r.planId === plan.id),
    );
    for (const row of rows) {
      expect(row).toMatchObject({
        stage: 0,
        tenantId: tenant.id,
        arm: arms({ targetingKey: row.unit, tenantId: 'globex' })!.arm,
      });
    }
    const byArm = (arm: string) => rows.filter((r) => r.arm === arm).length;
    expect(byArm('treatment')).toBeGreaterThan(60);
    expect(byArm('control')).toBeGreaterThan(150);
    expect(await t.c.repos.guardData.exposedUnits(t.c.db, plan.id, 0)).toEqual({
      treatment: byArm('treatment'),
      control: byArm('control'),
    });

    expect(await exposuresOf(unguardedPlan.id)).toEqual([]);
    const all = await t.c.db('plan_exposures').where({ tenantId: tenant.id }).distinct('planId');
    expect(all).toEqual([{ planId: plan.id }]);
  });

  it('when a guarded plan is paused, resumed or aborted, then the snapshot fingerprint moves; after the abort its flag records nothing', async () => {
    const flag = await createFlag(t, editor, 'checkout.address-lookup');
    const plan = await startGuardedPlan(t, operator, tenant.id, flag.id);
    const snapshots = t.c.evaluation.snapshots;
    await snapshots.get(tenant.id);
    for (const verb of ['pause', 'resume', 'abort']) {
      const before = snapshots.peek(tenant.id)!.fingerprint;
      await act(t, operator, plan.id, verb).expect(200);
      expect(await t.c.evaluation.definitions.fingerprints([tenant.id])).not.toEqual(new Map([[tenant.id, before]]));
    }
    await snapshots.checkVersions();
    const current = await snapshotWhere(
      t.c,
      tenant.id,
      (s) => !s.flags.some((f) => f.exposure?.cohort.planId === plan.id),
    );
    expect(current.byKey.get('checkout.address-lookup')!.exposure).toBeUndefined();
    for (let i = 0; i < 20; i++) await evaluateOne('checkout.address-lookup', { targetingKey: `after-abort-${i}` });
    await t.c.evaluation.exposures.flush();
    expect(await exposuresOf(plan.id)).toEqual([]);
  });

  it('when a plan has no guards, then its flag carries no arm function and records nothing', async () => {
    const flag = await createFlag(t, editor, 'checkout.wallets');
    const plan = await startGuardedPlan(t, operator, tenant.id, flag.id);
    const snapshot = await setGuards(t, tenant.id, plan.id, []);
    expect(snapshot.byKey.get('checkout.wallets')!.exposure).toBeUndefined();
    for (let i = 0; i < 20; i++) await evaluateOne('checkout.wallets', { targetingKey: `w-${i}` });
    await t.c.evaluation.exposures.flush();
    expect(await exposuresOf(plan.id)).toEqual([]);
  });

  it('when an api process stops, then the exposures it still holds are written (close flushes them)', async () => {
    const flag = await createFlag(t, editor, 'checkout.on-stop');
    const plan = await startGuardedPlan(t, operator, tenant.id, flag.id);
    // a second api process on the same database, whose timer would not write within the test
    const other = await createTestApp({ env: { FLAGPOLE_GUARD_FLUSH_MS: '60000' } });
    for (let i = 0; i < 10; i++) {
      await request(other.app)
        .post('/ofrep/v1/evaluate/flags/checkout.on-stop')
        .set('Authorization', sdk)
        .send({ context: { targetingKey: `stop-${i}` } })
        .expect(200);
    }
    expect(other.c.evaluation.exposures.backlog).toBe(10);
    await other.close();
    expect(await exposuresOf(plan.id)).toHaveLength(10);
  });
});

const quiet = () => undefined;

describe('the exposure recorder when the database is down', () => {
  it('when the buffer is full, then new exposures are dropped and counted, record never throws or waits, and dropped units are recorded later', async () => {
    const down = createKnex({
      client: 'pg',
      connection: 'postgres://postgres@127.0.0.1:1/none',
      pool: { min: 0, max: 1 },
      acquireConnectionTimeout: 2000,
      log: { warn: quiet, error: quiet, debug: quiet, deprecate: quiet },
    });
    const recorder = new ExposureRecorder({
      db: down,
      clock: t.c.clock,
      logger: t.c.logger,
      flushEveryMs: 60_000,
      batchSize: 1000,
      maxPending: 10,
    });
    try {
      const cohort = recorder.cohort(tenant.id, '00000000-0000-7000-8000-000000000001', 0);
      const started = performance.now();
      for (let i = 0; i < 50; i++) recorder.record(cohort, `u-${i}`, i % 2 === 0 ? 'treatment' : 'control');
      for (let i = 0; i < 50; i++) recorder.record(cohort, `u-${i}`, 'treatment');
      expect(performance.now() - started).toBeLessThan(50);
      expect([recorder.backlog, recorder.stats.dropped]).toEqual([10, 80]);
      await expect(recorder.flush()).rejects.toThrow();
      expect([recorder.backlog, recorder.stats.recorded]).toEqual([10, 0]);
      // u-10 … u-49 were never kept: nothing remembers them, so they are tried again on their next evaluation
      expect(cohort.seen.has('u-10')).toBe(false);
      expect(cohort.seen.has('u-9')).toBe(true);
    } finally {
      await down.destroy();
    }
  });

  it('when the tracking-event buffer is full, then events for new cells are dropped and counted, repeats still add up, and a failed write keeps its cells', async () => {
    const down = createKnex({
      client: 'pg',
      connection: 'postgres://postgres@127.0.0.1:1/none',
      pool: { min: 0, max: 1 },
      log: { warn: quiet, error: quiet, debug: quiet, deprecate: quiet },
    });
    const recorder = new EventRecorder({ db: down, logger: t.c.logger, flushEveryMs: 60_000, maxCells: 2 });
    try {
      const target = {
        tenantId: tenant.id,
        planId: '00000000-0000-7000-8000-000000000003',
        stage: 0,
        stickiness: 'targetingKey',
        key: 'p3:0',
      };
      expect(recorder.add([target], 'checkout.error', { targetingKey: 'a' }, 1)).toBe('attributed');
      expect(recorder.add([target], 'checkout.error', { targetingKey: 'b' }, undefined)).toBe('attributed');
      expect(recorder.add([target], 'checkout.error', { targetingKey: 'c' }, undefined)).toBe('dropped');
      expect(recorder.add([target], 'checkout.error', { targetingKey: 'a' }, 2)).toBe('attributed');
      expect(recorder.add([target], 'checkout.error', {}, 2)).toBe('unattributed');
      expect(recorder.add(undefined, 'search.click', { targetingKey: 'a' }, undefined)).toBe('unattributed');
      expect(recorder.stats).toEqual({ attributed: 3, unattributed: 2, dropped: 1 });
      await expect(recorder.flush()).rejects.toThrow();
      expect(recorder.backlog).toBe(2);
    } finally {
      await down.destroy();
    }
  });

  it('when more units than it remembers are seen, then it forgets them all at once and a unit seen again is written again (a no-op row)', async () => {
    const recorder = new ExposureRecorder({
      db: t.c.db,
      clock: t.c.clock,
      logger: t.c.logger,
      flushEveryMs: 60_000,
      maxRemembered: 5,
    });
    const cohort = recorder.cohort(tenant.id, '00000000-0000-7000-8000-000000000002', 0);
    for (let i = 0; i < 5; i++) recorder.record(cohort, `r-${i}`, 'control');
    recorder.record(cohort, 'r-0', 'control');
    expect(recorder.backlog).toBe(5);
    recorder.record(cohort, 'r-5', 'control');
    recorder.record(cohort, 'r-0', 'control');
    expect([recorder.backlog, cohort.seen.size]).toEqual([7, 2]);
    // the plan does not exist: the join keeps such rows out
    expect(await recorder.flush()).toBe(7);
    expect(await t.c.db('plan_exposures').where({ planId: cohort.planId })).toEqual([]);
  });
});
