import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  checkWebhookUrl,
  isWebhookError,
  WebhookDeliveryCommand,
  webhookDeliveryDecider,
  webhookDeliveryStreamId,
} from '@accord/domain';
import { EVENT_STORE, type EventStore } from '@accord/event-store';
import {
  ACCORD_CONFIG,
  AppLogger,
  Clock,
  type LoadedConfig,
  READ_DB,
  runCommand,
  systemMeta,
} from '@accord/platform';
import {
  dueWebhookDeliveries,
  findWebhookEndpoint,
  type ReadDb,
  type WebhookDeliveryRecord,
} from '@accord/projections';
import { WebhookSecrets } from './webhook-secrets';
import { WebhookResult, WebhookSender } from './webhook-sender';

/** Deliveries attempted at once per pass: one slow receiver (up to the 10 s timeout) does not hold up the rest. */
const BATCH = 8;

/**
 * Delivers the webhook outbox (the `webhooks` read model) at least once. For each due delivery it claims
 * the attempt on the delivery's stream at the revision it read (the event before its side effect,
 * docs/architecture.md §18.3), POSTs, and records the outcome. Two dispatchers (two api nodes) racing for one
 * delivery: the loser's claim fails on the revision, it re-reads, finds the attempt in flight and sends
 * nothing. A process that dies between the POST and the outcome leaves the claim to lapse (ATTEMPT_LEASE_MS);
 * the next attempt may repeat the notice, which receivers de-duplicate by its id. The read model only says
 * where to look: every decision is made on the event store.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly db: ReadDb,
    @Inject(ACCORD_CONFIG) private readonly config: LoadedConfig,
    private readonly sender: WebhookSender,
    private readonly secrets: WebhookSecrets,
    private readonly clock: Clock,
    private readonly logger: AppLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  /** Before the event store closes: the pass in flight records its outcomes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass over the due deliveries; returns how many were looked at. Concurrent calls share it. */
  dispatch(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.dispatch()
        .catch((error: unknown) => this.logger.error('webhook dispatch failed', { err: error }))
        .finally(() => this.schedule());
    }, this.config.webhooks.pollIntervalMs);
    this.timer.unref();
  }

  private async pass(): Promise<number> {
    const due = dueWebhookDeliveries(this.db, this.clock.nowIso(), BATCH);
    await Promise.all(due.map((delivery) => this.deliver(delivery)));
    return due.length;
  }

  private async deliver(delivery: WebhookDeliveryRecord): Promise<void> {
    const { id, orgId, breachId } = delivery;
    const settings = {
      maxAttempts: this.config.webhooks.maxAttempts,
      retryBaseMs: this.config.webhooks.retryBaseMs,
    };
    const endpoint = findWebhookEndpoint(this.db, orgId);
    if (!endpoint) {
      await this.run(id, {
        type: 'AbandonWebhookDelivery',
        data: { reason: 'webhook-removed' },
        metadata: this.now(),
      });
      return;
    }
    const claim = await this.run(id, {
      type: 'AttemptWebhookDelivery',
      data: { orgId, breachId, url: endpoint.url, ...settings },
      metadata: this.now(),
    });
    const attempted = claim?.find((e) => e.type === 'WebhookDeliveryAttempted');
    if (attempted?.type !== 'WebhookDeliveryAttempted') return;
    const attempt = attempted.data.attempt;
    const result = this.allowed(endpoint.url)
      ? await this.sender.post({
          url: endpoint.url,
          deliveryId: id,
          attempt,
          body: delivery.payload,
          secret: this.secrets.secretFor(orgId, endpoint.secretId),
        })
      : { error: 'url-not-allowed' };
    await this.run(id, {
      type: 'RecordWebhookOutcome',
      data: { attempt, ...outcomeOf(result), ...settings },
      metadata: this.now(),
    });
    // Ids and codes only: the URL may carry a token in its path.
    this.logger.info('webhook attempt', { deliveryId: id, orgId, attempt, ...outcomeOf(result) });
  }

  /** A URL accepted while local http was allowed is not called once the operator turns that off. */
  private allowed(url: string): boolean {
    try {
      checkWebhookUrl(url, { allowInsecureLocalhost: this.config.webhooks.allowInsecureLocalhost });
      return true;
    } catch {
      return false;
    }
  }

  /** Appends what the decider decides; a refusal (finished, not due, in flight, stale) means another got there first. */
  private async run(id: string, command: WebhookDeliveryCommand) {
    try {
      const outcome = await runCommand(
        this.store,
        webhookDeliveryStreamId(id),
        webhookDeliveryDecider,
        command,
        {
          meta: systemMeta('webhooks', this.clock.now()),
        },
      );
      return outcome.events;
    } catch (error) {
      if (isWebhookError(error)) return undefined;
      throw error;
    }
  }

  private now(): { now: Date } {
    return { now: this.clock.now() };
  }
}

function outcomeOf(result: WebhookResult): { status: number } | { error: string } {
  return 'status' in result ? { status: result.status } : { error: result.error };
}
