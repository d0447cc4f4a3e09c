/**
 * `npm start`: one command for the whole product on this machine. Creates and migrates the
 * database, seeds the demo, builds the web app when its sources changed, then runs the
 * api (serving the UI) and the worker until Ctrl-C. `--dev` serves the UI from Vite with
 * hot reload instead. In development without a reachable PostgreSQL it runs an embedded one,
 * and without Redis it runs the queues on PostgreSQL (see dev-services.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ConfigError, loadConfig, loadConfigOrExit } from '../modules/platform/config';
import { resolveDevServices, type DevServices } from './dev-services';
import { printDemoAccounts } from './demo-data';
import { buildWebIfStale, root } from './web-build';

const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
const dev = process.argv.includes('--dev');
const children: ChildProcess[] = [];
let services: DevServices | undefined;
let stopping: Promise<void> | undefined;

function run(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  // the IPC channel lets the api and worker notice when this process is gone, even after a SIGKILL
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...services?.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`${name} exited (${signal ?? code}); stopping Flagpole.`);
    void stop(typeof code === 'number' && code !== 0 ? code : 1);
  });
  children.push(child);
  return child;
}

/** Runs a node script to its end with the services' environment; fails when it does. */
function runToEnd(name: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...services?.env }, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${name} failed (${signal ?? code})`))));
  });
}

/** Stops the api and worker, then the embedded PostgreSQL they were using; once, however often it is asked. */
function stop(code = 0): Promise<void> {
  stopping ??= (async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(null) : c.on('exit', r)))));
    await services?.stop().catch((err: Error) => console.error(`could not stop the embedded PostgreSQL: ${err.message}`));
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
  services = await resolveDevServices(loadConfigOrExit(), root);
  const config = loadConfig({ ...process.env, ...services.env });
  // database, migrations and demo data in a process of its own: this one stays small while it watches the others
  await runToEnd('setup', ['--import', 'tsx', 'scripts/seed-demo.ts', '--quiet']);

  if (!dev && (await buildWebIfStale())) console.log('Web app built.');

  run('api', process.execPath, ['--import', 'tsx', 'api/main.ts']);
  run('worker', process.execPath, ['--import', 'tsx', 'worker/main.ts']);
  await waitForHealth(`http://127.0.0.1:${config.port}/healthz`);
  if (dev) {
    run('web', bin('vite'), ['--config', 'web/vite.config.ts'], { API_PORT: String(config.port) });
    console.log('\nUI with hot reload: http://localhost:5173 (proxying the api)');
  }
  printDemoAccounts(config);
}

main().catch(async (err: Error) => {
  console.error(err instanceof ConfigError ? err.message : `Flagpole could not start: ${err.message}`);
  await stop(1);
});
