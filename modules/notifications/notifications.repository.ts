import type { Knex } from 'knex';
import { newId, UUID_RE } from '../platform/ids';
import type { Cursors, Page } from '../platform/pagination';
import type { ListNotificationsQuery, NotificationEvent, NotificationView } from './notifications.schemas';

interface NotificationRow {
  id: string;
  tenantId: string;
  event: NotificationEvent;
  title: string;
  payload: Record<string, unknown>;
  createdAt: Date;
  readAt: Date | null;
  readBy: string | null;
}

const toView = (r: NotificationRow): NotificationView => ({
  id: r.id,
  event: r.event,
  title: r.title,
  payload: r.payload,
  createdAt: r.createdAt.toISOString(),
  readAt: r.readAt?.toISOString() ?? null,
  readBy: r.readBy,
});

/**
 * The in-app inbox of a tenant.
 *
 * Calling convention (every repository): a method a write calls takes the write's transaction as
 * its first parameter (or the database, when the same read also runs outside a write); a read only
 * made outside writes uses the repository's own connection.
 */
export class NotificationsRepository {
  constructor(
    private readonly db: Knex,
    private readonly cursors: Cursors,
  ) {}

  /** Adds an inbox entry; answers, in the same round trip, the ids of the tenant's webhooks subscribed to the event. */
  async insert(
    trx: Knex,
    tenantId: string,
    n: { event: NotificationEvent; title: string; payload: Record<string, unknown>; createdAt: Date },
  ): Promise<{ id: string; webhookIds: string[] }> {
    const id = newId();
    const subscribed = trx('webhooks')
      .where({ tenantId, enabled: true })
      .whereRaw('events @> array[?]::text[]', [n.event])
      .select(trx.raw('coalesce(array_agg(id), array[]::uuid[])'));
    const [row] = await trx('notifications')
      .insert({ id, tenantId, ...n, payload: JSON.stringify(n.payload) })
      .returning(trx.raw('(?) as webhook_ids', [subscribed]) as never);
    return { id, webhookIds: (row as { webhookIds: string[] }).webhookIds };
  }

  async list(tenantId: string, f: ListNotificationsQuery): Promise<Page<NotificationView>> {
    const q = this.db<NotificationRow>('notifications').where({ tenantId });
    if (f.unread !== undefined) q.where((w) => (f.unread ? w.whereNull('readAt') : w.whereNotNull('readAt')));
    return this.cursors.newestFirst(`notifications:${tenantId}`, q, f.limit, f.cursor, toView);
  }

  async findForUpdate(trx: Knex, tenantId: string, id: string): Promise<NotificationView | undefined> {
    if (!UUID_RE.test(id)) return undefined;
    const row = await trx<NotificationRow>('notifications').where({ tenantId, id }).forUpdate().first();
    return row && toView(row);
  }

  async markRead(trx: Knex, tenantId: string, ids: string[] | 'all', by: string, now: Date): Promise<number> {
    const q = trx('notifications').where({ tenantId }).whereNull('readAt');
    if (ids !== 'all') q.whereIn('id', ids);
    return q.update({ readAt: now, readBy: by });
  }

  async unreadCount(tenantId: string): Promise<number> {
    const [{ count }] = await this.db('notifications')
      .where({ tenantId })
      .whereNull('readAt')
      .count<{ count: string }[]>('* as count');
    return Number(count);
  }
}
