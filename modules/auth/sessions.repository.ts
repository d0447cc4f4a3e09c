import type { Knex } from 'knex';
import { createHmac } from 'node:crypto';
import { newId, randomSecret } from '../platform/ids';

export interface Session {
  id: string;
  userId: string;
  csrfToken: string;
  expiresAt: Date;
}

/**
 * Browser sessions: the cookie carries a random token; only its HMAC is stored.
 *
 * Calling convention (every repository): a method a write calls takes the write's transaction as
 * its first parameter (or the database, when the same read also runs outside a write); a read only
 * made outside writes uses the repository's own connection.
 */
export class SessionsRepository {
  constructor(
    private readonly db: Knex,
    private readonly secret: string,
  ) {}

  private hash(token: string): string {
    return createHmac('sha256', this.secret).update(token).digest('hex');
  }

  async create(trx: Knex, userId: string, expiresAt: Date): Promise<{ session: Session; token: string }> {
    const token = randomSecret(32);
    const session = { id: newId(), userId, csrfToken: randomSecret(24), expiresAt };
    await trx('sessions').insert({ ...session, tokenHash: this.hash(token) });
    return { session, token };
  }

  async findActive(token: string, now: Date): Promise<Session | undefined> {
    return this.db('sessions')
      .select('id', 'userId', 'csrfToken', 'expiresAt')
      .where({ tokenHash: this.hash(token) })
      .whereNull('revokedAt')
      .where('expiresAt', '>', now)
      .first();
  }

  async revoke(trx: Knex, id: string, now: Date): Promise<void> {
    await trx('sessions').where({ id }).update({ revokedAt: now });
  }

  async purgeExpired(now: Date): Promise<number> {
    return this.db('sessions').where('expiresAt', '<', now).orWhereNotNull('revokedAt').delete();
  }
}
