import type { Knex } from 'knex';
import type { Role } from '../../core/permissions';
import { newId, randomSecret, sha256, UUID_RE } from '../platform/ids';
import type { Cursors, Page } from '../platform/pagination';

export type TokenScope = 'admin' | 'evaluation';

export interface ApiToken {
  id: string;
  tenantId: string;
  name: string;
  scope: TokenScope;
  role: Role | null;
  tokenPrefix: string;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export interface ApiTokenView {
  id: string;
  name: string;
  scope: TokenScope;
  role: Role | null;
  prefix: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

export const toTokenView = (t: ApiToken): ApiTokenView => ({
  id: t.id,
  name: t.name,
  scope: t.scope,
  role: t.role,
  prefix: t.tokenPrefix,
  createdBy: t.createdBy,
  createdAt: t.createdAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  expiresAt: t.expiresAt?.toISOString() ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
});

const COLUMNS = [
  'id',
  'tenantId',
  'name',
  'scope',
  'role',
  'tokenPrefix',
  'createdBy',
  'createdAt',
  'lastUsedAt',
  'expiresAt',
  'revokedAt',
];

/**
 * Bearer tokens `fp_<secret>`: shown once, stored as a SHA-256 hash (high-entropy, so no salt is needed).
 *
 * Calling convention (every repository): a method a write calls takes the write's transaction as
 * its first parameter (or the database, when the same read also runs outside a write); a read only
 * made outside writes uses the repository's own connection.
 */
export class TokensRepository {
  constructor(
    private readonly db: Knex,
    private readonly cursors: Cursors,
  ) {}

  async create(
    trx: Knex,
    t: {
      tenantId: string;
      name: string;
      scope: TokenScope;
      role: Role | null;
      createdBy: string;
      expiresAt: Date | null;
      now: Date;
    },
  ): Promise<{ token: ApiToken; secret: string }> {
    const secret = `fp_${randomSecret(32)}`;
    const row = {
      id: newId(),
      tenantId: t.tenantId,
      name: t.name,
      scope: t.scope,
      role: t.role,
      tokenPrefix: secret.slice(0, 10),
      tokenHash: sha256(secret),
      createdBy: t.createdBy,
      createdAt: t.now,
      lastUsedAt: null,
      expiresAt: t.expiresAt,
      revokedAt: null,
    };
    await trx('api_tokens').insert(row);
    const { tokenHash: _hash, ...token } = row;
    return { token, secret };
  }

  async findActiveBySecret(secret: string, now: Date): Promise<ApiToken | undefined> {
    return this.db('api_tokens')
      .select(COLUMNS)
      .where({ tokenHash: sha256(secret) })
      .whereNull('revokedAt')
      .where((q) => q.whereNull('expiresAt').orWhere('expiresAt', '>', now))
      .first();
  }

  /** Records use at most once a minute per token, to keep the hot path write-free. */
  async touch(id: string, now: Date): Promise<void> {
    await this.db('api_tokens')
      .where({ id })
      .where((q) => q.whereNull('lastUsedAt').orWhere('lastUsedAt', '<', new Date(now.getTime() - 60_000)))
      .update({ lastUsedAt: now });
  }

  async findForUpdate(trx: Knex, tenantId: string, id: string): Promise<ApiToken | undefined> {
    if (!UUID_RE.test(id)) return undefined;
    return trx('api_tokens').select(COLUMNS).where({ tenantId, id }).forUpdate().first();
  }

  async revoke(trx: Knex, tenantId: string, id: string, now: Date): Promise<void> {
    await trx('api_tokens').where({ tenantId, id }).update({ revokedAt: now });
  }

  async list(tenantId: string, limit: number, cursor?: string): Promise<Page<ApiTokenView>> {
    const q = this.db('api_tokens').select(COLUMNS).where({ tenantId });
    return this.cursors.newestFirst(`tokens:${tenantId}`, q, limit, cursor, toTokenView);
  }
}
