import { z } from 'zod';
import { parseCidr } from './outbound-address';
import { secretKeysProblem } from './secret-box';

const onOff = z.enum(['on', 'off']);
const splitList = (v: string): string[] =>
  v
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
/** A comma-separated list; empty when unset. */
const commaList = z.string().default('').transform(splitList);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/**
 * Every setting Flagpole reads, parsed once at start-up. An invalid value, or an unknown
 * FLAGPOLE_* variable (usually a typo), stops the process with a message naming it.
 */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/flagpole'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  /** Prefix for every Redis key and BullMQ queue (on PostgreSQL: names the queues' schema), so several deployments can share a store. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9:_-]{1,40}$/)
    .default('flagpole'),
  SESSION_SECRET: z.string().min(16).optional(),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 7),
  COOKIE_SECURE: bool.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/)
    .default('256kb'),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(10),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  /** Hard switch for every admin write, whatever the per-tenant settings say. */
  FLAGPOLE_ADMIN_WRITES: onOff.default('on'),
  FLAGPOLE_DEMO_PASSWORD: z.string().min(8).default('flagpole-demo'),
  FLAGPOLE_WEB_DIST: z.string().optional(),
  /** Set by npm start when it runs an embedded PostgreSQL; shown in /readyz and the UI. */
  FLAGPOLE_DATABASE_MODE: z.enum(['external', 'embedded']).default('external'),
  /** What BullMQ queues and change signals run on. npm start picks `postgres` on a development machine without Redis. */
  FLAGPOLE_QUEUE_BACKEND: z.enum(['redis', 'postgres']).default('redis'),
  /** Where npm start keeps the embedded PostgreSQL's data (relative to the repository). */
  FLAGPOLE_DATA_DIR: z.string().min(1).default('.data'),
  /** Never fall back to embedded services, even in development (always so in production). */
  FLAGPOLE_REQUIRE_SERVICES: bool.default(false),
  /** Rollout worker: tries per advance before the plan fails, and the first retry's delay (doubling after). */
  FLAGPOLE_ADVANCE_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  FLAGPOLE_RETRY_BACKOFF_MS: z.coerce.number().int().min(1).max(3_600_000).default(1000),
  /** How often the reconciler re-enqueues due or overdue plans. */
  FLAGPOLE_RECONCILE_EVERY_MS: z.coerce.number().int().min(100).max(3_600_000).default(5000),
  /** A plan this much past due with no job in the queue is re-enqueued (a step on time is the queue's business). */
  FLAGPOLE_RECONCILE_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).default(10_000),
  FLAGPOLE_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(16),
  /** A job whose worker stopped renewing its lock for this long (a crash) is handed to another worker. */
  FLAGPOLE_WORKER_LOCK_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  FLAGPOLE_WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  FLAGPOLE_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** Origins allowed to call /ofrep from a browser: comma-separated, or `*`; empty = none. */
  FLAGPOLE_CORS_ORIGINS: commaList.refine(
    (list) => list.every((o) => o === '*' || /^https?:\/\/[^/\s]+$/.test(o)),
    'must be origins like https://shop.example.com, comma-separated, or *',
  ),
  /** Evaluation snapshots: how often each api process re-checks them against the database (signals are the fast path). */
  FLAGPOLE_SNAPSHOT_CHECK_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  FLAGPOLE_EVALUATION_FLUSH_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
  /** How often each api process writes the exposures and tracking events of guarded rollouts it gathered (also when a batch fills). */
  FLAGPOLE_GUARD_FLUSH_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  /** How long an api process remembers a client token lookup: the fallback for a revocation whose change signal it missed. */
  FLAGPOLE_TOKEN_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(10),
  /** Failed sign-ins per account (whatever the address) within LOGIN_WINDOW_SECONDS before the account is throttled. */
  FLAGPOLE_LOGIN_ACCOUNT_MAX_FAILURES: z.coerce.number().int().min(1).default(50),
  /** Which proxies' X-Forwarded-For to believe (Express `trust proxy`): `false` (default), `loopback`, a hop count, or CIDRs. */
  FLAGPOLE_TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v, ctx): boolean | number | string[] => {
      const t = v.trim();
      if (t === 'false' || t === '') return false;
      if (t === 'true') return true;
      if (/^\d{1,2}$/.test(t)) return Number(t);
      const list = splitList(t);
      if (list.every((x) => /^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/.test(x))) return list;
      ctx.addIssue({
        code: 'custom',
        message: 'must be false, true, a hop count, or addresses/CIDRs (loopback, 10.0.0.0/8, …), comma-separated',
      });
      return z.NEVER;
    }),
  /** CIDRs webhooks may reach although they are private (loopback, RFC 1918, link-local, unique-local …): comma-separated. */
  FLAGPOLE_WEBHOOK_ALLOW_PRIVATE: commaList.refine(
    (list) => list.every((c) => parseCidr(c)),
    'must be addresses or CIDRs like 10.1.0.0/16, fd00:1::/64 or 127.0.0.1/32, comma-separated',
  ),
  /** The Prometheus that `prometheus` guards query (its base URL, e.g. http://prometheus:9090); unset, such guards are inconclusive. */
  FLAGPOLE_PROMETHEUS_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL like http://prometheus:9090' })
    .optional(),
  /**
   * Keys that encrypt secrets at rest (webhook signing secrets): comma-separated, 32 bytes each as base64 or hex.
   * The first encrypts; all decrypt, so a new key goes first and the old one stays until `flagpole secrets rotate` ran.
   */
  FLAGPOLE_SECRET_KEYS: z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      const problem = v === undefined ? undefined : secretKeysProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  /** OFREP (evaluate and track) requests per second per client token in each api process; 0 turns the limit off. */
  FLAGPOLE_EVALUATION_RATE_LIMIT: z.coerce.number().int().min(0).default(5000),
  /** The worker's own /metrics port (0: none). npm start sets it. */
  FLAGPOLE_WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** How long a request waits for the queue store (after-commit signals and enqueues, job lookups) before going on without it. */
  FLAGPOLE_QUEUE_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
});

