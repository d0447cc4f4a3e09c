import type { Knex } from 'knex';
import type { Clock } from '../platform/clock';
import { sha256 } from '../platform/ids';

/**
 * Counts failed sign-ins per email and address in a fixed window that starts at the first
 * failure; at `maxFailures` further attempts are refused until the window ends.
 */
export class LoginThrottle {
  constructor(private readonly d: { db: Knex; clock: Clock; maxFailures: number; windowSeconds: number }) {}

  /** Seconds until the caller may try again, or 0 when they may try now. */
  async retryAfter(email: string, ip: string): Promise<number> {
    const row = await this.d
      .db('login_failures')
      .where({ key: keyOf(email, ip) })
      .first();
    const now = this.d.clock.now().getTime();
    if (!row || row.windowEndsAt.getTime() <= now || row.failures < this.d.maxFailures) return 0;
    return Math.max(1, Math.ceil((row.windowEndsAt.getTime() - now) / 1000));
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    const now = this.d.clock.now();
    const windowEndsAt = new Date(now.getTime() + this.d.windowSeconds * 1000);
    await this.d.db.raw(
      `insert into login_failures (key, failures, window_ends_at) values (?, 1, ?)
       on conflict (key) do update set
         failures = case when login_failures.window_ends_at <= ? then 1 else login_failures.failures + 1 end,
         window_ends_at = case when login_failures.window_ends_at <= ? then excluded.window_ends_at else login_failures.window_ends_at end`,
      [keyOf(email, ip), windowEndsAt, now, now],
    );
  }

  async reset(email: string, ip: string): Promise<void> {
    await this.d
      .db('login_failures')
      .where({ key: keyOf(email, ip) })
      .delete();
  }

  /** For the hourly cleanup. */
  async purgeExpired(): Promise<number> {
    return this.d.db('login_failures').where('windowEndsAt', '<=', this.d.clock.now()).delete();
  }
}

const keyOf = (email: string, ip: string): string => sha256(`${email.toLowerCase()}|${ip}`);
