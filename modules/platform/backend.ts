import {
  createPostgresBackend,
  Queue,
  withBackend,
  Worker,
  type Processor,
  type QueueOptions,
  type WorkerOptions,
} from 'bullmq';
import pg from 'pg';
import type { Knex } from 'knex';
import { UnavailableError } from '../../core/errors';
import { classifyDbError } from './db-errors';
import type { Config } from './config';
import type { Logger } from './logger';
import { createRedis, type Redis } from './redis';

/* eslint-disable @typescript-eslint/no-explicit-any -- job data is typed by JobQueues; the store and its connection type by the backend chosen at start-up */
/** A BullMQ queue or worker on whichever store the backend uses. */
export type AnyQueue = Queue<any, any, string, any, any, string, any, any>;
export type AnyWorker = Worker<any, any, string, any, any, any>;
type AnyProcessor = Processor<any, any, string>;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Where a job id stands: a BullMQ state, or 'unknown' when there is no such job. */
export type JobState =
  'completed' | 'failed' | 'delayed' | 'active' | 'waiting' | 'waiting-children' | 'prioritized' | 'unknown';

/** Tells every api process that a tenant's flags changed, so it rebuilds that tenant's snapshot. */
export interface ChangeSignal {
  publish(tenantId: string): Promise<void>;
  /** `onResubscribed` runs after a lost connection is back: signals sent meanwhile are gone, so compare with the database. */
  subscribe(
    onChange: (tenantId: string) => void,
    onResubscribed: () => void,
  ): { ready: Promise<void>; stop(): Promise<void> };
}

/**
 * What BullMQ queues and change signals run on, chosen once at start-up: Redis (production,
 * and whenever one is reachable) or, on a development machine without Redis, the PostgreSQL
 * Flagpole already uses (BullMQ's Postgres backend in its own schema, LISTEN/NOTIFY for
 * signals). Nothing outside this file knows which one is in use.
 */
