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

/**
 * One write = one transaction: the use case changes rows and appends audit events through
 * `trx` and returns the response body (what an idempotent replay will answer); * `beforeCommit` stores the idempotent response; effects registered with
 * `afterCommit` (change signals, job enqueues) run only once the commit succeeded.
 */
export class UnitOfWork {
  constructor(
    private readonly db: Knex,
    private readonly onEffectError: (err: unknown) => void,
  ) {}

  async run<T>(ctx: ActionContext, work: (trx: Knex.Transaction, afterCommit: AfterCommit) => Promise<T>): Promise<T> {
    const effects: Array<() => Promise<void> | void> = [];
    const result = await this.db.transaction(async (trx) => {
      const value = await work(trx, (effect) => effects.push(effect));
      if (ctx.beforeCommit) await ctx.beforeCommit(trx, value);
      return value;
    });
    for (const effect of effects) {
      try {
        await effect();
      } catch (err) {
        // The write is committed; a lost effect is repaired by the reconciler, never by failing the request.
        this.onEffectError(err);
      }
    }
    return result;
  }
}
