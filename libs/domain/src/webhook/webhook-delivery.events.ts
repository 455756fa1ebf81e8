import { Event } from '../shared/decider';

/**
 * Stream `webhook-delivery-{id}`: one breach notice to one organisation's webhook. The id derives from the
 * PartnersNotified event and the organisation, so every node names the same delivery the same way and a
 * receiver de-duplicates on it (`Accord-Webhook-Id`).
 */

/** Claimed before the POST: a second dispatcher racing for it loses the append and sends nothing. */
export type WebhookDeliveryAttempted = Event<
  'WebhookDeliveryAttempted',
  { orgId: string; breachId: string; attempt: number; url: string; attemptedAt: string }
>;

/** The receiver answered 2xx. */
export type WebhookDelivered = Event<
  'WebhookDelivered',
  { attempt: number; status: number; deliveredAt: string }
>;

/** Anything else: a non-2xx `status`, or an `error` code (timeout, connection-refused, ...). */
export type WebhookDeliveryFailed = Event<
  'WebhookDeliveryFailed',
  { attempt: number; status?: number; error?: string; failedAt: string; nextAttemptAt?: string }
>;

export type WebhookAbandonReason = 'attempts-exhausted' | 'webhook-removed';

/** No more attempts: every retry failed, or the organisation removed its webhook meanwhile. */
export type WebhookAbandoned = Event<
  'WebhookAbandoned',
  { attempts: number; reason: WebhookAbandonReason; abandonedAt: string }
>;

export type WebhookDeliveryEvent =
  WebhookDeliveryAttempted | WebhookDelivered | WebhookDeliveryFailed | WebhookAbandoned;

export const WEBHOOK_DELIVERY_EVENT_TYPES: readonly WebhookDeliveryEvent['type'][] = [
  'WebhookDeliveryAttempted',
  'WebhookDelivered',
  'WebhookDeliveryFailed',
  'WebhookAbandoned',
];
