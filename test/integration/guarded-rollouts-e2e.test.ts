import { OpenFeature, type Client, type EvaluationContext } from '@openfeature/server-sdk';
import request from 'supertest';
import { FlagpoleProvider } from '../../modules/sdk/flagpole-provider';
import { startWorkers, type WorkerRuntime } from '../../worker/workers';
import { FakeClock } from '../support/fake-clock';
import { mulberry32 } from '../support/guard-simulation';
import { clientToken, listen, snapshotWhere } from '../support/ofrep';
import {
  act,
  auditActionsOf,
  createFlag,
  planRow,
  ROLLOUT_TEST_ENV,
  transitionsOf,
  waitFor,
} from '../support/rollouts';
import { bearer, createTenant, createTestApp, type TestApp, type TestTenant } from '../support/test-app';

/**
 * Guarded rollouts end to end: the real api (OFREP handler and admin routes on a real port), the
 * real worker (its guard-check jobs every second, its advance jobs), and the stock OpenFeature
 * server SDK with FlagpoleProvider evaluating the plan's flag for seeded users and tracking
 * `checkout.error` for some of them. The stages' holds run on an injected clock, so time passes
 * only when a test moves it; what the tests wait for (bounded) is queue work.
 */

jest.setTimeout(60_000);

const clock = new FakeClock();
let t: TestApp;
let workers: WorkerRuntime;
let server: { url: string; close(): Promise<void> };
let tenant: TestTenant;
let operator: string;
let editor: string;
let provider: FlagpoleProvider;
let client: Client;
const trackErrors: string[] = [];

beforeAll(async () => {
  t = await createTestApp({ clock, env: { ...ROLLOUT_TEST_ENV, FLAGPOLE_EVALUATION_RATE_LIMIT: '0' } });
  server = await listen(t.c);
  workers = startWorkers(t.c);
  tenant = await createTenant(t.c, 'e2e');
  operator = await bearer(t.c, tenant, 'operator');
  editor = await bearer(t.c, tenant, 'editor');
  provider = new FlagpoleProvider({
    baseUrl: server.url,
    headers: { Authorization: `Bearer ${await clientToken(t.c, tenant)}` },
    onTrackError: (err) => trackErrors.push(err.message),
  });
  await OpenFeature.setProviderAndWait('guarded-e2e', provider);
  client = OpenFeature.getClient('guarded-e2e');
});
afterAll(async () => {
  await OpenFeature.close();
  await workers.close();
  await server.close();
  await t.close();
});

const HOLD_SECONDS = 60;
const STAGES = [
  { percent: 5, holdSeconds: HOLD_SECONDS },
  { percent: 25, holdSeconds: HOLD_SECONDS },
  { percent: 100, holdSeconds: 0 },
];
const errorShare = (extra: object = {}) => ({
  kind: 'event_share',
  event: 'checkout.error',
  maxRelativeIncrease: 0.1,
  minUnitsPerArm: 25,
  ...extra,
});

interface Plan {
  id: string;
  flagKey: string;
}

let flags = 0;
async function guardedPlan(guards: object[], extra: object = {}): Promise<Plan> {
  flags += 1;
  const flag = await createFlag(t, editor, `checkout.e2e-${flags}`);
  const res = await request(t.app)
    .post('/admin/rollout-plans')
    .set('Authorization', operator)
    .send({ flagId: flag.id, stages: STAGES, guards, guardCheckSeconds: 1, rollbackPercent: 0, ...extra })
    .expect(201);
  await act(t, operator, res.body.id, 'start').expect(200);
  return { id: res.body.id, flagKey: flag.key };
}

/** This api process serves the plan's stage (its snapshot caught the change signal), so exposures land in that stage. */
async function serving(plan: Plan, stage: number) {
  await t.c.evaluation.snapshots.get(tenant.id);
  return snapshotWhere(t.c, tenant.id, (s) => {
    const cohort = s.byKey.get(plan.flagKey)?.exposure?.cohort;
    return cohort?.planId === plan.id && cohort.stage === stage;
  });
}

interface User {
  context: EvaluationContext;
  /** Uniform on [0, 1): the user errors when this is below the error share of the arm they are in. */
  luck: number;
}

/** `n` users from a seeded generator: the same ones, with the same luck, on every run. */
function users(seed: number, n: number): User[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => ({
    context: { targetingKey: `u${seed}-${i}-${Math.floor(random() * 2 ** 32).toString(36)}`, country: 'DE' },
    luck: random(),
  }));
}

/**
 * Each user evaluates the flag through the SDK (the api records their exposure) and, when unlucky
 * in the arm the answer put them in (on: treatment, off: control), tracks `checkout.error`. Then
 * everything is sent and written. Returns the units per arm.
 */
