import type { Knex } from 'knex';
import type { Redis } from 'ioredis';
import { AuditRepository } from '../audit/audit.repository';
import { AuthService } from '../auth/auth.service';
import { SessionsRepository } from '../auth/sessions.repository';
import { TokensRepository } from '../auth/tokens.repository';
import { UsersRepository } from '../auth/users.repository';
import { UsersService } from '../auth/users.service';
import { FlagsRepository } from '../flags/flags.repository';
import { FlagsService } from '../flags/flags.service';
import { IdempotencyStore } from '../idempotency/idempotency.store';
import { SettingsService } from '../settings/settings.service';
import { TenantsRepository } from '../tenants/tenants.repository';
import { systemClock, type Clock } from './clock';
import type { Config } from './config';
import { createDb } from './db';
import { createLogger, type Logger } from './logger';
import { createRedis } from './redis';
import { UnitOfWork } from './unit-of-work';

export interface ContainerOptions {
  clock?: Clock;
  logger?: Logger;
  name?: string;
}

/** Builds every dependency once; the api, the worker, the CLI and the tests all start here. */
export function createContainer(config: Config, options: ContainerOptions = {}) {
  const logger = options.logger ?? createLogger(config.logLevel, options.name ?? 'flagpole');
  const clock = options.clock ?? systemClock;
  const db: Knex = createDb(config.databaseUrl, config.databasePoolMax);
  const redis: Redis = createRedis(config.redisUrl);
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  const uow = new UnitOfWork(db, (err) => logger.error({ err }, 'after-commit effect failed'));
  const changesChannel = `${config.redisPrefix}:changes`;

  const audit = new AuditRepository(db);
  const tenants = new TenantsRepository(db);
  const users = new UsersRepository(db);
  const sessions = new SessionsRepository(db, config.sessionSecret);
  const tokens = new TokensRepository(db);
  const idempotency = new IdempotencyStore(db, clock);
  const flagsRepo = new FlagsRepository(db);

  /** Tells every api process that a tenant's flags changed (after commit). */
  const publishChange = async (tenantId: string): Promise<void> => {
    await redis.publish(changesChannel, tenantId);
  };

  const auth = new AuthService({
    db,
    redis,
    redisPrefix: config.redisPrefix,
    uow,
    clock,
    users,
    sessions,
    tokens,
    audit,
    sessionTtlHours: config.sessionTtlHours,
    loginMaxFailures: config.loginMaxFailures,
    loginWindowSeconds: config.loginWindowSeconds,
  });
  const settings = new SettingsService({ db, uow, clock, audit, adminWritesConfig: config.adminWrites });
  const usersService = new UsersService({ uow, users, tenants, audit });
  const flags = new FlagsService({ uow, clock, flags: flagsRepo, audit, publishChange });

  async function close(): Promise<void> {
    await Promise.allSettled([db.destroy(), redis.quit()]);
  }

  return {
    config,
    logger,
    clock,
    db,
    redis,
    uow,
    changesChannel,
    repos: { audit, tenants, users, sessions, tokens, flags: flagsRepo },
    idempotency,
    auth,
    users: usersService,
    settings,
    flags,
    publishChange,
    close,
  };
}

export type Container = ReturnType<typeof createContainer>;
