import type { AllStreamResolvedEvent, AllStreamSubscription } from '@kurrent/kurrentdb-client';
import { RecordedEvent } from '../../envelope';
import { SubscribeOptions, Subscription } from '../../event-store.port';
import { BatchedDelivery } from './batched-delivery';
import { translateClientError } from './kurrentdb.errors';

const DEFAULT_BATCH_SIZE = 100;

/**
 * The client's catch-up-then-live subscription to $all, handed to onEvents in batches, one at a time; the
 * gRPC stream is paused while a batch is handled, so a slow projector slows the server's sending.
 * Delivery stops at the first failure: the projector's watchdog resubscribes from its own checkpoint.
 */
export class KurrentDbSubscription implements Subscription {
  private current: number;
  private closed = false;
  private readonly delivery: BatchedDelivery<AllStreamResolvedEvent, RecordedEvent>;

  constructor(
    private readonly source: AllStreamSubscription,
    map: (resolved: AllStreamResolvedEvent, after: number) => RecordedEvent | undefined,
    options: SubscribeOptions,
    private readonly onClosed: (s: KurrentDbSubscription) => void,
  ) {
    this.current = options.after;
    this.delivery = new BatchedDelivery({
      source,
      batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
      // Positions at or before the checkpoint are dropped here too, so delivery is exclusive whatever the server does.
      map: (resolved: AllStreamResolvedEvent) => map(resolved, this.current),
      deliver: async (batch: RecordedEvent[]) => {
        if (this.closed) return;
        await options.onEvents(batch);
        this.current = batch[batch.length - 1]!.position;
      },
      onFailure: (error) => {
        const wasOpen = !this.closed;
        void this.close();
        if (!wasOpen) return;
        const translated = translateClientError(error);
        if (options.onError) options.onError(translated);
        // Without a handler a failure must not pass silently (a throw here could be swallowed by the emitter).
        else void Promise.reject(translated);
      },
    });
  }

  get position(): number {
    return this.current;
  }

  /** No batch starts after this; a batch already handed to onEvents finishes on its own. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.delivery.stop();
    this.onClosed(this);
    await this.source.unsubscribe().catch(() => undefined);
  }
}
