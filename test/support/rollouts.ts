import request from 'supertest';
import { compileFlag } from '../../core/evaluate';
import type { Container } from '../../modules/platform/container';
import type { TestApp } from './test-app';

/** Settings for rollout tests: quick retries (1 ms backoff) and few attempts, so no test waits on time. */
export const ROLLOUT_TEST_ENV = {
  FLAGPOLE_RETRY_BACKOFF_MS: '1',
  FLAGPOLE_ADVANCE_ATTEMPTS: '3',
  FLAGPOLE_WEBHOOK_ATTEMPTS: '3',
};

/** Polls `probe` until it returns a value other than undefined/false; a bounded wait for genuinely async work (queues). */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 4000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

export async function createFlag(
  t: TestApp,
  auth: string,
  key: string,
  enabled = true,
): Promise<{ id: string; key: string }> {
  const res = await request(t.app)
    .post('/admin/feature-flags')
    .set('Authorization', auth)
    .send({ key, enabled })
    .expect(201);
  return res.body;
}

export const STAGES_5_25_100 = [
  { percent: 5, holdSeconds: 30 },
  { percent: 25, holdSeconds: 30 },
  { percent: 100, holdSeconds: 0 },
];

let keys = 0;
/** POST …/actions/<verb> with a fresh Idempotency-Key. */
export function act(t: TestApp, auth: string, planId: string, verb: string, body: object = {}) {
  keys += 1;
  return request(t.app)
    .post(`/admin/rollout-plans/${planId}/actions/${verb}`)
    .set('Authorization', auth)
    .set('Idempotency-Key', `k-${Date.now()}-${keys}`)
    .send(body);
}

/** Creates a draft plan through the API and starts it. */
export async function startPlan(
  t: TestApp,
  auth: string,
  flagId: string,
  stages: object[] = STAGES_5_25_100,
  extra: object = {},
): Promise<{ id: string; flagId: string }> {
  const created = await request(t.app)
    .post('/admin/rollout-plans')
    .set('Authorization', auth)
    .send({ flagId, stages, ...extra })
    .expect(201);
  await act(t, auth, created.body.id, 'start').expect(200);
  return created.body;
}

export async function planRow(c: Container, planId: string) {
  return c.db('rollout_plans').where({ id: planId }).first();
}

export async function transitionsOf(
  c: Container,
  planId: string,
): Promise<
  Array<{
    seq: number;
    event: string;
    toStage: number;
    toStatus: string;
    toPercent: number | null;
    jobId: string | null;
  }>
> {
  return c.db('rollout_transitions').where({ planId }).orderBy('seq');
}

export async function auditActionsOf(c: Container, planId: string): Promise<string[]> {
  const rows: Array<{ action: string }> = await c
    .db('audit_log')
    .where({ resourceType: 'rollout_plan', resourceId: planId })
    .orderBy([{ column: 'createdAt' }, { column: 'id' }]);
  return rows.map((r) => r.action);
}

/** The share of 2,000 contexts the flag is on for, through the same compiled evaluation the api serves. */
export async function evaluatedShare(c: Container, tenantId: string, flagId: string): Promise<number> {
  const flag = await c.repos.flags.find(tenantId, flagId);
  const rules = await c.repos.rules.list(c.db, tenantId, flagId);
  const compiled = compileFlag({ key: flag!.key, enabled: flag!.enabled }, rules, new Map());
  let on = 0;
  for (let i = 0; i < 2000; i++) if (compiled.evaluate({ targetingKey: `user-${i}` }).value) on++;
  return (on / 2000) * 100;
}
