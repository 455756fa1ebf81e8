import { assertNever } from '../errors';
import { Decider } from '../shared/decider';
import {
  AttemptWebhookDelivery,
  RecordWebhookOutcome,
  WebhookDeliveryCommand,
} from './webhook-delivery.commands';
import { WebhookDeliveryEvent } from './webhook-delivery.events';
import { webhookFail } from './webhook.errors';
import { ATTEMPT_LEASE_MS, isDeliveredStatus, retryDelayMs } from './webhook-retry.policy';

export type WebhookDeliveryState =
  | { status: 'none' }
  | { status: 'attempting'; attempts: number; attemptedAt: string }
  | { status: 'failed'; attempts: number; nextAttemptAt: string }
  | { status: 'delivered' | 'abandoned'; attempts: number };

export const initialWebhookDeliveryState = (): WebhookDeliveryState => ({ status: 'none' });

export function evolveWebhookDelivery(
  _state: WebhookDeliveryState,
  event: WebhookDeliveryEvent,
): WebhookDeliveryState {
  switch (event.type) {
    case 'WebhookDeliveryAttempted':
      return { status: 'attempting', attempts: event.data.attempt, attemptedAt: event.data.attemptedAt };
    case 'WebhookDelivered':
      return { status: 'delivered', attempts: event.data.attempt };
    case 'WebhookDeliveryFailed':
      // Without a next attempt the failure is the last one; WebhookAbandoned follows in the same append.
      return event.data.nextAttemptAt === undefined
        ? { status: 'abandoned', attempts: event.data.attempt }
        : { status: 'failed', attempts: event.data.attempt, nextAttemptAt: event.data.nextAttemptAt };
    case 'WebhookAbandoned':
      return { status: 'abandoned', attempts: event.data.attempts };
    default:
      return assertNever(event, 'webhook delivery event');
  }
}

export function decideWebhookDelivery(
  command: WebhookDeliveryCommand,
  state: WebhookDeliveryState,
): WebhookDeliveryEvent[] {
  switch (command.type) {
    case 'AttemptWebhookDelivery':
      return attempt(command, state);
    case 'RecordWebhookOutcome':
      return outcome(command, state);
    case 'AbandonWebhookDelivery': {
      if (state.status === 'delivered' || state.status === 'abandoned')
        throw webhookFail('webhook.delivery-finished');
      const attempts = state.status === 'none' ? 0 : state.attempts;
      const abandonedAt = command.metadata.now.toISOString();
      return [{ type: 'WebhookAbandoned', data: { attempts, reason: command.data.reason, abandonedAt } }];
    }
    default:
      return assertNever(command, 'webhook delivery command');
  }
}

function attempt(
  { data, metadata }: AttemptWebhookDelivery,
  state: WebhookDeliveryState,
): WebhookDeliveryEvent[] {
  const now = metadata.now;
  if (state.status === 'delivered' || state.status === 'abandoned')
    throw webhookFail('webhook.delivery-finished');
  if (state.status === 'failed' && Date.parse(state.nextAttemptAt) > now.getTime())
    throw webhookFail('webhook.delivery-not-due');
  if (state.status === 'attempting' && Date.parse(state.attemptedAt) + ATTEMPT_LEASE_MS > now.getTime())
    throw webhookFail('webhook.delivery-in-progress');
  const attempts = state.status === 'none' ? 0 : state.attempts;
  // A process that died during the last permitted attempt leaves nothing more to try.
  if (attempts >= data.maxAttempts)
    return [
      {
        type: 'WebhookAbandoned',
        data: { attempts, reason: 'attempts-exhausted', abandonedAt: now.toISOString() },
      },
    ];
  return [
    {
      type: 'WebhookDeliveryAttempted',
      data: {
        orgId: data.orgId,
        breachId: data.breachId,
        attempt: attempts + 1,
        url: data.url,
        attemptedAt: now.toISOString(),
      },
    },
  ];
}

function outcome(
  { data, metadata }: RecordWebhookOutcome,
  state: WebhookDeliveryState,
): WebhookDeliveryEvent[] {
  // Only the attempt in flight may report: a late report from a dispatcher whose lease ran out changes nothing.
  if (state.status !== 'attempting' || state.attempts !== data.attempt)
    throw webhookFail('webhook.delivery-stale');
  const at = metadata.now.toISOString();
  if (data.status !== undefined && isDeliveredStatus(data.status))
    return [
      { type: 'WebhookDelivered', data: { attempt: data.attempt, status: data.status, deliveredAt: at } },
    ];
  const cause = {
    ...(data.status !== undefined ? { status: data.status } : {}),
    ...(data.status === undefined ? { error: data.error ?? 'network-error' } : {}),
  };
  if (data.attempt >= data.maxAttempts) {
    return [
      { type: 'WebhookDeliveryFailed', data: { attempt: data.attempt, ...cause, failedAt: at } },
      {
        type: 'WebhookAbandoned',
        data: { attempts: data.attempt, reason: 'attempts-exhausted', abandonedAt: at },
      },
    ];
  }
  const nextAttemptAt = new Date(
    metadata.now.getTime() + retryDelayMs(data.attempt, data.retryBaseMs),
  ).toISOString();
  return [
    { type: 'WebhookDeliveryFailed', data: { attempt: data.attempt, ...cause, failedAt: at, nextAttemptAt } },
  ];
}

export const webhookDeliveryDecider: Decider<
  WebhookDeliveryState,
  WebhookDeliveryCommand,
  WebhookDeliveryEvent
> = {
  decide: decideWebhookDelivery,
  evolve: evolveWebhookDelivery,
  initialState: initialWebhookDeliveryState,
};
