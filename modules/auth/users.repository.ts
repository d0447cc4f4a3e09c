import type { Knex } from 'knex';
import type { Role } from '../../core/permissions';
import { newId } from '../platform/ids';

export interface User {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  disabledAt: Date | null;
}

export interface Membership {
  tenantId: string;
  slug: string;
  name: string;
  kind: 'merchant' | 'platform';
  role: Role;
}

/**
 * People and their tenant memberships.
 *
 * Calling convention (every repository): a method a write calls takes the write's transaction as
 * its first parameter (or the database, when the same read also runs outside a write); a read only
 * made outside writes uses the repository's own connection.
 */
export class UsersRepository {
  constructor(private readonly db: Knex) {}

  async findByEmail(email: string): Promise<User | undefined> {
    return this.db<User>('users').whereRaw('lower(email) = lower(?)', [email]).first();
  }

  async findById(id: string): Promise<User | undefined> {
    return this.db<User>('users').where({ id }).first();
  }

  async memberships(userId: string): Promise<Membership[]> {
    return this.db('memberships as m')
      .join('tenants as t', 't.id', 'm.tenant_id')
      .where('m.userId', userId)
      .select('t.id as tenantId', 't.slug', 't.name', 't.kind', 'm.role')
      .orderBy('t.slug');
  }

  async insert(trx: Knex, u: { email: string; name: string; passwordHash: string }): Promise<User> {
    const [row] = await trx('users')
      .insert({ id: newId(), ...u })
      .returning('*');
    return row;
  }

  async setPassword(trx: Knex, userId: string, passwordHash: string): Promise<void> {
    await trx('users').where({ id: userId }).update({ passwordHash });
  }

  async setMembership(trx: Knex, userId: string, tenantId: string, role: Role): Promise<void> {
    await trx('memberships').insert({ userId, tenantId, role }).onConflict(['user_id', 'tenant_id']).merge(['role']);
  }
}
