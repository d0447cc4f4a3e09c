import type { Clock } from '../../modules/platform/clock';

/** Tokens remembered at once; past this, windows that have ended are dropped (and, if all are current, every one). */
const MAX_TOKENS = 10_000;

interface Window {
  second: number;
  count: number;
}

/**
 * Requests per second per client token, in this process: a fixed one-second window, so the
 * hot path is one map lookup and an increment. Every OFREP route calls `take` with the
 * token id once authenticated. A limit of 0 turns it off.
 */
export class EvaluationRateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limit: number,
    private readonly clock: Clock,
    private readonly maxTokens = MAX_TOKENS,
  ) {}

  /** 0 when the request may go ahead, else the seconds to wait (`Retry-After`). */
  take(tokenId: string): number {
    if (this.limit === 0) return 0;
    const now = this.clock.now().getTime();
    const second = Math.floor(now / 1000);
    let w = this.windows.get(tokenId);
    if (!w) {
      if (this.windows.size >= this.maxTokens) this.evict(second);
      w = { second, count: 0 };
      this.windows.set(tokenId, w);
    } else if (w.second !== second) {
      w.second = second;
      w.count = 0;
    }
    if (w.count >= this.limit) return Math.max(1, Math.ceil(((second + 1) * 1000 - now) / 1000));
    w.count++;
    return 0;
  }

  /** How many tokens are remembered (bounded by `maxTokens`). */
  get size(): number {
    return this.windows.size;
  }

  private evict(second: number): void {
    for (const [id, w] of this.windows) if (w.second < second) this.windows.delete(id);
    if (this.windows.size >= this.maxTokens) this.windows.clear();
  }
}
