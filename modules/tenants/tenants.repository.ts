import type { Knex } from 'knex';
import { newId, UUID_RE } from '../platform/ids';

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  kind: 'merchant' | 'platform';
}

/**
 * Tenants: merchants and the platform's ops workspace.
 *
 * Calling convention (every repository): a method a write calls takes the write's transaction as
 * its first parameter (or the database, when the same read also runs outside a write); a read only
 * made outside writes uses the repository's own connection.
 */
export class TenantsRepository {
  constructor(private readonly db: Knex) {}

  /** By slug (the name used in the API) or by id. */
  async find(slugOrId: string): Promise<Tenant | undefined> {
    const q = this.db<Tenant>('tenants').select('id', 'slug', 'name', 'kind');
    return UUID_RE.test(slugOrId) ? q.where({ id: slugOrId }).first() : q.where({ slug: slugOrId }).first();
  }

  /** A new tenant, inside the write that audits it (a slug taken is a unique violation). */
  async create(trx: Knex, t: Omit<Tenant, 'id'>): Promise<Tenant> {
    const [row] = await trx('tenants')
      .insert({ id: newId(), ...t })
      .returning(['id', 'slug', 'name', 'kind']);
    return row;
  }

  /** Seeds and tests: the tenant with this slug, made or renamed. */
  async upsert(t: Omit<Tenant, 'id'>): Promise<Tenant> {
    const [row] = await this.db('tenants')
      .insert({ id: newId(), ...t })
      .onConflict('slug')
      .merge(['name', 'kind'])
      .returning(['id', 'slug', 'name', 'kind']);
    return row;
  }
}
