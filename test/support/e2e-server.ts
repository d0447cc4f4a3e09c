import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApp } from '../../api/app';
import { loadConfig } from '../../modules/platform/config';
import { createContainer, type Container } from '../../modules/platform/container';
import { seedDemo } from '../../scripts/seed-demo';
import { buildWebIfStale, root, webDist } from '../../scripts/web-build';
import { ensureSchedules } from '../../worker/schedules';
import { startWorkers, type WorkerRuntime } from '../../worker/workers';
import { templateDb, urlFor, withAdmin } from './databases';
import { uniqueSuffix } from './test-app';

export interface E2eServer {
  url: string;
  c: Container;
  stop(): Promise<void>;
}

export interface E2eOptions {
  /** Also run the rollout worker in this process, with quick retries and a quick reconciler. */
  workers?: boolean;
  env?: Record<string, string>;
}

/** Settings for a worker that moves demo rollouts in seconds. */
const WORKER_ENV = {
  FLAGPOLE_RECONCILE_EVERY_MS: '500',
  FLAGPOLE_RETRY_BACKOFF_MS: '1',
  FLAGPOLE_ADVANCE_ATTEMPTS: '3',
  FLAGPOLE_WEBHOOK_ATTEMPTS: '2',
};

const LOCK = path.join(root, 'node_modules', '.flagpole-web-build.lock');

/** Two test files starting at once build the web app once: the second waits for the first. */
export async function buildWebOnce(): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // a lock older than any build is left over from a killed run
      if (Date.now() - fs.statSync(LOCK).mtimeMs > 180_000) fs.rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another test file to build the web app');
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    await buildWebIfStale();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * The real api serving the built web app, on a database of its own (cloned from the migrated
 * template, so test files never see each other's flags or plans) with the demo seed.
 */
export async function startE2eServer(options: E2eOptions = {}): Promise<E2eServer> {
  await buildWebOnce();
  const database = `${templateDb()}_e2e_${uniqueSuffix()}`.replace('_template', '');
  await withAdmin((admin) => admin.raw(`create database "${database}" template "${templateDb()}"`));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: urlFor(database),
    REDIS_PREFIX: `fpe2e-${uniqueSuffix()}`,
    ...(options.workers ? WORKER_ENV : {}),
    ...options.env,
  });
  const c = createContainer(config);
  await seedDemo(c);
  let runtime: WorkerRuntime | undefined;
  if (options.workers) {
    runtime = startWorkers(c);
    await ensureSchedules(c);
  }
  const server: Server = await new Promise((resolve) => {
    const s = createApp(c, { webDist }).listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    c,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await runtime?.close();
      for (const q of c.queues.all()) await q.obliterate({ force: true });
      await c.close();
      await withAdmin((admin) => admin.raw(`drop database if exists "${database}" with (force)`));
    },
  };
}
