import { api, getFresh } from './client';
import type { NotificationEvent, Page, Webhook, WebhookDelivery } from './types';

export interface WebhookInput {
  url: string;
  secret?: string;
  events: NotificationEvent[];
  enabled: boolean;
}

const base = '/admin/webhooks';
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

export const webhooksApi = {
  list: () => getFresh<Page<Webhook>>(base, { query: { limit: 100 }, retries: 0 }),
  create: (input: WebhookInput) => api.post<Webhook>(base, input),
  update: (id: string, input: Partial<WebhookInput>, version: number) =>
    api.patch<Webhook>(one(id), input, { ifMatch: version }),
  remove: (id: string, version: number, idempotencyKey: string) =>
    api.delete<void>(one(id), { ifMatch: version, idempotencyKey }),
  deliveries: (id: string) =>
    getFresh<Page<WebhookDelivery>>(`${one(id)}/deliveries`, { query: { limit: 20 }, retries: 0 }),
};