export interface Config {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  databaseUrl: string;
  databasePoolMax: number;
  redisUrl: string;
  redisPrefix: string;
  sessionSecret: string;
  sessionTtlHours: number;
  cookieSecure: boolean;
  logLevel: string;
  bodyLimit: string;
  loginMaxFailures: number;
  loginWindowSeconds: number;
  adminWrites: boolean;
  demoPassword: string;
  webDist?: string;
  databaseMode: 'external' | 'embedded';
  queueBackend: 'redis' | 'postgres';
  dataDir: string;
  requireServices: boolean;
  loginAccountMaxFailures: number;
  trustProxy: boolean | number | string[];
  /** Raw FLAGPOLE_SECRET_KEYS (parsed by the secret box); undefined in development uses a fixed development key. */
  secretKeys?: string;
  queueTimeoutMs: number;
  workerMetricsPort: number;
  webhooks: {
    allowPrivate: string[];
  };
  /** Base URL of the Prometheus guards query; null when not set. */
  prometheusUrl: string | null;
  rollouts: {
    advanceAttempts: number;
    retryBackoffMs: number;
    reconcileEveryMs: number;
    reconcileGraceMs: number;
    workerConcurrency: number;
    workerLockMs: number;
    webhookAttempts: number;
    webhookTimeoutMs: number;
  };
  evaluation: {
    corsOrigins: string[];
    snapshotCheckSeconds: number;
    flushSeconds: number;
    guardFlushMs: number;
    tokenCacheSeconds: number;
    rateLimit: number;
  };
}

