import { Command } from '../shared/decider';

export interface RetrySettings {
  maxAttempts: number;
  retryBaseMs: number;
}

/** Claim the next attempt; `url` is where the dispatcher is about to POST. */
export type AttemptWebhookDelivery = Command<
  'AttemptWebhookDelivery',
  { orgId: string; breachId: string; url: string } & RetrySettings
>;

/** The outcome of the attempt claimed: an HTTP `status`, or an `error` code when no answer came. */
export type RecordWebhookOutcome = Command<
  'RecordWebhookOutcome',
  { attempt: number; status?: number; error?: string } & RetrySettings
>;

export type AbandonWebhookDelivery = Command<'AbandonWebhookDelivery', { reason: 'webhook-removed' }>;

export type WebhookDeliveryCommand = AttemptWebhookDelivery | RecordWebhookOutcome | AbandonWebhookDelivery;
