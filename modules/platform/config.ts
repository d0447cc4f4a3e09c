import { z } from 'zod';

const onOff = z.enum(['on', 'off']);
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
  /** Prefix for every Redis key and BullMQ queue, so several deployments can share a Redis. */
  REDIS_PREFIX: z.string().regex(/^[a-zA-Z0-9:_-]{1,40}$/).default('flagpole'),
  SESSION_SECRET: z.string().min(16).optional(),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 7),
  COOKIE_SECURE: bool.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/).default('256kb'),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(10),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  /** Hard switch for every admin write, whatever the per-tenant settings say. */
  FLAGPOLE_ADMIN_WRITES: onOff.default('on'),
  FLAGPOLE_DEMO_PASSWORD: z.string().min(8).default('flagpole-demo'),
  FLAGPOLE_WEB_DIST: z.string().optional(),
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
}

const DEV_SESSION_SECRET = 'flagpole-development-session-secret';

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const unknown = Object.keys(env).filter((k) => k.startsWith('FLAGPOLE_') && !(k in schema.shape));
  const parsed = schema.safeParse(env);
  const problems = [
    ...unknown.map((k) => `${k}: unknown setting (known: ${Object.keys(schema.shape).filter((s) => s.startsWith('FLAGPOLE_')).join(', ')})`),
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)),
  ];
  if (parsed.success && parsed.data.NODE_ENV === 'production' && !parsed.data.SESSION_SECRET) {
    problems.push('SESSION_SECRET: required when NODE_ENV=production');
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
