import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../scripts/dev-services';
import { root } from '../../scripts/web-build';
import { expectVisible, screenshot, TestBrowser } from '../support/browser';
import { buildWebOnce, type E2eServer } from '../support/e2e-server';
import { interrupt, NOWHERE, ready, signIn, startFlagpole, until, type Flagpole } from '../support/npm-start';

/**
 * `npm start` on a machine where neither PostgreSQL nor Redis answers: the configured URLs
 * point at closed ports. In development it must bring up the whole product on an embedded
 * PostgreSQL with the queues on it; in production it must refuse.
 */
jest.setTimeout(120_000);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flagpole-zero-setup-'));
fs.chmodSync(dataDir, 0o755); // when the tests run as root, PostgreSQL runs as the user postgres and must reach it
const running: Flagpole[] = [];
/** Production refuses to start without keys for secrets at rest; these tests are about the stores. */
const PRODUCTION_KEY = Buffer.alloc(32, 1).toString('base64');
let current: Flagpole | undefined;
const browser = new TestBrowser(() => ({ url: current!.url }) as E2eServer);

async function start(env: Record<string, string>): Promise<Flagpole> {
  const flagpole = await startFlagpole(dataDir, env);
  running.push(flagpole);
  return flagpole;
}

const postmasterRunning = () => fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'));

beforeAll(async () => {
  await buildWebOnce();
  await browser.start();
}, 180_000);

