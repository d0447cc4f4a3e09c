import { api, getFresh } from './client';
import type { Notification, Page } from './types';

export const notificationsApi = {
  list: (params: { unread?: boolean; cursor?: string | null; limit?: number } = {}) =>
    getFresh<Page<Notification>>('/admin/notifications', {
      query: { unread: params.unread || undefined, cursor: params.cursor, limit: params.limit ?? 50 },
      retries: 0,
    }),
  unreadCount: () => getFresh<{ unread: number }>('/admin/notifications/unread-count', { retries: 0 }),
  markRead: (id: string) =>
    api.post<Notification>(`/admin/notifications/${encodeURIComponent(id)}/actions/mark-read`, {}),
  markAllRead: () => api.post<{ marked: number }>('/admin/notifications/actions/mark-all-read', {}),
};
