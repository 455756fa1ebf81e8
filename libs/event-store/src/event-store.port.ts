import { NewEvent, RecordedEvent } from './envelope';

/**
 * `no-stream`: the stream must not exist; a number: the revision of the stream's last event; `any`: no check
 * (the chain is still sealed atomically, but prefer a number: see docs/architecture.md §18.1).
 */
export type ExpectedRevision = number | 'no-stream' | 'any';

export interface AppendResult {
  /** Revision of the last event of the stream after the append. */
  nextExpectedRevision: number;
  /** Global position of the last appended event: wait for projections to reach it for read-your-writes. */
  position: number;
  /** True when every event was already stored (an idempotent retry): nothing was written. */
  duplicate: boolean;
}

export interface ReadAllOptions {
  /** Exclusive: events with position > after. 0 (default) reads from the start. */
  after?: number;
  limit?: number;
  /**
   * `eager`: decode every event's data and meta as its page is read, for a reader that will read them all.
   * By default (`adaptive`) a page is decoded lazily or up front by what the reader did with its last lazy
   * page, which a reader that gathers many pages before reading any (a rebuild's batch) cannot show: it would
   * pay for lazy decoding on every page (docs/architecture.md §37.2.2). A hint: adapters may ignore it.
   */
  decode?: 'eager' | 'adaptive';
}

export interface SubscribeOptions {
  /** Exclusive checkpoint: delivery starts with the first event after it. */
  after: number;
  /** Called for each batch in order; the next batch waits for its promise (back-pressure). */
  onEvents: (events: RecordedEvent[]) => Promise<void> | void;
  onError?: (error: unknown) => void;
  batchSize?: number;
}

export interface Subscription {
  /** Position of the last event handed to onEvents. */
  readonly position: number;
  close(): Promise<void>;
}

export interface EventStoreHealth {
  ok: boolean;
  adapter: string;
  head?: number;
  detail?: string;
}

export interface EventStore {
  readonly adapter: string;
  /** Appends atomically to one stream. Idempotent on eventIds: a retry of a stored append answers as the first. */
  append(streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  /** The stream's events in revision order (empty if it does not exist). */
  readStream(streamId: string, options?: { fromRevision?: number }): Promise<RecordedEvent[]>;
  /** Events of the global log in position order, in pages. */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent[]>;
  /** Catch-up from `after`, then live; delivers every event once in order while it runs. */
  subscribeToAll(options: SubscribeOptions): Subscription;
  /** Position of the newest event (0 when empty). */
  headPosition(): Promise<number>;
  health(): Promise<EventStoreHealth>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');
