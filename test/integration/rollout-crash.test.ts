import type { ChildProcess } from 'node:child_process';
import request from 'supertest';
import { act, createFlag, transitionsOf, waitFor } from '../support/rollouts';
import { bearer, createTenant, createTestApp, type TestApp } from '../support/test-app';
import { exited, killAll, spawnWorker as spawnWorkerOf } from '../support/worker-process';

jest.setTimeout(90_000); // 40 plans through a real worker process, SIGKILLed and restarted, on 2 cores shared with other test files

const PLANS = 40;
const STAGES = [
  { percent: 10, holdSeconds: 1 },
  { percent: 50, holdSeconds: 1 },
  { percent: 100, holdSeconds: 0 },
];

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  killAll(children);
  await t.close();
});

const children: ChildProcess[] = [];
const spawnWorker = () => spawnWorkerOf(t, children);

/** Advances recorded for `plans` (the jest worker's database also holds other test files' plans). */
const countDue = async (plans: string[]): Promise<number> => {
  const [{ count }] = await t.c
    .db('rollout_transitions')
    .where({ event: 'due' })
    .whereIn('planId', plans)
    .count<{ count: string }[]>('* as count');
  return Number(count);
};

describe('worker crash drill', () => {
  it('when the worker is SIGKILLed mid-run and restarted, then every plan completes with no step doubled or lost; SIGTERM exits cleanly', async () => {
    const tenant = await createTenant(t.c);
    const operator = await bearer(t.c, tenant, 'operator');
    const editor = await bearer(t.c, tenant, 'editor');
    const plans: string[] = [];
    for (let i = 0; i < PLANS; i++) {
      const flag = await createFlag(t, editor, `crash.${i}`);
      const { body } = await request(t.app)
        .post('/admin/rollout-plans')
        .set('Authorization', operator)
        .send({ flagId: flag.id, stages: STAGES })
        .expect(201);
      await act(t, operator, body.id, 'start').expect(200);
      plans.push(body.id);
    }

    const first = await spawnWorker();
    await waitFor(async () => (await countDue(plans)) >= PLANS / 4, 'the first worker to be mid-run', 15_000);
    const firstExit = exited(first);
    first.kill('SIGKILL');
    expect(await firstExit).toBeNull();
    expect(await countDue(plans)).toBeLessThan(PLANS * 2);

    const second = await spawnWorker();
    try {
      await waitFor(
        async () => (await countDue(plans)) >= PLANS * 2,
        'every plan to complete after the restart',
        20_000,
      ).catch(async (err) => {
        const statuses = await t.c
          .db('rollout_plans')
          .whereIn('id', plans)
          .select('status', 'currentStage')
          .count('* as n')
          .groupBy('status', 'currentStage');
        const jobs = await t.c.queues.byKey.advances.getJobCounts();
        throw new Error(`${(err as Error).message}; plans: ${JSON.stringify(statuses)}; jobs: ${JSON.stringify(jobs)}`);
      });
    } finally {
      const secondExit = exited(second);
      second.kill('SIGTERM');
      expect(await secondExit).toBe(0);
    }
    for (const id of plans) {
      const transitions = await transitionsOf(t.c, id);
      expect(transitions.map((x) => [x.seq, x.event, x.toStage, x.toStatus])).toEqual([
        [1, 'start', 0, 'running'],
        [2, 'due', 1, 'running'],
        [3, 'due', 2, 'completed'],
      ]);
    }
    expect(await countDue(plans)).toBe(PLANS * 2);
  });
});
