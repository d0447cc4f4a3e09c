import type { ApiToken, TokensRepository } from '../auth/tokens.repository';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';

export type ClientAuth =
  { ok: true; tenantId: string; tokenId: string } | { ok: false; status: 401 | 403; message: string };

interface Entry {
  token: ApiToken | undefined;
  auth: ClientAuth;
  until: number;
}

const MAX_ENTRIES = 10_000;
const TOUCH_EVERY_MS = 60_000;
const UNKNOWN: ClientAuth = { ok: false, status: 401, message: 'The bearer token is invalid, expired or revoked.' };
const NOT_CLIENT: ClientAuth = {
  ok: false,
  status: 403,
  message: 'OFREP needs a client token (scope "evaluation"); admin tokens cannot evaluate.',
};

/**
 * Client (evaluation) tokens for the OFREP hot path: looked up once, then remembered for
 * `ttlMs` (found or not) in this process's memory only, keyed by the secret the caller sent
 * (hashing it per request would double the cost of auth), so evaluations do not query the database. A revocation
 * publishes the tenant's change signal, and every process then forgets that tenant's tokens (`forgetTenant`); `ttlMs`
 * only bounds how long a revoked token works in a process that missed the signal. While the database cannot be reached,
 * an entry past `ttlMs` still answers, so evaluations survive a database restart. `lastUsedAt` is written at most once
 * a minute per token.
 */
export class ClientTokens {
  private readonly entries = new Map<string, Entry>();
  private readonly touched = new Map<string, number>();
  /** Bumped by each forget: a lookup that was in flight meanwhile may have read a token just revoked, so it is not kept. */
  private generation = 0;

  constructor(private readonly d: { tokens: TokensRepository; clock: Clock; ttlMs: number; logger: Logger }) {}

  /** The answer from memory, or undefined when the database must be asked. */
  cached(secret: string): ClientAuth | undefined {
    const entry = this.entries.get(secret);
    const now = this.d.clock.now().getTime();
    if (!entry || entry.until <= now) return undefined;
    if (entry.token && entry.auth.ok) this.touch(entry.token, now);
    return entry.token?.expiresAt && entry.token.expiresAt.getTime() <= now ? UNKNOWN : entry.auth;
  }

  /** A tenant's change signal: its tokens are looked up again on their next use (entries of unknown secrets answer 401 anyway). */
  forgetTenant(tenantId: string): void {
    this.generation++;
    for (const [secret, entry] of this.entries) if (entry.token?.tenantId === tenantId) this.entries.delete(secret);
  }

  /** After a lost change-signal connection: any revocation may have been missed. */
  forgetAll(): void {
    this.generation++;
    this.entries.clear();
  }

  async authenticate(secret: string): Promise<ClientAuth> {
    const hit = this.cached(secret);
    if (hit) return hit;
    const now = this.d.clock.now();
    const generation = this.generation;
    let token: ApiToken | undefined;
    try {
      token = await this.d.tokens.findActiveBySecret(secret, now);
    } catch (err) {
      // the database is unreachable: a token this process knew (and was not told to forget) keeps evaluating
      const stale = this.entries.get(secret);
      if (!stale) throw err;
      return stale.token?.expiresAt && stale.token.expiresAt.getTime() <= now.getTime() ? UNKNOWN : stale.auth;
    }
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    const auth: ClientAuth = !token
      ? UNKNOWN
      : token.scope !== 'evaluation'
        ? NOT_CLIENT
        : { ok: true, tenantId: token.tenantId, tokenId: token.id };
    if (generation === this.generation) this.entries.set(secret, { token, auth, until: now.getTime() + this.d.ttlMs });
    if (token && auth.ok) this.touch(token, now.getTime());
    return auth;
  }

  /** `lastUsedAt`, written at most once a minute per token and never awaited by a request. */
  private touch(token: ApiToken, now: number): void {
    if ((this.touched.get(token.id) ?? 0) + TOUCH_EVERY_MS > now) return;
    this.touched.set(token.id, now);
    this.d.tokens
      .touch(token.id, new Date(now))
      .catch((err) => this.d.logger.warn({ err, tokenId: token.id }, 'could not record token use'));
  }
}
