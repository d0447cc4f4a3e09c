import { z } from 'zod';
import { urlSyntaxProblem } from '../platform/outbound-address';
import { booleanQuery, cursor, limit } from '../platform/schemas';

/** What the inbox and webhooks report. */
export const NOTIFICATION_EVENTS = [
  'plan.started',
  'plan.advanced',
  'plan.awaiting_approval',
  'plan.paused',
  'plan.failed',
  'plan.completed',
  'plan.aborted',
  'plan.guard_tripped',
  'flag.kill_switch',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export const listNotificationsQuery = z.strictObject({
  unread: booleanQuery.optional(),
  limit,
  cursor,
});
export type ListNotificationsQuery = z.output<typeof listNotificationsQuery>;

export const notificationView = z
  .object({
    id: z.string(),
    event: z.enum(NOTIFICATION_EVENTS),
    title: z.string(),
    payload: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    readAt: z.string().nullable(),
    readBy: z.string().nullable(),
  })
  .meta({ id: 'Notification' });
export type NotificationView = z.infer<typeof notificationView>;

const events = z
  .array(z.enum(NOTIFICATION_EVENTS))
  .min(1)
  .refine((e) => new Set(e).size === e.length, 'must not repeat an event');
/** The URL's form only; whether its address may be reached depends on the allow-list (the service checks that). */
const webhookUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http or https URL', abort: true })
  .max(2000)
  .superRefine((url, ctx) => {
    const problem = urlSyntaxProblem(url);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
const secret = z.string().min(16, 'must be at least 16 characters').max(200);

export const createWebhookBody = z.strictObject({
  url: webhookUrl,
  secret,
  events: events.default([...NOTIFICATION_EVENTS]),
  enabled: z.boolean().default(true),
});
export type CreateWebhookInput = z.output<typeof createWebhookBody>;

export const updateWebhookBody = z
  .strictObject({
    url: webhookUrl.optional(),
    secret: secret.optional(),
    events: events.optional(),
    enabled: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'must change url, secret, events or enabled');
export type UpdateWebhookInput = z.output<typeof updateWebhookBody>;

export const webhookView = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.enum(NOTIFICATION_EVENTS)),
    enabled: z.boolean(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Webhook' });
export type WebhookView = z.infer<typeof webhookView>;

export const deliveryView = z
  .object({
    id: z.string(),
    webhookId: z.string(),
    event: z.enum(NOTIFICATION_EVENTS),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    deliveredAt: z.string().nullable(),
  })
  .meta({ id: 'WebhookDelivery' });
export type DeliveryView = z.infer<typeof deliveryView>;