async function visit(
  plan: Plan,
  visitors: readonly User[],
  errorShares: { treatment: number; control: number },
): Promise<{ treatment: number; control: number; errors: number }> {
  const seen = { treatment: 0, control: 0, errors: 0 };
  const CONCURRENT = 25;
  for (let i = 0; i < visitors.length; i += CONCURRENT) {
    await Promise.all(
      visitors.slice(i, i + CONCURRENT).map(async ({ context, luck }) => {
        const details = await client.getBooleanDetails(plan.flagKey, false, context);
        if (details.errorCode) throw new Error(`evaluation failed: ${details.errorCode} ${details.errorMessage}`);
        const arm = details.value ? 'treatment' : 'control';
        seen[arm]++;
        if (luck < errorShares[arm]) {
          seen.errors++;
          client.track('checkout.error', context, { value: 1 });
        }
      }),
    );
  }
  await provider.flush();
  expect(trackErrors).toEqual([]);
  await Promise.all([t.c.evaluation.exposures.flush(), t.c.evaluation.events.flush()]);
  return seen;
}

interface Evidence {
  verdict: string;
  arms: Record<'treatment' | 'control', { units: number; value: number }>;
  interval: { lower: number };
  value?: number;
}

type Check = { seq: number; guard: number; verdict: string; arms?: { treatment: { units: number } } };

/** The first stored check of the stage that satisfies `ready` (the worker checks every second). */
function checkWhere(plan: Plan, stage: number, ready: (guard: Check, sampleRatio: Check | undefined) => boolean) {
  return waitFor(
    async () => {
      const rows: Array<{ seq: number; guard: number; evidence: Check }> = await t.c
        .db('plan_guard_checks')
        .where({ planId: plan.id, stage })
        .orderBy('seq')
        .select('seq', 'guard', 'evidence');
      const bySeq = new Map<number, Check[]>();
      for (const r of rows) bySeq.set(r.seq, [...(bySeq.get(r.seq) ?? []), { ...r.evidence, seq: r.seq }]);
      for (const checks of bySeq.values()) {
        const guard = checks.find((c) => c.guard === 0);
        if (
          guard &&
          ready(
            guard,
            checks.find((c) => c.guard === -1),
          )
        )
          return guard;
      }
      return undefined;
    },
    `a check of stage ${stage}`,
    10_000,
  );
}

/** Moves the clock past the stage's hold and lets the reconciler hand the due advance to the worker. */
async function holdPasses(seconds = HOLD_SECONDS + 1) {
  clock.advance(seconds * 1000);
  await t.c.rolloutRunner.reconcile();
}

const transitionsSettle = (plan: Plan, count: number) =>
  waitFor(
    async () => {
      const all = await transitionsOf(t.c, plan.id);
      return all.length >= count && all;
    },
    `${count} transitions`,
    10_000,
  );

const guardEvents = (events: string[]) => events.filter((e) => e.startsWith('guard_'));

