import type { Knex } from 'knex';
import { RateLimitedError } from '../../core/errors';
import type { Clock } from '../platform/clock';
import { sha256 } from '../platform/ids';

/** One counter as the attempt left it: what a success needs to take its attempt back. */
interface Counted {
  key: string;
  failures: number;
  windowEndsAt: Date;
}

/** An attempt that was counted and may now have its password checked. */
export interface LoginAttempt {
  address: Counted;
  account: Counted;
}

/**
 * Counts sign-in attempts in fixed windows that start at the first one: per email and address
 * (`maxFailures`) and per email whatever the address (`accountMaxFailures`). An attempt is
 * counted before its password is checked, in one upsert that returns the new count, so
 * however many arrive at once, at most the limit are checked in a window; the rest are
 * refused without looking the email up, so a refusal costs the same for any email.
 * A failed attempt simply stays counted (`failures` is failed plus in-flight attempts).
 */
export class LoginThrottle {
  constructor(
    private readonly d: {
      db: Knex;
      clock: Clock;
      maxFailures: number;
      accountMaxFailures: number;
      windowSeconds: number;
    },
  ) {}

  /** Counts an attempt, or throws RateLimitedError when a limit is reached (the attempt may not be checked). */
  async begin(email: string, ip: string): Promise<LoginAttempt> {
    // the address first: an address already refused does not use up the account's budget for everyone else
    const address = await this.count(addressKey(email, ip), this.d.maxFailures);
    const account = await this.count(accountKey(email), this.d.accountMaxFailures);
    return { address, account };
  }

  /**
   * A right password forgets the address's earlier failures, but only when no other attempt was
   * counted since its own: those are racing with it (e.g. a burst of guesses fired together with
   * it) and were let through or refused against the count that includes them, so wiping it would
   * let further guesses of the same burst be checked. When they raced, the count is left as it is.
   * On the account counter a success takes back only its own attempt: the account limit bounds
   * wrong guesses from all addresses, which the owner signing in meanwhile must not reset.
   */
  async succeeded(a: LoginAttempt): Promise<void> {
    await this.d
      .db('login_failures')
      .where({ key: a.address.key, failures: a.address.failures, windowEndsAt: a.address.windowEndsAt })
      .delete();
    await this.d
      .db('login_failures')
      .where({ key: a.account.key, windowEndsAt: a.account.windowEndsAt })
      .where('failures', '>', 0)
      .decrement('failures', 1);
  }

  /** For the hourly cleanup. */
  async purgeExpired(): Promise<number> {
    return this.d.db('login_failures').where('windowEndsAt', '<=', this.d.clock.now()).delete();
  }

  private async count(key: string, limit: number): Promise<Counted> {
    const now = this.d.clock.now();
    const windowEndsAt = new Date(now.getTime() + this.d.windowSeconds * 1000);
    const { rows } = await this.d.db.raw<{ rows: Array<{ failures: number; windowEndsAt: Date }> }>(
      `insert into login_failures (key, failures, window_ends_at) values (?, 1, ?)
       on conflict (key) do update set
         failures = case when login_failures.window_ends_at <= ? then 1 else login_failures.failures + 1 end,
         window_ends_at = case when login_failures.window_ends_at <= ? then excluded.window_ends_at else login_failures.window_ends_at end
       returning failures, window_ends_at as "windowEndsAt"`,
      [key, windowEndsAt, now, now],
    );
    const counted = { key, ...rows[0] };
    if (counted.failures > limit) throw new RateLimitedError((counted.windowEndsAt.getTime() - now.getTime()) / 1000);
    return counted;
  }
}

const addressKey = (email: string, ip: string): string => sha256(`${email.toLowerCase()}|${ip}`);
// no address is "*", so this never equals an address key
const accountKey = (email: string): string => sha256(`${email.toLowerCase()}|*`);
