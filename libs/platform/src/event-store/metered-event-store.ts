import type {
  AppendResult,
  EventStore,
  EventStoreHealth,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '@accord/event-store';
import { noteAppendedPosition } from '../http/log-position';
import { Metrics } from '../metrics/metrics';

/**
 * Counts appends per event type for /metrics, around whichever adapter is bound. Counting here rather than
 * in the projector means each node counts its own writes once, not every node every write. Also tells the
 * request being handled, if any, the position of its append (the Accord-Position header, §38).
 */
export class MeteredEventStore implements EventStore {
  constructor(
    /** The adapter itself, for what the port does not carry (its Merkle tree). */
    readonly inner: EventStore,
    private readonly metrics: Metrics,
  ) {}

  get adapter(): string {
    return this.inner.adapter;
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    const result = await this.inner.append(streamId, events, expectedRevision);
    if (!result.duplicate) for (const e of events) this.metrics.eventsAppended.inc({ type: e.type });
    // A duplicate's position is the original's: the retrying client must still read after it.
    noteAppendedPosition(result.position);
    return result;
  }

  readStream(streamId: string, options?: { fromRevision?: number }): Promise<RecordedEvent[]> {
    return this.inner.readStream(streamId, options);
  }

  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent[]> {
    return this.inner.readAll(options);
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    return this.inner.subscribeToAll(options);
  }

  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  health(): Promise<EventStoreHealth> {
    return this.inner.health();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
