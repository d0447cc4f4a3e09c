import type { JobHandler } from './job-handler';

const IDEMPOTENCY_KEEP_MS = 24 * 3600_000;

/** Hourly: forgets idempotency keys older than a day, expired or revoked sessions and ended login-throttle windows. */
export const cleanup: JobHandler<'cleanup'> = async (_job, c) => {
  const now = c.clock.now();
  const idempotencyKeys = await c.idempotency.purgeOlderThan(new Date(now.getTime() - IDEMPOTENCY_KEEP_MS));
  const sessions = await c.repos.sessions.purgeExpired(now);
  const loginFailures = await c.loginThrottle.purgeExpired();
  return { idempotencyKeys, sessions, loginFailures };
};
