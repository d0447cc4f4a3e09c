import type { Knex } from 'knex';
import { NotFoundError, PreconditionFailedError } from '../../core/errors';
import type { AuditRepository } from '../audit/audit.repository';
import type { Clock } from '../platform/clock';
import { newId } from '../platform/ids';
import type { Page } from '../platform/pagination';
import type { JobPayloads } from '../platform/queues';
import type { ActionContext, UnitOfWork } from '../platform/unit-of-work';
import type { CreateWebhookInput, DeliveryView, UpdateWebhookInput, WebhookView } from './notifications.schemas';
import { SIGNATURE_HEADER, signPayload, TIMESTAMP_HEADER } from './signature';
import { toWebhookView, type WebhookRow, type WebhooksRepository } from './webhooks.repository';

/** A delivery attempt the receiver did not accept; the job retries it with backoff. */
export class DeliveryFailedError extends Error {}

export type DeliveryOutcome = { outcome: 'delivered'; statusCode: number } | { outcome: 'skipped'; why: string };

const MAX_ERROR_LENGTH = 500;

/** Per-tenant webhooks (admin) and the signed delivery of their events. */
export class WebhooksService {
  constructor(private readonly d: { uow: UnitOfWork; clock: Clock; audit: AuditRepository; webhooks: WebhooksRepository; timeoutMs: number }) {}

  list(tenantId: string, limit: number, cursor?: string): Promise<Page<WebhookView>> {
    return this.d.webhooks.list(tenantId, limit, cursor);
  }

  async get(tenantId: string, id: string): Promise<WebhookView> {
    const row = await this.d.webhooks.find(tenantId, id);
    if (!row) throw new NotFoundError('Webhook');
    return toWebhookView(row);
  }

  async deliveries(tenantId: string, webhookId: string, limit: number, cursor?: string): Promise<Page<DeliveryView>> {
    if (!(await this.d.webhooks.find(tenantId, webhookId))) throw new NotFoundError('Webhook');
    return this.d.webhooks.deliveries(tenantId, webhookId, limit, cursor);
  }

  async create(ctx: ActionContext, input: CreateWebhookInput): Promise<WebhookView> {
    return this.d.uow.run(ctx, async (trx) => {
      const now = this.d.clock.now();
      const row: WebhookRow = { id: newId(), tenantId: ctx.tenantId, ...input, version: 1, createdAt: now, updatedAt: now };
      await this.d.webhooks.insert(trx, row);
      const view = toWebhookView(row);
      await this.d.audit.record(trx, ctx, { action: 'webhook.created', resourceType: 'webhook', resourceId: row.id, after: view });
      return view;
    });
  }

  async update(ctx: ActionContext, id: string, changes: UpdateWebhookInput, ifMatch?: number): Promise<WebhookView> {
    return this.d.uow.run(ctx, async (trx) => {
      const before = await this.locked(trx, ctx.tenantId, id, ifMatch);
      const after = toWebhookView(await this.d.webhooks.update(trx, ctx.tenantId, id, changes, this.d.clock.now()));
      await this.d.audit.record(trx, ctx, {
        action: 'webhook.updated',
        resourceType: 'webhook',
        resourceId: id,
        before: toWebhookView(before),
        after: { ...after, ...(changes.secret !== undefined ? { secretChanged: true } : {}) },
      });
      return after;
    });
  }

  async remove(ctx: ActionContext, id: string, ifMatch?: number): Promise<void> {
    await this.d.uow.run(ctx, async (trx) => {
      const before = await this.locked(trx, ctx.tenantId, id, ifMatch);
      await this.d.webhooks.delete(trx, ctx.tenantId, id);
      await this.d.audit.record(trx, ctx, { action: 'webhook.deleted', resourceType: 'webhook', resourceId: id, before: toWebhookView(before) });
    });
  }

  private async locked(trx: Knex, tenantId: string, id: string, ifMatch?: number): Promise<WebhookRow> {
    const row = await this.d.webhooks.findForUpdate(trx, tenantId, id);
    if (!row) throw new NotFoundError('Webhook');
    if (ifMatch !== undefined && ifMatch !== row.version) throw new PreconditionFailedError(row.version);
    return row;
  }

  /**
   * One attempt: POST the stored payload, signed with the webhook's secret and the current
   * timestamp. Each outcome is written to the delivery log; a refused attempt throws so the
   * job retries, and the last one leaves the delivery `failed` with the reason.
   */
  async deliver(data: JobPayloads['deliver-webhook'], attempt: number, final: boolean): Promise<DeliveryOutcome> {
    const delivery = await this.d.webhooks.findDelivery(data.tenantId, data.deliveryId);
    if (!delivery || delivery.status !== 'pending') return { outcome: 'skipped', why: 'the delivery is not pending' };
    const hook = await this.d.webhooks.find(data.tenantId, delivery.webhookId);
    const now = this.d.clock.now();
    if (!hook || !hook.enabled) {
      await this.d.webhooks.recordAttempt(data.tenantId, delivery.id, {
        status: 'failed',
        attempts: attempt,
        lastStatusCode: null,
        lastError: 'The webhook was deleted or disabled.',
        deliveredAt: null,
        updatedAt: now,
      });
      return { outcome: 'skipped', why: 'the webhook was deleted or disabled' };
    }
    const body = JSON.stringify(delivery.payload);
    const timestamp = Math.floor(now.getTime() / 1000);
    let statusCode: number | null = null;
    let error: string;
    try {
      const res = await fetch(hook.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.d.timeoutMs),
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Flagpole-Webhooks/1',
          'X-Flagpole-Event': delivery.event,
          'X-Flagpole-Delivery': delivery.id,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signPayload(hook.secret, timestamp, body),
        },
        body,
      });
      await res.body?.cancel();
      statusCode = res.status;
      if (res.ok) {
        await this.d.webhooks.recordAttempt(data.tenantId, delivery.id, {
          status: 'delivered',
          attempts: attempt,
          lastStatusCode: statusCode,
          lastError: null,
          deliveredAt: now,
          updatedAt: now,
        });
        return { outcome: 'delivered', statusCode };
      }
      error = `The receiver answered HTTP ${res.status}.`;
    } catch (err) {
      const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
      error = `Could not reach the receiver: ${cause}`.slice(0, MAX_ERROR_LENGTH);
    }
    await this.d.webhooks.recordAttempt(data.tenantId, delivery.id, {
      status: final ? 'failed' : 'pending',
      attempts: attempt,
      lastStatusCode: statusCode,
      lastError: error,
      deliveredAt: null,
      updatedAt: now,
    });
    throw new DeliveryFailedError(error);
  }
}