const DEV_SESSION_SECRET = 'flagpole-development-session-secret';

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const unknown = Object.keys(env).filter((k) => k.startsWith('FLAGPOLE_') && !(k in schema.shape));
  const parsed = schema.safeParse(env);
  const problems = [
    ...unknown.map(
      (k) =>
        `${k}: unknown setting (known: ${Object.keys(schema.shape)
          .filter((s) => s.startsWith('FLAGPOLE_'))
          .join(', ')})`,
    ),
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)),
  ];
  if (parsed.success && parsed.data.NODE_ENV === 'production' && !parsed.data.SESSION_SECRET) {
    problems.push('SESSION_SECRET: required when NODE_ENV=production');
  }
  if (parsed.success && parsed.data.NODE_ENV === 'production' && !parsed.data.FLAGPOLE_SECRET_KEYS) {
    problems.push('FLAGPOLE_SECRET_KEYS: required when NODE_ENV=production (32-byte keys: openssl rand -base64 32)');
  }
  if (parsed.success && parsed.data.NODE_ENV === 'production') {
    // production runs on real services only: no embedded database, no queues on PostgreSQL
    if (parsed.data.FLAGPOLE_DATABASE_MODE === 'embedded')
      problems.push('FLAGPOLE_DATABASE_MODE: embedded is for development only');
    if (parsed.data.FLAGPOLE_QUEUE_BACKEND === 'postgres')
      problems.push('FLAGPOLE_QUEUE_BACKEND: postgres is for development only; production runs BullMQ on Redis');
  }
  if (problems.length > 0 || !parsed.success) {
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const c = parsed.data;
  return {
    env: c.NODE_ENV,
    host: c.HOST,
    port: c.PORT,
    databaseUrl: c.DATABASE_URL,
    databasePoolMax: c.DATABASE_POOL_MAX,
    redisUrl: c.REDIS_URL,
    redisPrefix: c.REDIS_PREFIX,
    sessionSecret: c.SESSION_SECRET ?? DEV_SESSION_SECRET,
    sessionTtlHours: c.SESSION_TTL_HOURS,
    cookieSecure: c.COOKIE_SECURE ?? c.NODE_ENV === 'production',
    logLevel: c.LOG_LEVEL,
    bodyLimit: c.BODY_LIMIT,
    loginMaxFailures: c.LOGIN_MAX_FAILURES,
    loginWindowSeconds: c.LOGIN_WINDOW_SECONDS,
    adminWrites: c.FLAGPOLE_ADMIN_WRITES === 'on',
    demoPassword: c.FLAGPOLE_DEMO_PASSWORD,
    webDist: c.FLAGPOLE_WEB_DIST,
    databaseMode: c.FLAGPOLE_DATABASE_MODE,
    queueBackend: c.FLAGPOLE_QUEUE_BACKEND,
    dataDir: c.FLAGPOLE_DATA_DIR,
    requireServices: c.FLAGPOLE_REQUIRE_SERVICES,
    loginAccountMaxFailures: c.FLAGPOLE_LOGIN_ACCOUNT_MAX_FAILURES,
    trustProxy: c.FLAGPOLE_TRUST_PROXY,
    secretKeys: c.FLAGPOLE_SECRET_KEYS,
    queueTimeoutMs: c.FLAGPOLE_QUEUE_TIMEOUT_MS,
    workerMetricsPort: c.FLAGPOLE_WORKER_METRICS_PORT,
    webhooks: { allowPrivate: c.FLAGPOLE_WEBHOOK_ALLOW_PRIVATE },
    prometheusUrl: c.FLAGPOLE_PROMETHEUS_URL ?? null,
    rollouts: {
      advanceAttempts: c.FLAGPOLE_ADVANCE_ATTEMPTS,
      retryBackoffMs: c.FLAGPOLE_RETRY_BACKOFF_MS,
      reconcileEveryMs: c.FLAGPOLE_RECONCILE_EVERY_MS,
      reconcileGraceMs: c.FLAGPOLE_RECONCILE_GRACE_MS,
      workerConcurrency: c.FLAGPOLE_WORKER_CONCURRENCY,
      workerLockMs: c.FLAGPOLE_WORKER_LOCK_MS,
      webhookAttempts: c.FLAGPOLE_WEBHOOK_ATTEMPTS,
      webhookTimeoutMs: c.FLAGPOLE_WEBHOOK_TIMEOUT_MS,
    },
    evaluation: {
      corsOrigins: c.FLAGPOLE_CORS_ORIGINS,
      snapshotCheckSeconds: c.FLAGPOLE_SNAPSHOT_CHECK_SECONDS,
      flushSeconds: c.FLAGPOLE_EVALUATION_FLUSH_SECONDS,
      guardFlushMs: c.FLAGPOLE_GUARD_FLUSH_MS,
      tokenCacheSeconds: c.FLAGPOLE_TOKEN_CACHE_SECONDS,
      rateLimit: c.FLAGPOLE_EVALUATION_RATE_LIMIT,
    },
  };
}

/** For entry points: parse the config or print why not and exit. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}
