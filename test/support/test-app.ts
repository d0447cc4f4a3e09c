import type { Express } from 'express';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../../api/app';
import { systemActor } from '../../core/actor';
import type { Role } from '../../core/permissions';
import type { Clock } from '../../modules/platform/clock';
import { loadConfig, type Config } from '../../modules/platform/config';
import { createContainer, type Container } from '../../modules/platform/container';
import { templateDb, urlFor, withAdmin, workerDb } from './databases';

/** The database of this jest worker, cloned once from the migrated template. */
export async function workerDatabaseUrl(): Promise<string> {
  const name = workerDb(process.env.JEST_WORKER_ID ?? '1');
  await withAdmin(async (admin) => {
    const { rowCount } = await admin.raw('select 1 from pg_database where datname = ?', [name]);
    if (!rowCount) await admin.raw(`create database "${name}" template "${templateDb()}"`);
  });
  return urlFor(name);
}

export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

export interface TestApp {
  c: Container;
  app: Express;
  config: Config;
  close(): Promise<void>;
}

/**
 * The real app on the real stores: this worker's database and a queue prefix of its own, so
 * test files never see each other's queues or signals. The queues run on Redis, or on
 * PostgreSQL when FLAGPOLE_QUEUE_BACKEND=postgres (the integration-pg-queues jest project).
 */
export async function createTestApp(options: { clock?: Clock; env?: Record<string, string> } = {}): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: await workerDatabaseUrl(),
    REDIS_PREFIX: `fptest-${process.env.JEST_WORKER_ID ?? '1'}-${uniqueSuffix()}`,
    FLAGPOLE_QUEUE_BACKEND: process.env.FLAGPOLE_QUEUE_BACKEND ?? 'redis',
    ...options.env,
  });
  const c = createContainer(config, { clock: options.clock });
  return { c, app: createApp(c), config, close: () => c.close() };
}

export interface TestTenant {
  id: string;
  slug: string;
}

export async function createTenant(c: Container, prefix = 't'): Promise<TestTenant> {
  const t = await c.repos.tenants.upsert({
    slug: `${prefix}-${uniqueSuffix()}`,
    name: `Tenant ${prefix}`,
    kind: 'merchant',
  });
  return { id: t.id, slug: t.slug };
}

/** An admin-scope bearer token with `role` in `tenant`; returns the Authorization header value. */
export async function bearer(c: Container, tenant: TestTenant, role: Role): Promise<string> {
  const { secret } = await c.db.transaction((trx) =>
    c.repos.tokens.create(trx, {
      tenantId: tenant.id,
      name: `${role}-token`,
      scope: 'admin',
      role,
      createdBy: 'test',
      expiresAt: null,
      now: c.clock.now(),
    }),
  );
  return `Bearer ${secret}`;
}

export const TEST_PASSWORD = 'correct-horse-battery';

/** A person with roles, signed in through the real login route: a cookie agent plus the CSRF token. */
export async function signIn(t: TestApp, roles: Record<string, Role>, email = `u-${uniqueSuffix()}@example.test`) {
  await t.c.users.ensureUser(systemActor('test'), { email, name: 'Test User', password: TEST_PASSWORD, roles });
  const agent = request.agent(t.app);
  const res = await agent.post('/auth/login').send({ email, password: TEST_PASSWORD }).expect(200);
  return { agent, email, csrf: res.body.csrfToken as string, userId: res.body.user.id as string };
}

export async function auditCount(c: Container, tenantId: string): Promise<number> {
  const [{ count }] = await c.db('audit_log').where({ tenantId }).count<{ count: string }[]>('* as count');
  return Number(count);
}
