import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  alive,
  descendants,
  interrupt,
  ready,
  signIn,
  startFlagpole,
  until,
  type Flagpole,
} from '../support/npm-start';

/**
 * `npm start` as a supervisor: a process that crashes is started again, and killing npm from
 * outside (what a supervisor or `timeout` does) stops everything it started. On an embedded
 * PostgreSQL with the queues on it, as on a machine with nothing installed.
 */
jest.setTimeout(120_000);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flagpole-supervision-'));
fs.chmodSync(dataDir, 0o755); // when the tests run as root, PostgreSQL runs as the user postgres and must reach it
const started: Flagpole[] = [];
const postmasterRunning = () => fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'));

async function start(opts: { viaNpm?: boolean } = {}): Promise<Flagpole> {
  const f = await startFlagpole(dataDir, {}, opts);
  started.push(f);
  await ready(f);
  return f;
}

/** The pid of the api or worker under `f` (its command line names its entry point). */
function pidOf(f: Flagpole, entry: 'api/main.ts' | 'worker/main.ts'): number | undefined {
  return descendants(f.child.pid!).find((p) => p.command.endsWith(entry))?.pid;
}

const portFree = (url: string) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(Number(new URL(url).port), '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });

afterAll(async () => {
  for (const f of started) {
    if (f.child.exitCode === null && f.child.signalCode === null) await interrupt(f);
  }
  // a test that failed halfway may leave processes behind: end those this file started
  for (const f of started) for (const p of descendants(f.child.pid!)) process.kill(p.pid, 'SIGKILL');
  if (postmasterRunning()) {
    const f = await start();
    await interrupt(f);
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start supervising the api and the worker', () => {
  let f: Flagpole;
  beforeAll(async () => {
    f = await start();
  });

  it('when the worker is killed with SIGKILL, then it is restarted and a rollout step still completes', async () => {
    const before = pidOf(f, 'worker/main.ts')!;
    process.kill(before, 'SIGKILL');
    await until(
      async () => (/worker exited \(SIGKILL\); restarting in [\d.]+ s/.test(f.output()) ? true : undefined),
      'the restart message',
      f,
      10_000,
    );
    const after = await until(async () => pidOf(f, 'worker/main.ts'), 'a new worker', f, 10_000);
    expect(after).not.toBe(before);

    const ops = await signIn(f, 'ops@flagpole.test');
    const created = await ops('POST', '/admin/feature-flags', { key: 'supervision.after-worker-crash', enabled: true });
    const plan = await ops('POST', '/admin/rollout-plans', {
      flagId: created.body.id,
      stages: [
        { percent: 10, holdSeconds: 1 },
        { percent: 100, holdSeconds: 0 },
      ],
    });
    expect((await ops('POST', `/admin/rollout-plans/${plan.body.id}/actions/start`)).status).toBe(200);
    const done = await until(
      async () => {
        const p = await ops('GET', `/admin/rollout-plans/${plan.body.id}`);
        return p.body.status === 'completed' ? p.body : undefined;
      },
      'the plan to complete',
      f,
      30_000,
    );
    expect((done.transitions as Array<{ event: string }>).map((t) => t.event)).toEqual(['start', 'due']);
  });

  it('when the api is killed with SIGKILL, then it is restarted and answers /healthz again', async () => {
    const before = pidOf(f, 'api/main.ts')!;
    process.kill(before, 'SIGKILL');
    await until(
      async () => (/api exited \(SIGKILL\); restarting in [\d.]+ s/.test(f.output()) ? true : undefined),
      'the restart message',
      f,
      10_000,
    );
    await until(
      async () => ((await fetch(`${f.url}/healthz`)).ok ? true : undefined),
      'the api to answer again',
      f,
      30_000,
    );
    expect(pidOf(f, 'api/main.ts')).not.toBe(before);
    expect(await interrupt(f)).toBe(0);
  });
});

describe('npm start stopped from outside', () => {
  it('when npm is sent SIGTERM, then within seconds no npm, runner, api or worker is left, the port is free and PostgreSQL is stopped', async () => {
    const f = await start({ viaNpm: true });
    const tree = descendants(f.child.pid!);
    expect(tree.map((p) => p.command)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/scripts\/start\.ts$/),
        expect.stringMatching(/api\/main\.ts$/),
        expect.stringMatching(/worker\/main\.ts$/),
      ]),
    );
    process.kill(f.child.pid!, 'SIGTERM');
    const left = async () => {
      const running = [f.child.pid!, ...tree.map((p) => p.pid)].filter(alive);
      return running.length === 0 && (await portFree(f.url)) && !postmasterRunning() ? true : undefined;
    };
    const deadline = Date.now() + 15_000;
    while (!(await left()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(tree.filter((p) => alive(p.pid)).map((p) => p.command)).toEqual([]);
    expect(alive(f.child.pid!)).toBe(false);
    expect(await portFree(f.url)).toBe(true);
    expect(postmasterRunning()).toBe(false);
  });
});
