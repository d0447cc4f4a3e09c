import type { Knex } from 'knex';
import { ConflictError, IdempotencyKeyReusedError } from '../../core/errors';
import { newId } from '../platform/ids';
import type { Clock } from '../platform/clock';

export interface IdempotencyScope {
  tenantId: string;
  /** `user:<id>` or `token:<id>`: a key is private to the credential that sent it. */
  credential: string;
  key: string;
}

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  /** The body exactly as sent the first time (JSON text), or undefined when there was none. */
  text?: string;
}

export type IdempotencyStart = { kind: 'proceed'; recordId: string } | { kind: 'replay'; response: StoredResponse };

interface Row {
  id: string;
  fingerprint: string;
  state: 'in_flight' | 'completed';
  responseStatus: number | null;
  responseHeaders: Record<string, string> | null;
  responseBody: unknown;
  responseText: string | null;
  lockedAt: Date;
}

/** Rows from before `response_text` existed keep only the (key-reordered) jsonb body. */
function textOf(row: Row): string | undefined {
  if (row.responseText !== null) return row.responseText;
  return row.responseBody === null || row.responseBody === undefined ? undefined : JSON.stringify(row.responseBody);
}

/**
 * Stores, per (tenant, credential, key), the request fingerprint and its final response.
 * A request claims its key by inserting an `in_flight` row; the write's own transaction
 * turns it into `completed` with the response, so a replay can never see a response
 * whose write did not commit.
 *
 * A claim is a lease: the request holding it renews it every `renewEveryMs` while it runs.
 * One not renewed for `leaseMs` (its api process was killed, or lost the database) is taken
 * over by the next retry, which gives the claim a new id, so the old holder, should it still
 * be alive, can no longer complete it: `complete` then fails inside that write's transaction,
 * which rolls back. Either way exactly one write commits per key.
 */
export class IdempotencyStore {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly leaseMs = 5_000,
  ) {}

  get renewEveryMs(): number {
    return Math.max(1, Math.floor(this.leaseMs / 5));
  }

  async begin(scope: IdempotencyScope, fingerprint: string): Promise<IdempotencyStart> {
    const now = this.clock.now();
    const id = newId();
    const inserted = await this.db('idempotency_keys')
      .insert({ id, ...scope, fingerprint, state: 'in_flight', lockedAt: now, createdAt: now })
      .onConflict(['tenant_id', 'credential', 'key'])
      .ignore()
      .returning('id');
    if (inserted.length === 1) return { kind: 'proceed', recordId: id };

    const row = await this.db<Row>('idempotency_keys').where(scope).first();
    if (!row) return this.begin(scope, fingerprint); // released between our insert and select
    if (row.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
    if (row.state === 'completed') {
      return {
        kind: 'replay',
        response: { status: row.responseStatus ?? 200, headers: row.responseHeaders ?? {}, text: textOf(row) },
      };
    }
    if (now.getTime() - row.lockedAt.getTime() > this.leaseMs) {
      const takenId = newId();
      const taken = await this.db('idempotency_keys')
        .where({ id: row.id, state: 'in_flight', lockedAt: row.lockedAt })
        .update({ id: takenId, lockedAt: now });
      if (taken === 1) return { kind: 'proceed', recordId: takenId };
    }
    throw new ConflictError('A request with this Idempotency-Key is still in progress.', 'in_flight');
  }

  /** Keeps a running request's claim from being taken over. */
  async renew(recordId: string): Promise<void> {
    await this.db('idempotency_keys')
      .where({ id: recordId, state: 'in_flight' })
      .update({ lockedAt: this.clock.now() });
  }

  /** Records the response; throws (rolling back `dbOrTrx`'s write) when a retry took the claim over meanwhile. */
  async complete(dbOrTrx: Knex, recordId: string, response: StoredResponse): Promise<void> {
    const updated = await dbOrTrx('idempotency_keys')
      .where({ id: recordId, state: 'in_flight' })
      .update({
        state: 'completed',
        responseStatus: response.status,
        responseHeaders: JSON.stringify(response.headers),
        responseText: response.text ?? null,
      });
    if (updated !== 1)
      throw new ConflictError(
        'A retry with this Idempotency-Key took over while this request was running.',
        'in_flight',
      );
  }

  /** The request failed and changed nothing: free the key so the client can retry it. */
  async release(recordId: string): Promise<void> {
    await this.db('idempotency_keys').where({ id: recordId, state: 'in_flight' }).delete();
  }

  async purgeOlderThan(cutoff: Date): Promise<number> {
    return this.db('idempotency_keys').where('createdAt', '<', cutoff).delete();
  }
}
