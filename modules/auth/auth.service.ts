import type { Knex } from 'knex';
import type { Actor } from '../../core/actor';
import { ConflictError, NotFoundError, UnauthenticatedError } from '../../core/errors';
import type { Role } from '../../core/permissions';
import type { AuditRepository } from '../audit/audit.repository';
import type { Clock } from '../platform/clock';
import type { ActionContext, UnitOfWork } from '../platform/unit-of-work';
import type { LoginThrottle } from './login-throttle';
import { DUMMY_HASH, verifyPassword } from './passwords';
import type { SessionsRepository } from './sessions.repository';
import { toTokenView, type ApiTokenView, type TokenScope, type TokensRepository } from './tokens.repository';
import type { Membership, UsersRepository } from './users.repository';

export type Principal =
  | {
      kind: 'user';
      userId: string;
      email: string;
      name: string;
      sessionId: string;
      csrfToken: string;
      memberships: Membership[];
    }
  | { kind: 'token'; tokenId: string; name: string; tenantId: string; scope: TokenScope; role: Role | null };

export function actorOf(p: Principal): Actor {
  return p.kind === 'user'
    ? { type: 'user', id: p.userId, label: p.email }
    : { type: 'token', id: p.tokenId, label: p.name };
}

export interface Me {
  user: { id: string; email: string; name: string };
  tenants: Array<{ id: string; slug: string; name: string; kind: string; role: Role }>;
  csrfToken: string;
}

export class AuthService {
  constructor(
    private readonly d: {
      db: Knex;
      throttle: LoginThrottle;
      uow: UnitOfWork;
      clock: Clock;
      users: UsersRepository;
      sessions: SessionsRepository;
      tokens: TokensRepository;
      audit: AuditRepository;
      sessionTtlHours: number;
      publishChange: (tenantId: string) => Promise<void>;
    },
  ) {}

  /**
   * Checks the password and opens a session. The attempt is counted first (per email and address,
   * and per email), so a refusal happens before the email is looked up, and an unknown email is
   * checked against a dummy hash of the same cost: neither tells which emails exist.
   */
  async login(
    email: string,
    password: string,
    ip: string,
    requestId: string,
  ): Promise<{ token: string; me: Me; expiresAt: Date }> {
    const attempt = await this.d.throttle.begin(email, ip);
    const user = await this.d.users.findByEmail(email);
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || user.disabledAt) throw new UnauthenticatedError('Email or password is incorrect.');
    await this.d.throttle.succeeded(attempt);
    const now = this.d.clock.now();
    const expiresAt = new Date(now.getTime() + this.d.sessionTtlHours * 3600_000);
    const actor: Actor = { type: 'user', id: user.id, label: user.email };
    const { token, session } = await this.d.uow.run({ tenantId: '', actor, requestId }, async (trx) => {
      const created = await this.d.sessions.create(trx, user.id, expiresAt);
      await this.d.audit.record(
        trx,
        { tenantId: null, actor, requestId },
        { action: 'auth.login', resourceType: 'session', resourceId: created.session.id },
      );
      return created;
    });
    return { token, expiresAt, me: await this.me(user.id, user.email, user.name, session.csrfToken) };
  }

  async logout(p: Extract<Principal, { kind: 'user' }>, requestId: string): Promise<void> {
    const actor = actorOf(p);
    await this.d.uow.run({ tenantId: '', actor, requestId }, async (trx) => {
      await this.d.sessions.revoke(trx, p.sessionId, this.d.clock.now());
      await this.d.audit.record(
        trx,
        { tenantId: null, actor, requestId },
        { action: 'auth.logout', resourceType: 'session', resourceId: p.sessionId },
      );
    });
  }

  async me(userId: string, email: string, name: string, csrfToken: string): Promise<Me> {
    const memberships = await this.d.users.memberships(userId);
    return {
      user: { id: userId, email, name },
      tenants: memberships.map((m) => ({ id: m.tenantId, slug: m.slug, name: m.name, kind: m.kind, role: m.role })),
      csrfToken,
    };
  }

  async principalFromSession(token: string): Promise<Principal | undefined> {
    const session = await this.d.sessions.findActive(token, this.d.clock.now());
    if (!session) return undefined;
    const user = await this.d.users.findById(session.userId);
    if (!user || user.disabledAt) return undefined;
    return {
      kind: 'user',
      userId: user.id,
      email: user.email,
      name: user.name,
      sessionId: session.id,
      csrfToken: session.csrfToken,
      memberships: await this.d.users.memberships(user.id),
    };
  }

  async principalFromToken(secret: string): Promise<Principal | undefined> {
    const now = this.d.clock.now();
    const token = await this.d.tokens.findActiveBySecret(secret, now);
    if (!token) return undefined;
    await this.d.tokens.touch(token.id, now);
    return {
      kind: 'token',
      tokenId: token.id,
      name: token.name,
      tenantId: token.tenantId,
      scope: token.scope,
      role: token.role,
    };
  }

  async createToken(
    ctx: ActionContext,
    input: { name: string; scope: TokenScope; role?: Role; expiresInDays?: number },
  ): Promise<{ token: ApiTokenView; secret: string }> {
    const now = this.d.clock.now();
    return this.d.uow.run(ctx, async (trx) => {
      const { token, secret } = await this.d.tokens.create(trx, {
        tenantId: ctx.tenantId,
        name: input.name,
        scope: input.scope,
        role: input.scope === 'admin' ? (input.role ?? 'viewer') : null,
        createdBy: ctx.actor.label,
        expiresAt: input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86400_000) : null,
        now,
      });
      const view = toTokenView(token);
      await this.d.audit.record(trx, ctx, {
        action: 'api_token.created',
        resourceType: 'api_token',
        resourceId: token.id,
        after: view,
      });
      return { token: view, secret };
    });
  }

  async revokeToken(ctx: ActionContext, id: string): Promise<ApiTokenView> {
    return this.d.uow.run(ctx, async (trx, afterCommit) => {
      afterCommit(() => this.d.publishChange(ctx.tenantId)); // every api process forgets the tenant's cached client tokens
      const token = await this.d.tokens.findForUpdate(trx, ctx.tenantId, id);
      if (!token) throw new NotFoundError('API token');
      if (token.revokedAt) throw new ConflictError('The token is already revoked.', 'revoked');
      const now = this.d.clock.now();
      await this.d.tokens.revoke(trx, ctx.tenantId, id, now);
      const before = toTokenView(token);
      const after = { ...before, revokedAt: now.toISOString() };
      await this.d.audit.record(trx, ctx, {
        action: 'api_token.revoked',
        resourceType: 'api_token',
        resourceId: id,
        before,
        after,
      });
      return after;
    });
  }

  listTokens(tenantId: string, limit: number, cursor?: string) {
    return this.d.tokens.list(tenantId, limit, cursor);
  }
}
