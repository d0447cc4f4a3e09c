import type { JobHandler } from './job-handler';

const IDEMPOTENCY_KEEP_MS = 24 * 3600_000;
/** An ended plan keeps the exposures and tracking events behind its guards this long, */
const GUARD_DATA_KEEP_MS = 7 * 24 * 3600_000;
/** and its guard checks (the plan page's charts) this long. */
const GUARD_CHECKS_KEEP_MS = 30 * 24 * 3600_000;

/**
 * Hourly: forgets idempotency keys older than a day, expired or revoked sessions, ended login-throttle windows, the
 * exposures and tracking events of rollout plans that ended more than a week ago, and their guard checks after 30 days.
 */
export const cleanup: JobHandler<'cleanup'> = async (_job, c) => {
  const now = c.clock.now();
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const idempotencyKeys = await c.idempotency.purgeOlderThan(ago(IDEMPOTENCY_KEEP_MS));
  const sessions = await c.repos.sessions.purgeExpired(now);
  const loginFailures = await c.loginThrottle.purgeExpired();
  const guardData = await c.repos.guardData.pruneEndedBefore(c.db, ago(GUARD_DATA_KEEP_MS));
  const guardChecks = await c.repos.guardChecks.pruneEndedBefore(c.db, ago(GUARD_CHECKS_KEEP_MS));
  return { idempotencyKeys, sessions, loginFailures, guardData, guardChecks };
};
