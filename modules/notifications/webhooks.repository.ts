import type { Knex } from 'knex';
import { UUID_RE } from '../platform/ids';
import type { Cursors, Page } from '../platform/pagination';
import type { DeliveryView, NotificationEvent, WebhookView } from './notifications.schemas';

export interface WebhookRow {
  id: string;
  tenantId: string;
  url: string;
  /** Sealed by the SecretBox (`fpsec1:…`); the table refuses anything else. */
  secret: string;
  events: NotificationEvent[];
  enabled: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface DeliveryRow {
  id: string;
  tenantId: string;
  webhookId: string;
  event: NotificationEvent;
  payload: Record<string, unknown>;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  deliveredAt: Date | null;
}

export const toWebhookView = (r: WebhookRow): WebhookView => ({
  id: r.id,
  url: r.url,
  events: r.events,
  enabled: r.enabled,
  version: r.version,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

const toDeliveryView = (r: DeliveryRow): DeliveryView => ({
  id: r.id,
  webhookId: r.webhookId,
  event: r.event,
  status: r.status,
  attempts: r.attempts,
  lastStatusCode: r.lastStatusCode,
  lastError: r.lastError,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
  deliveredAt: r.deliveredAt?.toISOString() ?? null,
});

export type WebhookChanges = Partial<Pick<WebhookRow, 'url' | 'secret' | 'events' | 'enabled'>>;

/**
 * Per-tenant webhooks and their delivery log.
 *
 * Calling convention (every repository): a method a write calls takes the write's transaction as
 * its first parameter (or the database, when the same read also runs outside a write); a read only
 * made outside writes uses the repository's own connection.
 */
export class WebhooksRepository {
  constructor(
    private readonly db: Knex,
    private readonly cursors: Cursors,
  ) {}

  async insert(trx: Knex, row: WebhookRow): Promise<void> {
    await trx('webhooks').insert(row);
  }

  async find(tenantId: string, id: string): Promise<WebhookRow | undefined> {
    if (!UUID_RE.test(id)) return undefined;
    return this.db<WebhookRow>('webhooks').where({ tenantId, id }).first();
  }

  async findForUpdate(trx: Knex, tenantId: string, id: string): Promise<WebhookRow | undefined> {
    if (!UUID_RE.test(id)) return undefined;
    return trx<WebhookRow>('webhooks').where({ tenantId, id }).forUpdate().first();
  }

  async update(trx: Knex, tenantId: string, id: string, changes: WebhookChanges, now: Date): Promise<WebhookRow> {
    const [row] = await trx<WebhookRow>('webhooks')
      .where({ tenantId, id })
      .update({ ...changes, updatedAt: now, version: trx.raw('version + 1') } as never)
      .returning('*');
    return row as WebhookRow;
  }

  /** Every webhook's sealed secret, locked, for re-encryption under a new key. */
  async secretsAcrossTenantsForUpdate(trx: Knex): Promise<Array<Pick<WebhookRow, 'id' | 'tenantId' | 'secret'>>> {
    return trx<WebhookRow>('webhooks').select('id', 'tenantId', 'secret').orderBy('id').forUpdate();
  }

  /** The same secret sealed again: neither the version nor updatedAt move, since nothing an admin set changed. */
  async replaceSealedSecret(trx: Knex, tenantId: string, id: string, secret: string): Promise<void> {
    await trx('webhooks').where({ tenantId, id }).update({ secret });
  }

  async delete(trx: Knex, tenantId: string, id: string): Promise<void> {
    await trx('webhooks').where({ tenantId, id }).delete();
  }

  async list(tenantId: string, limit: number, cursor?: string): Promise<Page<WebhookView>> {
    const q = this.db<WebhookRow>('webhooks').where({ tenantId });
    return this.cursors.newestFirst(`webhooks:${tenantId}`, q, limit, cursor, toWebhookView);
  }

  async insertDelivery(
    trx: Knex,
    row: Omit<DeliveryRow, 'lastStatusCode' | 'lastError' | 'deliveredAt' | 'attempts' | 'status'>,
  ): Promise<void> {
    await trx('webhook_deliveries').insert({ ...row, payload: JSON.stringify(row.payload) });
  }

  async findDelivery(tenantId: string, id: string): Promise<DeliveryRow | undefined> {
    if (!UUID_RE.test(id)) return undefined;
    return this.db<DeliveryRow>('webhook_deliveries').where({ tenantId, id }).first();
  }

  async recordAttempt(
    tenantId: string,
    id: string,
    outcome: Pick<DeliveryRow, 'status' | 'attempts' | 'lastStatusCode' | 'lastError' | 'deliveredAt' | 'updatedAt'>,
  ): Promise<void> {
    await this.db('webhook_deliveries').where({ tenantId, id }).update(outcome);
  }

  async deliveries(tenantId: string, webhookId: string, limit: number, cursor?: string): Promise<Page<DeliveryView>> {
    const q = this.db<DeliveryRow>('webhook_deliveries').where({ tenantId, webhookId });
    return this.cursors.newestFirst(`deliveries:${tenantId}:${webhookId}`, q, limit, cursor, toDeliveryView);
  }

  /** Deliveries still pending after `before`: their job may have been lost with Redis (the reconciler re-enqueues them). */
  async pendingAcrossTenants(
    before: Date,
    limit: number,
  ): Promise<Array<Pick<DeliveryRow, 'id' | 'tenantId' | 'webhookId' | 'event'>>> {
    return this.db<DeliveryRow>('webhook_deliveries')
      .select('id', 'tenantId', 'webhookId', 'event')
      .where({ status: 'pending' })
      .where('createdAt', '<', before)
      .orderBy('createdAt')
      .limit(limit);
  }
}
