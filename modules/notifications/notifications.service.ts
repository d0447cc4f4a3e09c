import type { Knex } from 'knex';
import { NotFoundError } from '../../core/errors';
import type { AuditRepository } from '../audit/audit.repository';
import type { FlagRow } from '../flags/flags.repository';
import type { FlagChangeListener } from '../flags/flags.service';
import type { Clock } from '../platform/clock';
import { newId } from '../platform/ids';
import type { Page } from '../platform/pagination';
import type { JobPayloads, JobQueues } from '../platform/queues';
import type { ActionContext, AfterCommit, UnitOfWork } from '../platform/unit-of-work';
import type { NotificationsRepository } from './notifications.repository';
import type { ListNotificationsQuery, NotificationEvent, NotificationView } from './notifications.schemas';
import type { WebhooksRepository } from './webhooks.repository';

export const deliveryJobId = (deliveryId: string): string => `deliver-${deliveryId}`;

/**
 * Plan and flag events become an inbox entry and one delivery per subscribed webhook, written
 * in the transaction of the change they report; deliveries are enqueued after commit.
 */
export class NotificationsService implements FlagChangeListener {
  constructor(
    private readonly d: {
      uow: UnitOfWork;
      clock: Clock;
      audit: AuditRepository;
      notifications: NotificationsRepository;
      webhooks: WebhooksRepository;
      queues: JobQueues;
    },
  ) {}

  async notify(
    trx: Knex.Transaction,
    afterCommit: AfterCommit,
    tenantId: string,
    event: NotificationEvent,
    title: string,
    payload: Record<string, unknown>,
  ): Promise<void> {
    const now = this.d.clock.now();
    const { webhookIds } = await this.d.notifications.insert(trx, tenantId, { event, title, payload, createdAt: now });
    for (const webhookId of webhookIds) {
      const id = newId();
      const body = { id, event, tenantId, createdAt: now.toISOString(), title, data: payload };
      await this.d.webhooks.insertDelivery(trx, {
        id,
        tenantId,
        webhookId,
        event,
        payload: body,
        createdAt: now,
        updatedAt: now,
      });
      afterCommit(() => this.enqueueDelivery({ tenantId, webhookId, deliveryId: id, event }));
    }
  }

  async enqueueDelivery(data: JobPayloads['deliver-webhook']): Promise<void> {
    await this.d.queues.add('deliver-webhook', data, { jobId: deliveryJobId(data.deliveryId) });
  }

  /** Re-enqueues deliveries still pending since before `before` (their job may have been lost with Redis). */
  async requeuePending(before: Date, limit = 1000): Promise<number> {
    const pending = await this.d.webhooks.pendingAcrossTenants(before, limit);
    for (const d of pending)
      await this.enqueueDelivery({ tenantId: d.tenantId, webhookId: d.webhookId, deliveryId: d.id, event: d.event });
    return pending.length;
  }

  async onFlagChanged(
    trx: Knex.Transaction,
    ctx: ActionContext,
    before: FlagRow,
    after: FlagRow,
    afterCommit: AfterCommit,
  ): Promise<void> {
    if (!before.enabled || after.enabled) return;
    const archived = after.archivedAt !== null && before.archivedAt === null;
    await this.notify(
      trx,
      afterCommit,
      ctx.tenantId,
      'flag.kill_switch',
      `Flag ${after.key} was ${archived ? 'archived' : 'switched off'} by ${ctx.actor.label}`,
      {
        flagId: after.id,
        flagKey: after.key,
        archived,
        actor: ctx.actor,
        reason: ctx.reason ?? null,
      },
    );
  }

  list(tenantId: string, query: ListNotificationsQuery): Promise<Page<NotificationView>> {
    return this.d.notifications.list(tenantId, query);
  }

  async unreadCount(tenantId: string): Promise<{ unread: number }> {
    return { unread: await this.d.notifications.unreadCount(tenantId) };
  }

  /** Marking what is already read is a no-op with no audit event. */
  async markRead(ctx: ActionContext, id: string): Promise<NotificationView> {
    return this.d.uow.run(ctx, async (trx) => {
      const before = await this.d.notifications.findForUpdate(trx, ctx.tenantId, id);
      if (!before) throw new NotFoundError('Notification');
      if (before.readAt) return before;
      const now = this.d.clock.now();
      await this.d.notifications.markRead(trx, ctx.tenantId, [id], ctx.actor.label, now);
      const after = { ...before, readAt: now.toISOString(), readBy: ctx.actor.label };
      await this.d.audit.record(trx, ctx, {
        action: 'notification.read',
        resourceType: 'notification',
        resourceId: id,
        before: { readAt: null },
        after: { readAt: after.readAt },
      });
      return after;
    });
  }

  async markAllRead(ctx: ActionContext): Promise<{ marked: number }> {
    return this.d.uow.run(ctx, async (trx) => {
      const marked = await this.d.notifications.markRead(trx, ctx.tenantId, 'all', ctx.actor.label, this.d.clock.now());
      if (marked > 0) {
        await this.d.audit.record(trx, ctx, {
          action: 'notification.read_all',
          resourceType: 'notification',
          resourceId: ctx.tenantId,
          after: { marked },
        });
      }
      return { marked };
    });
  }
}