describe('guarded rollouts through the SDK, the api and the worker', () => {
  it('when the treatment errors six times as often as control, then the worker rolls the plan back once, with the evidence', async () => {
    const plan = await guardedPlan([errorShare({ onRegression: 'rollback' })]);
    await serving(plan, 0);
    const seen = await visit(plan, users(1, 1000), { treatment: 0.3, control: 0.05 });
    expect(seen.treatment).toBeGreaterThanOrEqual(25);

    const transitions = await transitionsSettle(plan, 2);
    expect(transitions.map((x) => [x.event, x.toStatus, x.toPercent])).toEqual([
      ['start', 'running', 5],
      ['guard_rollback', 'aborted', 0],
    ]);
    const trip = transitions[1] as (typeof transitions)[number] & { evidence: Evidence; reason: string };
    expect(trip.jobId).toMatch(new RegExp(`^guard-${plan.id}-0-\\d+$`));
    expect(trip.reason).toMatch(/^Guard 1 \(event_share of checkout\.error\) regressed: \+\d+/);
    const evidence = trip.evidence;
    expect(evidence.verdict).toBe('regression');
    expect(evidence.arms.treatment.units).toBeGreaterThanOrEqual(25);
    expect(evidence.arms.treatment.units).toBeLessThanOrEqual(seen.treatment);
    expect(evidence.arms.control.units).toBeLessThanOrEqual(seen.control);
    expect(evidence.arms.treatment.value).toBeGreaterThan(evidence.arms.control.value);
    expect(evidence.interval.lower).toBeGreaterThan(0.1);
    expect(await auditActionsOf(t.c, plan.id)).toEqual([
      'rollout_plan.created',
      'rollout_plan.started',
      'rollout_plan.guard_tripped',
    ]);

    // the flag now serves everyone off, its rule no longer the plan's, and no later check or due time moves the plan again
    await snapshotWhere(t.c, tenant.id, (s) => s.byKey.get(plan.flagKey)?.exposure === undefined);
    expect((await client.getBooleanDetails(plan.flagKey, true, users(1, 1)[0].context)).value).toBe(false);
    await holdPasses();
    expect(guardEvents((await transitionsOf(t.c, plan.id)).map((x) => x.event))).toEqual(['guard_rollback']);
  });

  it('when both arms error alike, then every stage is healthy and the plan completes through 5% → 25% → 100%', async () => {
    const plan = await guardedPlan([errorShare()]);
    for (const [stage, seed, n] of [
      [0, 2, 800],
      [1, 3, 200],
    ] as const) {
      await serving(plan, stage);
      const seen = await visit(plan, users(seed, n), { treatment: 0.05, control: 0.05 });
      expect(seen.treatment).toBeGreaterThanOrEqual(25);
      expect(seen.control).toBeGreaterThanOrEqual(25);
      // a check that saw every unit of the stage says healthy
      await checkWhere(
        plan,
        stage,
        (guard) => guard.verdict === 'healthy' && guard.arms!.treatment.units === seen.treatment,
      );
      await holdPasses();
      await transitionsSettle(plan, stage + 2);
    }
    const transitions = await transitionsOf(t.c, plan.id);
    expect(transitions.map((x) => [x.event, x.toStatus, x.toPercent])).toEqual([
      ['start', 'running', 5],
      ['due', 'running', 25],
      ['due', 'completed', 100],
    ]);
    expect(await planRow(t.c, plan.id)).toMatchObject({ status: 'completed', pauseReason: null });
    expect(await auditActionsOf(t.c, plan.id)).toEqual([
      'rollout_plan.created',
      'rollout_plan.started',
      'rollout_plan.advanced',
      'rollout_plan.completed',
    ]);
  });

  it('when too few units arrive by the longest hold, then the plan pauses with INSUFFICIENT_DATA (onInsufficientData: pause)', async () => {
    const plan = await guardedPlan([errorShare({ minUnitsPerArm: 200 })], { maxHoldSeconds: 2 * HOLD_SECONDS });
    await serving(plan, 0);
    const seen = await visit(plan, users(4, 300), { treatment: 0.05, control: 0.05 });
    await checkWhere(
      plan,
      0,
      (guard) => guard.verdict === 'insufficient_data' && guard.arms!.treatment.units === seen.treatment,
    );
    await holdPasses(2 * HOLD_SECONDS + 1);
    const transitions = await transitionsSettle(plan, 2);
    expect(transitions.map((x) => [x.event, x.toStatus])).toEqual([
      ['start', 'running'],
      ['guard_pause', 'paused'],
    ]);
    expect(await planRow(t.c, plan.id)).toMatchObject({ status: 'paused', pauseReason: 'INSUFFICIENT_DATA' });
    expect(transitions[1]).toMatchObject({
      jobId: `advance-${plan.id}-1`,
      reason: expect.stringContaining('guard 1: insufficient_data'),
      evidence: { verdict: 'insufficient_data', arms: { treatment: { units: seen.treatment } } },
    });
  });

  it('when the exposures are lopsided (treatment users sought out), then the plan pauses on a sample ratio mismatch', async () => {
    const plan = await guardedPlan([errorShare()]);
    const snapshot = await serving(plan, 0);
    // the same compiled evaluation the api serves says which candidates are treatment: all of those, and few controls
    const arms = snapshot.byKey.get(plan.flagKey)!.exposure!.arms;
    const candidates = users(5, 3000);
    const treatment = candidates.filter((u) => arms(u.context)?.arm === 'treatment');
    const control = candidates.filter((u) => arms(u.context)?.arm === 'control').slice(0, 4 * treatment.length);
    const seen = await visit(plan, [...treatment, ...control], { treatment: 0.05, control: 0.05 });
    expect(seen).toMatchObject({ treatment: treatment.length, control: control.length });

    const transitions = await transitionsSettle(plan, 2);
    expect(transitions.map((x) => [x.event, x.toStatus])).toEqual([
      ['start', 'running'],
      ['guard_pause', 'paused'],
    ]);
    expect(await planRow(t.c, plan.id)).toMatchObject({ status: 'paused', pauseReason: 'SAMPLE_RATIO_MISMATCH' });
    expect(transitions[1]).toMatchObject({
      reason: expect.stringMatching(/^Sample ratio mismatch: \d+ treatment vs \d+ control units at 5%/),
      evidence: { guard: -1, kind: 'sample_ratio', verdict: 'regression' },
    });
    expect((transitions[1] as unknown as { evidence: Evidence }).evidence.value).toBeLessThan(0.001);
  });
});
