import { createServer, type AddressInfo, type Socket } from 'node:net';
import type http from 'node:http';
import request from 'supertest';
import { jobHandlers } from '../../worker/jobs';
import { serveMetrics } from '../../worker/metrics';
import { startWorkers, type WorkerRuntime } from '../../worker/workers';
import { FakeClock } from '../support/fake-clock';
import { clientToken, listen } from '../support/ofrep';
import { createFlag, ROLLOUT_TEST_ENV, startPlan, transitionsOf, waitFor } from '../support/rollouts';
import { bearer, createTenant, createTestApp, type TestApp, type TestTenant } from '../support/test-app';

const clock = new FakeClock();
let t: TestApp;
let tenant: TestTenant;
let editor: string;
let operator: string;
let runtime: WorkerRuntime;
let workerServer: http.Server;
let workerUrl: string;

beforeAll(async () => {
  t = await createTestApp({ clock, env: ROLLOUT_TEST_ENV });
  tenant = await createTenant(t.c);
  editor = await bearer(t.c, tenant, 'editor');
  operator = await bearer(t.c, tenant, 'operator');
  // the real registry, except that cleanup fails and a webhook delivery is refused: failures to observe
  runtime = startWorkers(t.c, {
    ...jobHandlers,
    cleanup: async () => {
      throw new Error('disk full');
    },
  });
  workerServer = await serveMetrics(runtime.metrics.registry, 0, '127.0.0.1');
  workerUrl = `http://127.0.0.1:${(workerServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  workerServer.close();
  await runtime.close();
  await t.close();
});

/** The value of one series in Prometheus text, or undefined when absent. */
function series(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (wanted.every((w) => line.includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}
const apiMetrics = async () => (await request(t.app).get('/metrics').expect(200)).text;
const workerMetrics = async () => (await fetch(`${workerUrl}/metrics`)).text();

describe('the api’s /metrics', () => {
  it('when flags are evaluated over OFREP, then flagpole_evaluations_total counts them by reason', async () => {
    await createFlag(t, editor, 'metrics.on');
    await createFlag(t, editor, 'metrics.off', false);
    const secret = await clientToken(t.c, tenant);
    const server = await listen(t.c);
    try {
      const scrape = async () => (await fetch(`${server.url}/metrics`)).text();
      const post = (path: string) =>
        fetch(`${server.url}/ofrep/v1/evaluate/flags${path}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${secret}` },
          body: '{}',
        });
      const before = await scrape();
      expect((await post('')).status).toBe(200);
      expect((await post('/metrics.on')).status).toBe(200);
      expect((await post('/no.such.flag')).status).toBe(404);
      const after = await scrape();
      const delta = (reason: string) =>
        series(after, 'flagpole_evaluations_total', { reason })! -
        series(before, 'flagpole_evaluations_total', { reason })!;
      expect([delta('STATIC'), delta('DISABLED'), delta('ERROR'), delta('SPLIT')]).toEqual([2, 1, 1, 0]);
    } finally {
      await server.close();
    }
  });

  it('when scraped, then flagpole_queue_jobs reports each queue’s jobs by state', async () => {
    const text = await apiMetrics();
    for (const queue of ['rollout-advances', 'notifications', 'maintenance']) {
      expect(series(text, 'flagpole_queue_jobs', { queue, state: 'waiting' })).toEqual(expect.any(Number));
      expect(series(text, 'flagpole_queue_jobs', { queue, state: 'failed' })).toEqual(expect.any(Number));
    }
  });

  // on PostgreSQL queues the queue store is the database itself
  const onRedis = process.env.FLAGPOLE_QUEUE_BACKEND !== 'postgres';
  (onRedis ? it : it.skip)(
    'when the queue store does not answer, then /metrics still answers within the queue timeout, without queue counts',
    async () => {
      // a "Redis" that accepts connections and never answers: a hung store, not a refused one
      const sockets: Socket[] = [];
      const silent = createServer((socket) => void sockets.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const down = await createTestApp({
        env: {
          REDIS_URL: `redis://127.0.0.1:${(silent.address() as AddressInfo).port}`,
          FLAGPOLE_QUEUE_TIMEOUT_MS: '300',
        },
      });
      try {
        const started = Date.now();
        const res = await request(down.app).get('/metrics').expect(200);
        expect(Date.now() - started).toBeLessThan(2000);
        expect(series(res.text, 'flagpole_queue_jobs', { queue: 'rollout-advances' })).toBeUndefined();
        expect(series(res.text, 'flagpole_evaluations_total', { reason: 'STATIC' })).toBe(0);
      } finally {
        for (const socket of sockets) socket.destroy();
        silent.close();
        await Promise.race([down.close(), new Promise((r) => setTimeout(r, 1000))]);
      }
    },
  );
});

describe('the worker’s /metrics', () => {
  it('when a rollout step commits late, then a transition by status and its lateness are recorded', async () => {
    const flag = await createFlag(t, editor, 'metrics.rollout');
    const plan = await startPlan(t, operator, flag.id);
    clock.advance(45_000); // the first step fell due 15 s ago
    await t.c.rolloutRunner.reconcile();
    // bounds, not sleeps: a loaded 2-core CI machine can take seconds to run the job and finish it
    await waitFor(async () => (await transitionsOf(t.c, plan.id)).length >= 2, 'the advance', 15_000);
    const text = await waitFor(
      async () => {
        const m = await workerMetrics();
        return series(m, 'flagpole_rollout_transitions_total', { to_status: 'running' }) === 1 && m;
      },
      'the transition to be counted',
      15_000,
    );
    expect(series(text, 'flagpole_rollout_advance_lateness_seconds_count')).toBe(1);
    expect(series(text, 'flagpole_rollout_advance_lateness_seconds_sum')).toBeCloseTo(15, 0);
    expect(series(text, 'flagpole_rollout_advance_lateness_seconds_bucket', { le: '10' })).toBe(0);
    expect(series(text, 'flagpole_rollout_advance_lateness_seconds_bucket', { le: '30' })).toBe(1);
  });

  it('when a job fails and a webhook delivery is skipped, then job failures by queue and code and delivery outcomes are counted', async () => {
    await t.c.queues.add('cleanup', {});
    await t.c.queues.add('deliver-webhook', {
      tenantId: tenant.id,
      webhookId: crypto.randomUUID(),
      deliveryId: crypto.randomUUID(),
      event: 'flag.disabled',
    });
    const text = await waitFor(async () => {
      const m = await workerMetrics();
      return (
        (series(m, 'flagpole_job_failures_total', { queue: 'maintenance', code: 'INTERNAL' }) ?? 0) >= 1 &&
        series(m, 'flagpole_webhook_deliveries_total', { outcome: 'skipped' }) === 1 &&
        m
      );
    }, 'the failure and the delivery to be counted');
    expect(text).toContain('# TYPE flagpole_job_failures_total counter');
    expect((await fetch(`${workerUrl}/other`)).status).toBe(404);
  });
});
