import type { JobHandler } from './job-handler';

const IDEMPOTENCY_KEEP_MS = 24 * 3600_000;
/** An ended plan keeps its guard checks (the plan page's charts) this long. */
const GUARD_CHECKS_KEEP_MS = 30 * 24 * 3600_000;

/** Hourly: forgets idempotency keys older than a day, expired or revoked sessions, ended login-throttle windows and the guard checks of plans that ended 30 days ago. */
export const cleanup: JobHandler<'cleanup'> = async (_job, c) => {
  const now = c.clock.now();
  const idempotencyKeys = await c.idempotency.purgeOlderThan(new Date(now.getTime() - IDEMPOTENCY_KEEP_MS));
  const sessions = await c.repos.sessions.purgeExpired(now);
  const loginFailures = await c.loginThrottle.purgeExpired();
  const guardChecks = await c.repos.guardChecks.pruneEndedBefore(c.db, new Date(now.getTime() - GUARD_CHECKS_KEEP_MS));
  return { idempotencyKeys, sessions, loginFailures, guardChecks };
};
