import type { Knex } from 'knex';
import { AuditRepository } from '../audit/audit.repository';
import { AuditService } from '../audit/audit.service';
import { AuthService } from '../auth/auth.service';
import { LoginThrottle } from '../auth/login-throttle';
import { SessionsRepository } from '../auth/sessions.repository';
import { TokensRepository } from '../auth/tokens.repository';
import { UsersRepository } from '../auth/users.repository';
import { UsersService } from '../auth/users.service';
import { FlagUsageRepository } from '../flags/flag-usage.repository';
import { FlagsRepository } from '../flags/flags.repository';
import { FlagsService } from '../flags/flags.service';
import { RulesRepository } from '../flags/rules.repository';
import { RulesService } from '../flags/rules.service';
import { createEvaluation } from '../evaluation/evaluation.runtime';
import { GuardDataRepository } from '../guards/guard-data.repository';
import { SegmentsRepository } from '../segments/segments.repository';
import { SegmentsService } from '../segments/segments.service';
import { IdempotencyStore } from '../idempotency/idempotency.store';
import { NotificationsRepository } from '../notifications/notifications.repository';
import { NotificationsService } from '../notifications/notifications.service';
import { WebhooksRepository } from '../notifications/webhooks.repository';
import { WebhooksService } from '../notifications/webhooks.service';
import { AdvanceScheduler } from '../rollout-plans/advance-scheduler';
import { GuardChecker } from '../guards/guard-checker';
import { GuardChecksRepository } from '../guards/guard-checks.repository';
import { PlanTransitions } from '../rollout-plans/plan-transitions';
import { RolloutPlansRepository } from '../rollout-plans/rollout-plans.repository';
import { RolloutPlansService } from '../rollout-plans/rollout-plans.service';
import { RolloutRunner } from '../rollout-plans/rollout-runner';
import { SettingsRepository } from '../settings/settings.repository';
import { SettingsService } from '../settings/settings.service';
import { TenantsRepository } from '../tenants/tenants.repository';
import { createBackend } from './backend';
import { systemClock, type Clock } from './clock';
import type { Config } from './config';
import { createDb } from './db';
import { createLogger, type Logger } from './logger';
import { OutboundAddressPolicy } from './outbound-address';
import { Cursors } from './pagination';
import { JobQueues } from './queues';
import { SecretBox } from './secret-box';
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
  const backend = createBackend(config, db, logger);
  const uow = new UnitOfWork(db, {
    timeoutMs: config.queueTimeoutMs,
    onError: (err, ctx) =>
      logger.warn(
        { err, tenantId: ctx.tenantId, requestId: ctx.requestId, jobId: ctx.jobId },
        'after-commit effect failed; the reconciler or the snapshot check repairs it',
      ),
    onAbandoned: (pending, ctx) =>
      logger.warn(
        {
          pending,
          timeoutMs: config.queueTimeoutMs,
          tenantId: ctx.tenantId,
          requestId: ctx.requestId,
          jobId: ctx.jobId,
        },
        'queue store did not answer; answered without waiting for after-commit effects (the reconciler or the snapshot check repairs them)',
      ),
  });

  const cursors = new Cursors(config.sessionSecret);
  const audit = new AuditRepository(db, cursors);
  const tenants = new TenantsRepository(db);
  const users = new UsersRepository(db);
  const sessions = new SessionsRepository(db, config.sessionSecret);
  const tokens = new TokensRepository(db, cursors);
  const idempotency = new IdempotencyStore(db, clock);
  const flagsRepo = new FlagsRepository(db, cursors);
  const rules = new RulesRepository(clock);
  const segmentsRepo = new SegmentsRepository(db, cursors);
  const settingsRepo = new SettingsRepository();

  /** Tells every api process that a tenant's flags changed (after commit). */
  const publishChange = (tenantId: string): Promise<void> => backend.signals.publish(tenantId);

  const loginThrottle = new LoginThrottle({
    db,
    clock,
    maxFailures: config.loginMaxFailures,
    accountMaxFailures: config.loginAccountMaxFailures,
    windowSeconds: config.loginWindowSeconds,
  });
  const auth = new AuthService({
    db,
    throttle: loginThrottle,
    uow,
    clock,
    users,
    sessions,
    tokens,
    audit,
    sessionTtlHours: config.sessionTtlHours,
    publishChange,
  });
  const settings = new SettingsService({
    db,
    uow,
    clock,
    settings: settingsRepo,
    audit,
    adminWritesConfig: config.adminWrites,
  });
  const usersService = new UsersService({ uow, users, tenants, audit });
  const flags = new FlagsService({
    uow,
    clock,
    flags: flagsRepo,
    usage: new FlagUsageRepository(db),
    audit,
    publishChange,
  });
  const auditService = new AuditService({ audit });

  const queues = new JobQueues(backend, config.rollouts);
  const plansRepo = new RolloutPlansRepository(db, cursors);
  const notificationsRepo = new NotificationsRepository(db, cursors);
  const webhooksRepo = new WebhooksRepository(db, cursors);
  const notifications = new NotificationsService({
    uow,
    clock,
    audit,
    notifications: notificationsRepo,
    webhooks: webhooksRepo,
    queues,
  });
  const webhooks = new WebhooksService({
    uow,
    clock,
    audit,
    webhooks: webhooksRepo,
    secrets: new SecretBox(config.secretKeys),
    outbound: new OutboundAddressPolicy(config.webhooks.allowPrivate),
    timeoutMs: config.rollouts.webhookTimeoutMs,
  });
  const scheduler = new AdvanceScheduler(queues, clock);
  const guardChecks = new GuardChecksRepository(db);
  const guardData = new GuardDataRepository();
  // the checker moves plans through the transitions, and the transitions start its checks (called after both exist)
  const transitions = new PlanTransitions({
    clock,
    plans: plansRepo,
    rules,
    audit,
    notifications,
    scheduler,
    publishChange,
    watchGuards: (plan): Promise<void> => guardChecker.start(db, plan),
  });
  const guardChecker = new GuardChecker({
    uow,
    db,
    clock,
    plans: plansRepo,
    checks: guardChecks,
    data: guardData,
    transitions,
    settings,
    queues,
    prometheusUrl: config.prometheusUrl,
  });
  const rolloutDeps = {
    uow,
    clock,
    plans: plansRepo,
    flags: flagsRepo,
    audit,
    transitions,
    scheduler,
    settings,
    guardChecks,
  };
  const rollouts = new RolloutPlansService({ ...rolloutDeps, db });
  const rolloutRunner = new RolloutRunner({ ...rolloutDeps, guards: guardChecker, db });
  flags.addListener(rollouts);
  flags.addListener(notifications);
  const rulesService = new RulesService({
    db,
    uow,
    flags: flagsRepo,
    rules,
    segments: segmentsRepo,
    audit,
    publishChange,
  });
  const segments = new SegmentsService({ db, uow, clock, segments: segmentsRepo, rules, audit, publishChange });
  const evaluation = createEvaluation({
    db,
    signals: backend.signals,
    clock,
    logger,
    tokens,
    settings: config.evaluation,
  });

  async function close(): Promise<void> {
    await queues.close();
    await evaluation.stop();
    await Promise.allSettled([db.destroy(), backend.close()]);
  }

  return {
    config,
    logger,
    clock,
    db,
    backend,
    uow,
    repos: {
      audit,
      tenants,
      users,
      sessions,
      tokens,
      flags: flagsRepo,
      rules,
      segments: segmentsRepo,
      settings: settingsRepo,
      rolloutPlans: plansRepo,
      notifications: notificationsRepo,
      webhooks: webhooksRepo,
      guardChecks,
      guardData,
    },
    idempotency,
    loginThrottle,
    audit: auditService,
    auth,
    users: usersService,
    settings,
    flags,
    rules: rulesService,
    segments,
    evaluation,
    /** Exposures and tracking events per arm, for the worker's guard checks. */
    queues,
    rollouts,
    rolloutRunner,
    guardChecker,
    notifications,
    webhooks,
    publishChange,
    close,
  };
}

export type Container = ReturnType<typeof createContainer>;
