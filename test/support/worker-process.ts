import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { TestApp } from './test-app';

const ROOT = path.resolve(__dirname, '../..');

/**
 * A real `worker/main.ts` process on the test app's database and queues (one process: node with
 * the tsx loader, so a signal reaches the worker itself); resolves once it has started. Quick
 * settings, so a crash is noticed in a second: a dead worker's jobs are handed on after 1 s, the
 * reconciler runs every 300 ms. The child is added to `children` at once, so the caller's afterAll
 * stops it by its PID (killAll) even when it never started.
 */
export async function spawnWorker(
  t: TestApp,
  children: ChildProcess[],
  env: Record<string, string> = {},
): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: t.config.databaseUrl,
      REDIS_PREFIX: t.config.redisPrefix,
      FLAGPOLE_QUEUE_BACKEND: t.config.queueBackend,
      FLAGPOLE_RECONCILE_EVERY_MS: '300',
      FLAGPOLE_WORKER_LOCK_MS: '1000',
      FLAGPOLE_RETRY_BACKOFF_MS: '10',
      FLAGPOLE_RECONCILE_GRACE_MS: '500',
      ...env,
    },
  });
  children.push(child);
  let output = '';
  child.stderr!.on('data', (d) => (output += String(d)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start within 15 s:\n${output}`)), 15_000);
    child.stdout!.on('data', (d) => {
      output += String(d);
      if (output.includes('worker started')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`worker exited with ${code}:\n${output}`)));
  });
  return child;
}

/** Resolves with the exit code (null when a signal ended it). */
export const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

/** SIGKILLs every child still running (afterAll). */
export function killAll(children: readonly ChildProcess[]): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
