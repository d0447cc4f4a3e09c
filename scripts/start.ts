/**
 * `npm start`: one command for the whole product on this machine. Creates and migrates the
 * database, seeds the demo, builds the web app when its sources changed, then runs the
 * api (serving the UI) and the worker until Ctrl-C. `--dev` serves the UI from Vite with
 * hot reload instead. A process that crashes is started again with backoff; when the
 * parent of `npm start` goes away, everything stops as on Ctrl-C. In development without a reachable PostgreSQL it runs an embedded one,
 * and without Redis it runs the queues on PostgreSQL (see dev-services.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, loadConfigOrExit } from '../modules/platform/config';
import { freePort, resolveDevServices, type DevServices } from './dev-services';
import { printDemoAccounts } from './demo-data';
import { buildWebIfStale, root } from './web-build';

const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
const dev = process.argv.includes('--dev');
/** Restart delays of a crashed process: 0.5 s doubling to 30 s, back to 0.5 s once it had run for a minute. */
const FIRST_RESTART_MS = 500;
const MAX_RESTART_MS = 30_000;
const STABLE_AFTER_MS = 60_000;
const PARENT_CHECK_MS = 500;
/** The exit code of a process refusing its configuration (EX_CONFIG): restarting would not help. */
const EX_CONFIG = 78;
const children = new Set<ChildProcess>();
const restarts = new Set<NodeJS.Timeout>();
let services: DevServices | undefined;
let stopping: Promise<void> | undefined;

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** Runs a process until Flagpole stops, starting it again with backoff whenever it exits on its own. */
function supervise(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  delayMs = FIRST_RESTART_MS,
): void {
  // the IPC channel lets the api and worker notice when this process is gone, even after a SIGKILL
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...services?.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const startedAt = Date.now();
  children.add(child);
  child.on('exit', (code, signal) => {
    children.delete(child);
    if (stopping) return;
    if (code === EX_CONFIG) {
      console.error(`${name} exited (invalid configuration); stopping Flagpole.`);
      void stop(1);
      return;
    }
    const delay = Date.now() - startedAt >= STABLE_AFTER_MS ? FIRST_RESTART_MS : delayMs;
    console.error(`${name} exited (${signal ?? code}); restarting in ${seconds(delay)}`);
    const timer = setTimeout(() => {
      restarts.delete(timer);
      if (!stopping) supervise(name, command, args, env, Math.min(delay * 2, MAX_RESTART_MS));
    }, delay);
    restarts.add(timer);
  });
}

/** The parent's parent too when npm runs us through `sh -c`: killing npm may leave that shell, or only us, behind. */
function parentPid(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after its closing parenthesis
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/**
 * npm does not reliably pass a SIGTERM on (a supervisor or `timeout` killing `npm start`
 * leaves its shell's child running), and CI runs without stdin: so poll whether the parent,
 * or npm above its shell, is gone, and stop as on Ctrl-C.
 */
function stopWithParent(): void {
  const parent = process.ppid;
  const grandparent = process.env.npm_lifecycle_event ? parentPid(parent) : undefined;
  setInterval(() => {
    const orphaned = process.ppid !== parent || (grandparent !== undefined && parentPid(parent) !== grandparent);
    if (!orphaned || stopping) return;
    console.error('npm start was stopped from outside; stopping Flagpole.');
    void stop(0);
  }, PARENT_CHECK_MS).unref();
}

/** Runs a node script to its end with the services' environment; fails when it does. */
function runToEnd(name: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...process.env, ...services?.env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${name} failed (${signal ?? code})`)),
    );
  });
}

/** Stops the api and worker, then the embedded PostgreSQL they were using; once, however often it is asked. */
function stop(code = 0): Promise<void> {
  stopping ??= (async () => {
    for (const timer of restarts) clearTimeout(timer);
    const running = [...children];
    for (const child of running) child.kill('SIGTERM');
    await Promise.all(
      running.map(
        (c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(null) : c.on('exit', r))),
      ),
    );
    await services
      ?.stop()
      .catch((err: Error) => console.error(`could not stop the embedded PostgreSQL: ${err.message}`));
    process.exit(code);
  })();
  return stopping;
}

async function waitForHealth(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  stopWithParent();
  services = await resolveDevServices(loadConfigOrExit(), root);
  const config = loadConfig({ ...process.env, ...services.env });
  // database, migrations and demo data in a process of its own: this one stays small while it watches the others
  await runToEnd('setup', ['--import', 'tsx', 'scripts/seed-demo.ts', '--quiet']);

  if (!dev && (await buildWebIfStale())) console.log('Web app built.');

  // the worker's /metrics: the configured port, or a free one (it must not take the api's)
  const metricsPort = config.workerMetricsPort || (await freePort());
  supervise('api', process.execPath, ['--import', 'tsx', 'api/main.ts']);
  supervise('worker', process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    FLAGPOLE_WORKER_METRICS_PORT: String(metricsPort),
  });
  await waitForHealth(`http://127.0.0.1:${config.port}/healthz`);
  if (dev) {
    supervise('web', bin('vite'), ['--config', 'web/vite.config.ts'], { API_PORT: String(config.port) });
    console.log('\nUI with hot reload: http://localhost:5173 (proxying the api)');
  }
  printDemoAccounts(config);
  console.log(`Worker metrics: http://127.0.0.1:${metricsPort}/metrics`);
}

main().catch(async (err: Error) => {
  console.error(err instanceof ConfigError ? err.message : `Flagpole could not start: ${err.message}`);
  await stop(1);
});