export interface Backend {
  readonly kind: Config['queueBackend'];
  /** Shown in logs and /readyz, without credentials. */
  readonly description: string;
  queue(name: string, opts: Omit<QueueOptions, 'connection' | 'prefix'>): AnyQueue;
  worker(name: string, processor: AnyProcessor, opts: Omit<WorkerOptions, 'connection' | 'prefix'>): AnyWorker;
  /** The state of each job id, in as few round trips as the store allows. */
  jobStates(queue: AnyQueue, jobIds: string[]): Promise<JobState[]>;
  readonly signals: ChangeSignal;
  /** Resolves once the store answers; rejects with UnavailableError when it does not within `config.queueTimeoutMs`. */
  ping(): Promise<void>;
  /** `work` on the store, or UnavailableError once `config.queueTimeoutMs` has passed (what a request can wait for). */
  within<T>(work: Promise<T>): Promise<T>;
  /** Deletes every job, scheduler and queue setting of this deployment: what losing the queue store does (drills, benchmarks). */
  wipe(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `work`, or UnavailableError after `ms`. The work itself is not cancelled (a store call cannot
 * be), so its late outcome is dropped here; callers must not depend on it having failed.
 */
export function withinTimeout<T>(work: Promise<T>, ms: number, what = 'The queue store'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UnavailableError(`${what} did not answer within ${ms} ms; retry later.`)), ms);
    timer.unref();
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function createBackend(config: Config, db: Knex, logger: Logger): Backend {
  const backend =
    config.queueBackend === 'postgres' ? postgresBackend(config, db, logger) : redisBackend(config, logger);
  const within = <T>(work: Promise<T>) => withinTimeout(work, config.queueTimeoutMs);
  return { ...backend, within, ping: () => within(backend.ping()) };
}

function redisBackend(config: Config, logger: Logger): Omit<Backend, 'within'> {
  // workers wait for Redis however long it is away; what requests wait on fails fast instead (see redis.ts)
  const redis: Redis = createRedis(config.redisUrl, 'worker');
  const producer: Redis = createRedis(config.redisUrl, 'producer');
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  producer.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  // a command sent before the first connection would fail at once; after it, failing at once is the point
  const connected = new Promise<void>((resolve) => producer.once('ready', () => resolve()));
  const whenConnected = (): Promise<void> => (producer.status === 'ready' ? Promise.resolve() : connected);
  const prefix = config.redisPrefix;
  const channel = `${prefix}:changes`;
  return {
    kind: 'redis',
    description: `Redis ${redact(config.redisUrl)} (prefix ${prefix})`,
    queue: (name, opts) => {
      const queue = new Queue(name, { ...opts, connection: producer, prefix });
      // the producer connection logs each of its errors already; BullMQ would print them once more per queue
      queue.on('error', () => undefined);
      return queue;
    },
    worker: (name, processor, opts) => new Worker(name, processor, { ...opts, connection: redis, prefix }),
    async jobStates(queue, jobIds) {
      await whenConnected();
      const probe = producer.pipeline();
      for (const id of jobIds)
        probe
          .exists(queue.toKey(id))
          .zscore(queue.keys.completed, id)
          .zscore(queue.keys.failed, id)
          .zscore(queue.keys.delayed, id);
      const replies = (await probe.exec()) ?? [];
      return jobIds.map((_, i) => {
        const [exists, completed, failed, delayed] = replies.slice(4 * i, 4 * i + 4).map(([err, value]) => {
          if (err) throw err;
          return value;
        });
        if (!exists) return 'unknown';
        if (completed !== null) return 'completed';
        if (failed !== null) return 'failed';
        return delayed !== null ? 'delayed' : 'waiting';
      });
    },
    signals: {
      publish: async (tenantId) => {
        await whenConnected();
        await producer.publish(channel, tenantId);
      },
      subscribe(onChange, onResubscribed) {
        const subscriber = redis.duplicate();
        let connectedBefore = false;
        subscriber.on('message', (_channel: string, tenantId: string) => onChange(tenantId));
        subscriber.on('error', (err: Error) => logger.warn({ err: err.message }, 'change-signal subscriber error'));
        subscriber.on('ready', () => {
          if (connectedBefore) onResubscribed();
          connectedBefore = true;
        });
        const ready = subscriber.subscribe(channel).then(() => undefined);
        return { ready, stop: async () => subscriber.disconnect() };
      },
    },
    async ping() {
      await whenConnected();
      await producer.ping();
    },
    async wipe() {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    },
    close: async () => {
      // QUIT waits in the worker connection's offline queue while Redis is away: do not wait for it then
      await Promise.all(
        [redis, producer].map((r) => withinTimeout(r.quit(), config.queueTimeoutMs).catch(() => r.disconnect())),
      );
    },
  };
}

/** The schema BullMQ's tables live in: one per prefix, so deployments (and test runs) sharing a database stay apart. */
export function queueSchemaOf(prefix: string): string {
  return `bullmq_${prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
}

function postgresBackend(config: Config, db: Knex, logger: Logger): Omit<Backend, 'within'> {
  const schema = queueSchemaOf(config.redisPrefix);
  // each queue and worker owns a pool (BullMQ pins its search_path to the schema) plus, for
  // workers, one LISTEN connection; idle connections are closed after a few seconds
  const connection = {
    connectionString: config.databaseUrl,
    schema,
    migrate: true,
    max: 3,
    idleTimeoutMillis: 5000,
    Client: loggedClient(logger),
  };
  // a worker moves each of its `concurrency` jobs through several statements of its own
  const workerConnection = { ...connection, max: Math.max(3, Math.ceil(config.rollouts.workerConcurrency / 2)) };
  const { Queue: PgQueue, Worker: PgWorker } = withBackend(createPostgresBackend);
  const channel = `${config.redisPrefix}:changes`;
  return {
    kind: 'postgres',
    description: `PostgreSQL ${redact(config.databaseUrl)} (schema ${schema})`,
    queue: (name, opts) => {
      const queue = new PgQueue(name, { ...opts, connection });
      // a pooled connection that PostgreSQL drops (a restart) is emitted as an error: unheard, it would end the process
      queue.on('error', (err) => logger.warn({ err: err.message, queue: name }, 'queue store connection error'));
      return queue;
    },
    worker: (name, processor, opts) => new PgWorker(name, processor, { ...opts, connection: workerConnection }),
    jobStates: (queue, jobIds) => Promise.all(jobIds.map((id) => queue.getJobState(id) as Promise<JobState>)),
    signals: {
      publish: async (tenantId) => {
        await db.raw('select pg_notify(?, ?)', [channel, tenantId]);
      },
      subscribe: (onChange, onResubscribed) => listen(config.databaseUrl, channel, onChange, onResubscribed, logger),
    },
    ping: async () => {
      await db.raw('select 1');
    },
    async wipe() {
      const tables: Array<{ tablename: string }> = (
        await db.raw("select tablename from pg_tables where schemaname = ? and tablename <> 'migration'", [schema])
      ).rows;
      // row by row, not TRUNCATE: its table locks deadlock with a worker that is moving a job
      for (const { tablename } of tables) {
        for (let attempt = 1; ; attempt++) {
          try {
            await db.raw('delete from ??.??', [schema, tablename]);
            break;
          } catch (err) {
            if (classifyDbError(err) !== 'serialization' || attempt === 3) throw err;
          }
        }
      }
    },
    close: async () => undefined,
  };
}

/**
 * pg clients that log a dropped connection. pg-pool takes its error listener off a client while
 * it is checked out, so a client that PostgreSQL terminates between two statements (a restart)
 * would emit an unheard 'error', and that ends the process.
 */
function loggedClient(logger: Logger): typeof pg.Client {
  return class LoggedClient extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super(config);
      this.on('error', (err) => logger.warn({ err: err.message }, 'queue store connection error'));
    }
  };
}

/** LISTEN on a connection of its own; after a drop it reconnects (1 s, 2 s, … up to 30 s) and reports it. */
function listen(
  url: string,
  channel: string,
  onChange: (payload: string) => void,
  onResubscribed: () => void,
  logger: Logger,
): { ready: Promise<void>; stop(): Promise<void> } {
  let client: pg.Client | undefined;
  let stopped = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (isRetry: boolean): Promise<void> => {
    const c = new pg.Client({ connectionString: url, keepAlive: true });
    c.on('notification', (n) => n.channel === channel && n.payload && onChange(n.payload));
    c.on('error', (err) => logger.warn({ err: err.message }, 'change-signal listener error'));
    c.on('end', () => {
      if (stopped || client !== c) return;
      client = undefined;
      scheduleRetry();
    });
    client = c;
    await c.connect();
    await c.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
    failures = 0;
    if (isRetry) onResubscribed();
  };
  const scheduleRetry = () => {
    const delay = Math.min(30_000, 1000 * 2 ** failures++);
    retry = setTimeout(() => {
      connect(true).catch((err) => {
        logger.warn({ err: (err as Error).message }, 'change-signal listener could not reconnect');
        client?.end().catch(() => undefined);
        client = undefined;
        if (!stopped) scheduleRetry();
      });
    }, delay);
    retry.unref();
  };
  const ready = connect(false);
  ready.catch(() => {
    if (stopped) return;
    client?.end().catch(() => undefined);
    client = undefined;
    scheduleRetry();
  });
  return {
    ready,
    stop: async () => {
      stopped = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}

export function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
