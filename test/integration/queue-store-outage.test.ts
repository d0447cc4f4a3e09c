import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { Redis } from 'ioredis';
import { jobHandlers } from '../../worker/jobs';
import { startWorkers, type WorkerRuntime } from '../../worker/workers';
import { FakeClock } from '../support/fake-clock';
import { clientToken, listen } from '../support/ofrep';
import { act, createFlag, planRow, ROLLOUT_TEST_ENV, startPlan, waitFor } from '../support/rollouts';
import {
  bearer,
  createTenant,
  createTestApp,
  signIn,
  uniqueSuffix,
  type TestApp,
  type TestTenant,
} from '../support/test-app';

jest.setTimeout(30_000);

/** A redis-server of this file's own, on a free port: stopping it touches no other test and not the shared Redis. */
class OwnRedis {
  private proc: ChildProcess | undefined;
  private readonly dir = mkdtempSync(path.join(tmpdir(), 'flagpole-redis-'));

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.proc = spawn(
      'redis-server',
      ['--port', String(this.port), '--save', '', '--appendonly', 'no', '--dir', this.dir],
      { stdio: 'ignore' },
    );
    const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await waitFor(
        () =>
          probe.connect().then(
            () => true,
            () => false,
          ),
        'the own redis-server to accept connections',
      );
    } finally {
      probe.disconnect();
    }
  }

  /** Kills it (SIGKILL: nothing is saved, like a crashed Redis) and waits until it has exited. */
  async stop(): Promise<void> {
    const proc = this.proc;
    this.proc = undefined;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
  }

  /** Frozen: connections stay open but nothing is answered (a hung Redis or a network that drops packets). */
  freeze(frozen: boolean): void {
    this.proc?.kill(frozen ? 'SIGSTOP' : 'SIGCONT');
  }

  async remove(): Promise<void> {
    this.freeze(false);
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs `send` and answers its response and how long it took. */
async function timed<T>(send: () => PromiseLike<T>): Promise<{ res: T; ms: number }> {
  const started = performance.now();
  const res = await send();
  return { res, ms: performance.now() - started };
}

// The outage of this file is a Redis outage; on PostgreSQL queues the queue store is the database (see the last describe)
const onRedis = process.env.FLAGPOLE_QUEUE_BACKEND === 'postgres' ? describe.skip : describe;

onRedis('when the queue store (Redis) is down or hung', () => {
  const clock = new FakeClock();
  let redis: OwnRedis;
  let a: TestApp;
  let b: TestApp;
  let aServer: { url: string; close(): Promise<void> };
  let tenant: TestTenant;
  let platformOperator: string;
  let editor: string;
  let operator: string;
  let secret: string;
  let person: { email: string };

  beforeAll(async () => {
    redis = new OwnRedis(await freePort());
    await redis.start();
    // api A and api B: two processes on one database and on this Redis, as in production
    const env = {
      ...ROLLOUT_TEST_ENV,
      REDIS_URL: redis.url,
      REDIS_PREFIX: `fptest-outage-${uniqueSuffix()}`,
      FLAGPOLE_SNAPSHOT_CHECK_SECONDS: '3600',
    };
    a = await createTestApp({ clock, env });
    b = await createTestApp({ env });
    await b.c.evaluation.start();
    aServer = await listen(a.c);
    tenant = await createTenant(a.c);
    editor = await bearer(a.c, tenant, 'editor');
    operator = await bearer(a.c, tenant, 'operator');
    secret = await clientToken(a.c, tenant);
    const ops = await a.c.repos.tenants.upsert({ slug: `ops-${uniqueSuffix()}`, name: 'Ops', kind: 'platform' });
    platformOperator = await bearer(a.c, { id: ops.id, slug: ops.slug }, 'operator');
    person = await signIn(a, { [tenant.slug]: 'viewer' });
  });
  afterAll(async () => {
    await redis.remove();
    await aServer.close();
    await Promise.all([a.close(), b.close()]);
  });

  /** Every request a user makes while the store is away: each answers within 2 s, the writes committed. */
  async function everyRequestAnswers(flag: { id: string; key: string }, planId: string, description: string) {
    const measured: Record<string, number> = {};
    const patch = await timed(() =>
      request(a.app).patch(`/admin/feature-flags/${flag.id}`).set('Authorization', editor).send({ description }),
    );
    expect(patch.res.status).toBe(200);
    measured.patch = patch.ms;
    expect((await a.c.repos.flags.find(tenant.id, flag.id))!.description).toBe(description);

    const stageBefore = (await planRow(a.c, planId)).currentStage;
    const advance = await timed(() => act(a, operator, planId, 'advance'));
    expect(advance.res.status).toBe(200);
    measured.planAction = advance.ms;
    expect((await planRow(a.c, planId)).currentStage).toBe(stageBefore + 1);

    const detail = await timed(() =>
      request(a.app).get(`/admin/rollout-plans/${planId}`).set('Authorization', operator),
    );
    expect(detail.res.status).toBe(200);
    expect(detail.res.body.job).toMatchObject({ state: 'unavailable' });
    measured.planDetail = detail.ms;

    const ofrep = await timed(() =>
      request(aServer.url)
        .post('/ofrep/v1/evaluate/flags')
        .set('Authorization', `Bearer ${secret}`)
        .send({ context: { targetingKey: 'u-1' } }),
    );
    expect(ofrep.res.status).toBe(200);
    expect(ofrep.res.body.flags.map((f: { key: string }) => f.key)).toContain(flag.key);
    measured.ofrepBulk = ofrep.ms;

    const login = await timed(() =>
      request(a.app).post('/auth/login').send({ email: person.email, password: 'correct-horse-battery' }),
    );
    expect(login.res.status).toBe(200);
    measured.login = login.ms;

    const list = await timed(() => request(a.app).get('/admin/feature-flags').set('Authorization', editor));
    expect(list.res.status).toBe(200);
    measured.flagsList = list.ms;

    for (const page of ['/admin/queues', '/admin/queues/api/queues']) {
      const board = await timed(() => request(a.app).get(page).set('Authorization', platformOperator));
      expect(board.res.status).toBe(503);
      expect(board.res.body.error).toMatchObject({ code: 'UNAVAILABLE' });
      measured[page] = board.ms;
    }
    for (const [what, ms] of Object.entries(measured)) expect([what, ms < 2000]).toEqual([what, true]);
  }

  it('when Redis is killed, then every request answers within 2 s, and once it is back the reconciler and the snapshot check repair what was missed', async () => {
    const flag = await createFlag(a, editor, `outage.kill.${uniqueSuffix()}`);
    const STAGES = [
      { percent: 10, holdSeconds: 60 },
      { percent: 50, holdSeconds: 60 },
      { percent: 100, holdSeconds: 0 },
    ];
    const plan = await startPlan(a, operator, flag.id, STAGES);
    const versionOnB = async () => (await b.c.evaluation.snapshots.get(tenant.id)).byKey.get(flag.key)!.version;
    const seenByB = await versionOnB();

    const warnings = jest.spyOn(a.c.logger, 'warn');
    await redis.stop();
    await everyRequestAnswers(flag, plan.id, 'written while Redis was down');
    expect(warnings.mock.calls.map((call) => call[1])).toContain(
      'after-commit effect failed; the reconciler or the snapshot check repairs it',
    );
    warnings.mockRestore();
    // the change signals of the PATCH and of the advance were lost: B still answers from its old snapshot
    expect(await versionOnB()).toBe(seenByB);

    await redis.start();
    await waitFor(
      () =>
        a.c.backend.ping().then(
          () => true,
          () => false,
        ),
      'api A to reconnect',
    );
    // the periodic check (called here instead of waiting FLAGPOLE_SNAPSHOT_CHECK_SECONDS) catches B up
    await b.c.evaluation.snapshots.checkVersions();
    await waitFor(async () => (await versionOnB()) > seenByB || undefined, 'B to rebuild the snapshot');

    // the advance's next step was never queued (and the restarted Redis is empty): the reconciler queues it once overdue
    const workers: WorkerRuntime = startWorkers(a.c, jobHandlers);
    try {
      clock.advance(60_000 + a.c.config.rollouts.reconcileGraceMs + 1);
      expect(await a.c.rolloutRunner.reconcile({ graceMs: a.c.config.rollouts.reconcileGraceMs })).toMatchObject({
        due: 1,
        added: 1,
      });
      await waitFor(async () => (await planRow(a.c, plan.id)).status === 'completed', 'the plan to complete');
    } finally {
      await workers.close();
    }
    const detail = await request(a.app)
      .get(`/admin/rollout-plans/${plan.id}`)
      .set('Authorization', operator)
      .expect(200);
    expect(detail.body.job).toBeNull();
    await request(a.app).get('/admin/queues/api/queues').set('Authorization', platformOperator).expect(200);
  });

  it('when Redis hangs (connections open, nothing answered), then every request answers within 2 s and the late effects are abandoned', async () => {
    const flag = await createFlag(a, editor, `outage.hang.${uniqueSuffix()}`);
    const plan = await startPlan(a, operator, flag.id);
    const warnings = jest.spyOn(a.c.logger, 'warn');
    redis.freeze(true);
    try {
      await everyRequestAnswers(flag, plan.id, 'written while Redis hung');
    } finally {
      redis.freeze(false);
    }
    expect(warnings.mock.calls.map((call) => call[1])).toContain(
      'queue store did not answer; answered without waiting for after-commit effects (the reconciler or the snapshot check repairs them)',
    );
    warnings.mockRestore();
    await waitFor(
      () =>
        a.c.backend.ping().then(
          () => true,
          () => false,
        ),
      'Redis to answer again',
    );
    await act(a, operator, plan.id, 'abort').expect(200);
  });
});

describe('when the database is unreachable', () => {
  let down: TestApp;

  beforeAll(async () => {
    // nothing listens on this port: the database (and, on PostgreSQL queues, the queue store) is down
    down = await createTestApp({
      env: { DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/flagpole_down` },
    });
  });
  afterAll(() => down.close());

  it('then admin requests, login and the job dashboard answer 503 UNAVAILABLE in the error contract within 2 s, never 500', async () => {
    const auth = 'Bearer fp_admin_00000000000000000000000000000000';
    for (const send of [
      () => request(down.app).get('/admin/feature-flags').set('Authorization', auth).set('X-Tenant-Id', 'acme'),
      () => request(down.app).post('/auth/login').send({ email: 'someone@example.test', password: 'whatever-it-is' }),
      () => request(down.app).get('/admin/queues/api/queues').set('Authorization', auth),
    ]) {
      const { res, ms } = await timed(send);
      expect(res.status).toBe(503);
      expect(res.body.error).toMatchObject({ code: 'UNAVAILABLE' });
      expect(ms).toBeLessThan(2000);
    }
  });
});