afterAll(async () => {
  await browser.stop();
  for (const f of running) {
    if (f.child.exitCode === null && f.child.signalCode === null) await interrupt(f);
  }
  // a test that failed halfway may leave a PostgreSQL behind: a last start stops it
  if (postmasterRunning()) {
    const f = await start({});
    await ready(f);
    await interrupt(f);
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start with nothing installed', () => {
  it('in development, then it runs an embedded PostgreSQL with the queues on it, and a rollout advances', async () => {
    const f = await start({});
    expect((await ready(f)).mode).toEqual({ database: 'embedded', queues: 'postgres' });
    expect(f.output()).toContain('started an embedded one');
    expect(f.output()).toContain('queues and change signals run on PostgreSQL instead');
    expect(fs.existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);

    const ops = await signIn(f, 'ops@flagpole.test');
    const plans = await ops('GET', '/admin/rollout-plans');
    expect(plans.body.items).toEqual([expect.objectContaining({ flagKey: 'platform.edge-cache', status: 'running' })]);

    const flags = await ops('GET', '/admin/feature-flags?limit=100');
    const flag = flags.body.items!.find((x) => x.key === 'platform.read-replicas')!;
    const created = await ops('POST', '/admin/rollout-plans', {
      flagId: flag.id,
      stages: [
        { percent: 10, holdSeconds: 1 },
        { percent: 100, holdSeconds: 0 },
      ],
    });
    expect(created.status).toBe(201);
    expect((await ops('POST', `/admin/rollout-plans/${created.body.id}/actions/start`)).status).toBe(200);
    // the step 1 s later is a delayed BullMQ job in PostgreSQL, run by the worker process
    const done = await until(
      async () => {
        const plan = await ops('GET', `/admin/rollout-plans/${created.body.id}`);
        return plan.body.status === 'completed' ? plan.body : undefined;
      },
      'the plan to complete',
      f,
      20_000,
    );
    expect(done).toMatchObject({ currentStage: 1, currentPercent: 100 });
    expect((done.transitions as Array<{ event: string }>).map((t) => t.event)).toEqual(['start', 'due']);

    // the UI says what it runs on, and bull-board shows the queues kept in PostgreSQL
    current = f;
    const page = await browser.newPage();
    await browser.signIn(page, 'ops@flagpole.test', {
      start: '/rollouts?tenant=platform',
      landing: /\/rollouts\?tenant=platform/,
    });
    await expectVisible(page.getByText('platform.edge-cache'));
    expect(await page.getByTestId('service-mode').textContent()).toContain(
      'Running on an embedded PostgreSQL, with queues on PostgreSQL (no Redis).',
    );
    await screenshot(page, 'zero-setup-rollouts');
    await page.goto(`${f.url}/admin/queues/queue/rollout-advances?status=completed`);
    await expectVisible(page.getByText(`advance-${created.body.id}-1`));
    await screenshot(page, 'zero-setup-queues');
    await browser.closeContexts();

    // Ctrl-C: api and worker stop first, PostgreSQL last (a clean shutdown removes its pid file)
    expect(await interrupt(f)).toBe(0);
    expect(postmasterRunning()).toBe(false);
  });

  it('when npm start is killed with SIGKILL, then the next start on the same data folder stops the PostgreSQL left behind and has the data', async () => {
    const first = await start({});
    await ready(first);
    const ops = await signIn(first, 'ops@flagpole.test');
    expect((await ops('POST', '/admin/feature-flags', { key: 'zero-setup.survivor', enabled: true })).status).toBe(201);

    first.child.kill('SIGKILL');
    await first.exited;
    // the api and worker notice that npm start is gone and stop; PostgreSQL runs on, orphaned
    await until(
      async () => ((await fetch(`${first.url}/healthz`).catch(() => undefined)) ? undefined : true),
      'the api to stop',
      first,
      15_000,
    );
    expect(postmasterRunning()).toBe(true);

    const second = await start({});
    expect((await ready(second)).mode).toEqual({ database: 'embedded', queues: 'postgres' });
    expect(second.output()).toContain('Stopping the PostgreSQL a previous start left running');
    const again = await signIn(second, 'ops@flagpole.test');
    const flags = await again('GET', '/admin/feature-flags?limit=100');
    expect(flags.body.items!.map((x) => x.key)).toContain('zero-setup.survivor');
    const plans = await again('GET', '/admin/rollout-plans?status=completed');
    expect(plans.body.items!.map((x) => x.flagKey)).toContain('platform.read-replicas');
    expect(await interrupt(second)).toBe(0);
  });

  it('in production, then it refuses to start and names what is unreachable', async () => {
    const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flagpole-prod-'));
    const f = await start({
      NODE_ENV: 'production',
      SESSION_SECRET: 'a-production-session-secret',
      FLAGPOLE_SECRET_KEYS: PRODUCTION_KEY,
      FLAGPOLE_DATA_DIR: emptyDir,
    });
    expect(await f.exited).toBe(1);
    expect(f.output()).toMatch(
      /PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/flagpole and Redis at redis:\/\/127\.0\.0\.1:1 unreachable\. Production never falls back/,
    );
    expect(fs.readdirSync(emptyDir)).toEqual([]);
    fs.rmSync(emptyDir, { recursive: true });
  });

  it('with FLAGPOLE_REQUIRE_SERVICES=true in development, then a missing Redis is refused too', async () => {
    const f = await start({
      FLAGPOLE_REQUIRE_SERVICES: 'true',
      DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    });
    expect(await f.exited).toBe(1);
    expect(f.output()).toMatch(/Redis at redis:\/\/127\.0\.0\.1:1 unreachable/);
    expect(f.output()).not.toContain('PostgreSQL at');
  });

  it('when the api is started on its own in production without Redis, then it stops with a clear message', async () => {
    const api = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        SESSION_SECRET: 'a-production-session-secret',
        FLAGPOLE_SECRET_KEYS: PRODUCTION_KEY,
        LOG_LEVEL: 'silent',
        PORT: String(await freePort()),
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
        REDIS_URL: NOWHERE.REDIS_URL,
      },
    });
    let output = '';
    api.stderr!.on('data', (d) => (output += String(d)));
    const code = await new Promise((resolve) => api.on('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain(
      'Flagpole api cannot start: The queue store, Redis redis://127.0.0.1:1 (prefix flagpole), is unreachable',
    );
  });
});
