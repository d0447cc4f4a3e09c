import type { ApiToken, TokensRepository } from '../auth/tokens.repository';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';

export type ClientAuth = { ok: true; tenantId: string; tokenId: string } | { ok: false; status: 401 | 403; message: string };

interface Entry {
  token: ApiToken | undefined;
  auth: ClientAuth;
  until: number;
}

const MAX_ENTRIES = 10_000;
const TOUCH_EVERY_MS = 60_000;
const UNKNOWN: ClientAuth = { ok: false, status: 401, message: 'The bearer token is invalid, expired or revoked.' };
const NOT_CLIENT: ClientAuth = { ok: false, status: 403, message: 'OFREP needs a client token (scope "evaluation"); admin tokens cannot evaluate.' };

/**
 * Client (evaluation) tokens for the OFREP hot path: looked up once, then remembered for
 * `ttlMs` (found or not) in this process's memory only, keyed by the secret the caller sent
 * (hashing it per request would double the cost of auth), so evaluations do not query the database. A revoked token stops
 * working within `ttlMs`. `lastUsedAt` is written at most once a minute per token.
 */
export class ClientTokens {
  private readonly entries = new Map<string, Entry>();
  private readonly touched = new Map<string, number>();

  constructor(private readonly d: { tokens: TokensRepository; clock: Clock; ttlMs: number; logger: Logger }) {}

  /** The answer from memory, or undefined when the database must be asked. */
  cached(secret: string): ClientAuth | undefined {
    const entry = this.entries.get(secret);
    const now = this.d.clock.now().getTime();
    if (!entry || entry.until <= now) return undefined;
    if (entry.token && entry.auth.ok) this.touch(entry.token, now);
    return entry.token?.expiresAt && entry.token.expiresAt.getTime() <= now ? UNKNOWN : entry.auth;
  }

  async authenticate(secret: string): Promise<ClientAuth> {
    const hit = this.cached(secret);
    if (hit) return hit;
    const now = this.d.clock.now();
    const token = await this.d.tokens.findActiveBySecret(secret, now);
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    const auth: ClientAuth = !token ? UNKNOWN : token.scope !== 'evaluation' ? NOT_CLIENT : { ok: true, tenantId: token.tenantId, tokenId: token.id };
    this.entries.set(secret, { token, auth, until: now.getTime() + this.d.ttlMs });
    if (token && auth.ok) this.touch(token, now.getTime());
    return auth;
  }

  /** `lastUsedAt`, written at most once a minute per token and never awaited by a request. */
  private touch(token: ApiToken, now: number): void {
    if ((this.touched.get(token.id) ?? 0) + TOUCH_EVERY_MS > now) return;
    this.touched.set(token.id, now);
    this.d.tokens.touch(token.id, new Date(now)).catch((err) => this.d.logger.warn({ err, tokenId: token.id }, 'could not record token use'));
  }
}
