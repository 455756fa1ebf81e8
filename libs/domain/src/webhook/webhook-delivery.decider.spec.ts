import { WebhookDeliveryCommand } from './webhook-delivery.commands';
import { webhookDeliveryDecider, WebhookDeliveryState } from './webhook-delivery.decider';
import { WebhookDeliveryEvent } from './webhook-delivery.events';
import { ATTEMPT_LEASE_MS, retryDelayMs } from './webhook-retry.policy';
import { isWebhookError } from './webhook.errors';

const T0 = new Date('2026-03-02T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const settings = { maxAttempts: 3, retryBaseMs: 10_000 };
const URL_ = 'https://hooks.example.org/accord';

const attemptCmd = (now = T0): WebhookDeliveryCommand => ({
  type: 'AttemptWebhookDelivery',
  data: { orgId: 'org-b', breachId: 'b1', url: URL_, ...settings },
  metadata: { now },
});
const outcomeCmd = (
  attempt: number,
  result: { status?: number; error?: string },
  now = T0,
): WebhookDeliveryCommand => ({
  type: 'RecordWebhookOutcome',
  data: { attempt, ...result, ...settings },
  metadata: { now },
});
const attempted = (attempt: number, now = T0): WebhookDeliveryEvent => ({
  type: 'WebhookDeliveryAttempted',
  data: { orgId: 'org-b', breachId: 'b1', attempt, url: URL_, attemptedAt: now.toISOString() },
});
const failed = (attempt: number, nextAttemptAt: Date): WebhookDeliveryEvent => ({
  type: 'WebhookDeliveryFailed',
  data: { attempt, status: 500, failedAt: T0.toISOString(), nextAttemptAt: nextAttemptAt.toISOString() },
});

function decide(given: WebhookDeliveryEvent[], command: WebhookDeliveryCommand): WebhookDeliveryEvent[] {
  const state = given.reduce<WebhookDeliveryState>(
    webhookDeliveryDecider.evolve,
    webhookDeliveryDecider.initialState(),
  );
  return webhookDeliveryDecider.decide(command, state);
}

function refusal(given: WebhookDeliveryEvent[], command: WebhookDeliveryCommand): string {
  try {
    decide(given, command);
  } catch (error) {
    if (isWebhookError(error)) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('webhook delivery decider', () => {
  it('claims the first attempt before anything is sent', () => {
    expect(decide([], attemptCmd())).toEqual([attempted(1)]);
  });

  it('a 2xx answer delivers', () => {
    expect(decide([attempted(1)], outcomeCmd(1, { status: 204 }))).toEqual([
      { type: 'WebhookDelivered', data: { attempt: 1, status: 204, deliveredAt: T0.toISOString() } },
    ]);
  });

  it.each([[{ status: 500 }], [{ status: 302 }], [{ status: 404 }], [{ error: 'timeout' }]])(
    'anything else (%p) fails and schedules the next attempt after the backoff',
    (result) => {
      const [event] = decide([attempted(1)], outcomeCmd(1, result));
      expect(event).toEqual({
        type: 'WebhookDeliveryFailed',
        data: { attempt: 1, ...result, failedAt: T0.toISOString(), nextAttemptAt: at(10_000).toISOString() },
      });
    },
  );

  it('a second dispatcher cannot claim an attempt in flight (it sends nothing)', () => {
    expect(refusal([attempted(1)], attemptCmd(at(1000)))).toBe('webhook.delivery-in-progress');
  });

  it('an attempt whose process died is claimed again once its lease runs out', () => {
    expect(decide([attempted(1)], attemptCmd(at(ATTEMPT_LEASE_MS)))).toEqual([
      attempted(2, at(ATTEMPT_LEASE_MS)),
    ]);
  });

  it('does not retry before the backoff has passed', () => {
    const history = [attempted(1), failed(1, at(10_000))];
    expect(refusal(history, attemptCmd(at(9_999)))).toBe('webhook.delivery-not-due');
    expect(decide(history, attemptCmd(at(10_000)))).toEqual([attempted(2, at(10_000))]);
  });

  it('gives up after the last permitted attempt fails', () => {
    const history = [attempted(1), failed(1, T0), attempted(2), failed(2, T0), attempted(3)];
    expect(decide(history, outcomeCmd(3, { status: 503 }))).toEqual([
      { type: 'WebhookDeliveryFailed', data: { attempt: 3, status: 503, failedAt: T0.toISOString() } },
      {
        type: 'WebhookAbandoned',
        data: { attempts: 3, reason: 'attempts-exhausted', abandonedAt: T0.toISOString() },
      },
    ]);
  });

  it('abandons rather than exceed the attempts when the last attempt died with its process', () => {
    const history = [attempted(1), failed(1, T0), attempted(2), failed(2, T0), attempted(3)];
    expect(decide(history, attemptCmd(at(ATTEMPT_LEASE_MS)))).toEqual([
      {
        type: 'WebhookAbandoned',
        data: { attempts: 3, reason: 'attempts-exhausted', abandonedAt: at(ATTEMPT_LEASE_MS).toISOString() },
      },
    ]);
  });

  it('ignores a late outcome for an attempt that is no longer the current one', () => {
    expect(refusal([attempted(1), attempted(2)], outcomeCmd(1, { status: 200 }))).toBe(
      'webhook.delivery-stale',
    );
    expect(refusal([], outcomeCmd(1, { status: 200 }))).toBe('webhook.delivery-stale');
  });

  it('never attempts a delivered notice again', () => {
    const delivered: WebhookDeliveryEvent = {
      type: 'WebhookDelivered',
      data: { attempt: 1, status: 200, deliveredAt: T0.toISOString() },
    };
    expect(refusal([attempted(1), delivered], attemptCmd(at(ATTEMPT_LEASE_MS * 10)))).toBe(
      'webhook.delivery-finished',
    );
  });

  it('abandons a pending delivery when the organisation removed its webhook', () => {
    expect(
      decide([attempted(1), failed(1, T0)], {
        type: 'AbandonWebhookDelivery',
        data: { reason: 'webhook-removed' },
        metadata: { now: T0 },
      }),
    ).toEqual([
      {
        type: 'WebhookAbandoned',
        data: { attempts: 1, reason: 'webhook-removed', abandonedAt: T0.toISOString() },
      },
    ]);
  });
});

describe('webhook retry schedule', () => {
  it('waits 10 s, 1 min, 5 min, 30 min, 2 h, then 6 h with the default base', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 9].map((n) => retryDelayMs(n, 10_000) / 1000)).toEqual([
      10, 60, 300, 1800, 7200, 21600, 21600, 21600,
    ]);
  });

  it('scales with the configured base (tests use a tiny one)', () => {
    expect([1, 2, 3].map((n) => retryDelayMs(n, 5))).toEqual([5, 30, 150]);
  });
});
