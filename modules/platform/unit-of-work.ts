import type { Knex } from 'knex';
import type { Actor } from '../../core/actor';

/** Everything a write needs to know about who asked for it and why. */
export interface ActionContext {
  tenantId: string;
  actor: Actor;
  requestId?: string;
  jobId?: string;
  idempotencyKey?: string;
  reason?: string;
  /** Runs inside the write's transaction with its result (the api stores the idempotent response here). */
  beforeCommit?: (trx: Knex.Transaction, result: unknown) => Promise<void>;
}

export type AfterCommit = (effect: () => Promise<void> | void) => void;

export interface EffectHandling {
  /** How long a committed write waits for its effects before it answers anyway (`config.queueTimeoutMs`). */
  timeoutMs: number;
  onError(err: unknown, ctx: ActionContext): void;
  /** The write answered while `pending` effects were still waiting on the queue store. */
  onAbandoned(pending: number, ctx: ActionContext): void;
}

/**
 * One write = one transaction: the use case changes rows and appends audit events through
 * `trx` and returns the response body (what an idempotent replay will answer); `beforeCommit`
 * stores the idempotent response; effects registered with `afterCommit` (change signals, job
 * enqueues) run in order only once the commit succeeded. The answer waits for them at most
 * `timeoutMs`: a queue store that does not answer must not hold a committed write.
 */
export class UnitOfWork {
  constructor(
    private readonly db: Knex,
    private readonly effects: EffectHandling,
  ) {}

  async run<T>(ctx: ActionContext, work: (trx: Knex.Transaction, afterCommit: AfterCommit) => Promise<T>): Promise<T> {
    const effects: Array<() => Promise<void> | void> = [];
    const result = await this.db.transaction(async (trx) => {
      const value = await work(trx, (effect) => effects.push(effect));
      if (ctx.beforeCommit) await ctx.beforeCommit(trx, value);
      return value;
    });
    if (effects.length > 0) await this.settle(ctx, effects);
    return result;
  }

  /**
   * A failed or abandoned effect is repaired later, never by failing the request: the reconciler
   * re-enqueues overdue plans and pending webhook deliveries, and the periodic snapshot check
   * (and the re-check after a change-signal subscriber reconnects) catches up missed signals.
   */
  private async settle(ctx: ActionContext, effects: Array<() => Promise<void> | void>): Promise<void> {
    let done = 0;
    const all = (async () => {
      for (const effect of effects) {
        try {
          await effect();
        } catch (err) {
          this.effects.onError(err, ctx);
        }
        done++;
      }
    })();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.effects.timeoutMs);
      timer.unref();
    });
    const outcome = await Promise.race([all, late]);
    clearTimeout(timer);
    if (outcome === 'late') this.effects.onAbandoned(effects.length - done, ctx);
  }
}
