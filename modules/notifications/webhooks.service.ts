import type { Knex } from 'knex';
import type { Actor } from '../../core/actor';
import { NotFoundError, ValidationError } from '../../core/errors';
import type { AuditRepository } from '../audit/audit.repository';
import type { Clock } from '../platform/clock';
import { newId } from '../platform/ids';
import { assertVersion } from '../platform/if-match';
import { postThrough, type OutboundAddressPolicy, type PostOutcome } from '../platform/outbound-address';
import type { Page } from '../platform/pagination';
import type { JobPayloads } from '../platform/queues';
import type { SecretBox } from '../platform/secret-box';
import type { ActionContext, UnitOfWork } from '../platform/unit-of-work';
import type { CreateWebhookInput, DeliveryView, UpdateWebhookInput, WebhookView } from './notifications.schemas';
import { SIGNATURE_HEADER, signPayload, TIMESTAMP_HEADER } from './signature';
import { toWebhookView, type WebhookRow, type WebhooksRepository } from './webhooks.repository';

/** A delivery attempt that did not succeed; the job retries it with backoff unless retrying cannot help. */
export class DeliveryFailedError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export type DeliveryOutcome = { outcome: 'delivered'; statusCode: number } | { outcome: 'skipped'; why: string };

/**
 * What the delivery log says. Stable and generic on purpose: a tenant learns whether the
 * receiver answered, not why a connection failed (refused, reset, timed out and
 * unresolvable read the same), so the log cannot be used to probe a network.
 */
export const DELIVERY_ERRORS = {
  blocked: 'The delivery was blocked: the address is not allowed.',
  unreachable: 'Could not reach the receiver (connection failed or timed out).',
  secret: 'The signing secret could not be decrypted with the configured keys.',
  status: (code: number) => `The receiver answered HTTP ${code}.`,
};

const reasonOf = (o: PostOutcome): string =>
  o.kind === 'answered'
    ? DELIVERY_ERRORS.status(o.statusCode)
    : o.kind === 'blocked'
      ? DELIVERY_ERRORS.blocked
      : DELIVERY_ERRORS.unreachable;

export interface WebhooksDeps {
  uow: UnitOfWork;
  clock: Clock;
  audit: AuditRepository;
  webhooks: WebhooksRepository;
  secrets: SecretBox;
  outbound: OutboundAddressPolicy;
  timeoutMs: number;
}

/** Per-tenant webhooks (admin) and the signed delivery of their events. */
export class WebhooksService {
  constructor(private readonly d: WebhooksDeps) {}

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
    this.checkTarget(input.url);
    return this.d.uow.run(ctx, async (trx) => {
      const now = this.d.clock.now();
      const row: WebhookRow = {
        id: newId(),
        tenantId: ctx.tenantId,
        ...input,
        secret: this.d.secrets.seal(input.secret),
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      await this.d.webhooks.insert(trx, row);
      const view = toWebhookView(row);
      await this.d.audit.record(trx, ctx, {
        action: 'webhook.created',
        resourceType: 'webhook',
        resourceId: row.id,
        after: view,
      });
      return view;
    });
  }

  async update(ctx: ActionContext, id: string, changes: UpdateWebhookInput, ifMatch?: number): Promise<WebhookView> {
    if (changes.url !== undefined) this.checkTarget(changes.url);
    const stored = changes.secret === undefined ? changes : { ...changes, secret: this.d.secrets.seal(changes.secret) };
    return this.d.uow.run(ctx, async (trx) => {
      const before = await this.locked(trx, ctx.tenantId, id, ifMatch);
      const after = toWebhookView(await this.d.webhooks.update(trx, ctx.tenantId, id, stored, this.d.clock.now()));
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
      await this.d.audit.record(trx, ctx, {
        action: 'webhook.deleted',
        resourceType: 'webhook',
        resourceId: id,
        before: toWebhookView(before),
      });
    });
  }

  /**
   * Re-seals every stored secret with the first key of FLAGPOLE_SECRET_KEYS (those already
   * under it are left alone, so a second run changes nothing). One transaction: a secret
   * that no configured key opens stops the rotation before anything is written.
   */
  async rotateSecrets(actor: Actor): Promise<{ keyId: string; reencrypted: number; total: number }> {
    return this.d.uow.run({ tenantId: '', actor }, async (trx) => {
      const rows = await this.d.webhooks.secretsAcrossTenantsForUpdate(trx);
      const stale = rows.filter((r) => !this.d.secrets.isCurrent(r.secret));
      for (const r of stale) {
        await this.d.webhooks.replaceSealedSecret(
          trx,
          r.tenantId,
          r.id,
          this.d.secrets.seal(this.d.secrets.open(r.secret)),
        );
      }
      const result = { keyId: this.d.secrets.primaryKeyId, reencrypted: stale.length, total: rows.length };
      await this.d.audit.record(
        trx,
        { tenantId: null, actor },
        { action: 'secrets.rotated', resourceType: 'webhook', resourceId: '*', after: result },
      );
      return result;
    });
  }

  /** Refuses, as a 400 naming `url`, a target that delivery would refuse whatever DNS says. */
  private checkTarget(url: string): void {
    const problem = this.d.outbound.targetProblem(url);
    if (problem) throw new ValidationError('Request body is invalid.', [{ path: 'url', message: problem }]);
  }

  private async locked(trx: Knex, tenantId: string, id: string, ifMatch?: number): Promise<WebhookRow> {
    const row = await this.d.webhooks.findForUpdate(trx, tenantId, id);
    if (!row) throw new NotFoundError('Webhook');
    assertVersion(row, ifMatch);
    return row;
  }

  /**
   * One attempt: POST the stored payload, signed with the webhook's secret and the current
   * timestamp, to an address the outbound policy allows (checked after DNS, redirects not
   * followed). Each outcome is written to the delivery log; a refused attempt throws so the
   * job retries, and the last one (or a blocked address, at once) leaves the delivery
   * `failed` with the reason.
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
    let secret: string | undefined;
    try {
      secret = this.d.secrets.open(hook.secret);
    } catch {
      // a key missing from FLAGPOLE_SECRET_KEYS is an operator's fix; the retries give it time
    }
    const outcome = secret
      ? await postThrough(
          this.d.outbound,
          hook.url,
          {
            'Content-Type': 'application/json',
            'User-Agent': 'Flagpole-Webhooks/1',
            'X-Flagpole-Event': delivery.event,
            'X-Flagpole-Delivery': delivery.id,
            [TIMESTAMP_HEADER]: String(timestamp),
            [SIGNATURE_HEADER]: signPayload(secret, timestamp, body),
          },
          body,
          this.d.timeoutMs,
        )
      : undefined;
    const statusCode = outcome?.kind === 'answered' ? outcome.statusCode : null;
    if (statusCode !== null && statusCode >= 200 && statusCode < 300) {
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
    // a blocked address stays blocked until the URL or the allow-list changes: retrying cannot help
    const retryable = outcome?.kind !== 'blocked';
    const error = outcome ? reasonOf(outcome) : DELIVERY_ERRORS.secret;
    await this.d.webhooks.recordAttempt(data.tenantId, delivery.id, {
      status: final || !retryable ? 'failed' : 'pending',
      attempts: attempt,
      lastStatusCode: statusCode,
      lastError: error,
      deliveredAt: null,
      updatedAt: now,
    });
    throw new DeliveryFailedError(error, retryable);
  }
}
