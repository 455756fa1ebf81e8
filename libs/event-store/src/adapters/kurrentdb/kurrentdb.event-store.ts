/*
 * KurrentDB (EventStoreDB 23+) adapter of the EventStore port, for cluster mode (docs/architecture.md §3).
 *
 * Server settings we rely on:
 * - Never `UnsafeDisableFlushToDisk`: an acknowledged append must be on disk (docs/architecture.md §18.2).
 * - Server 22.6 or later, so stream reads carry each event's $all position (we return it as `position`).
 * - Events appended over gRPC only (no legacy TCP explicit transactions), so every event's commit and
 *   prepare positions are equal and a numeric checkpoint resumes a $all read exactly.
 * - A cluster's default write quorum (majority) and leader-only writes, left at the server's defaults.
 *
 * Positions: our `position` is the event's $all commit position as a JS number, exact up to 2^53 - 1
 * (8 PiB of log); past that positionToNumber refuses rather than round a checkpoint.
 *
 * Event ids: the server checks them only against the events at the revision an append states, so a retry
 * is recognised where its first attempt landed (see findStoredRetry). Unlike SQLite there is no global
 * index of event ids: an id reused in another stream is not detected here.
 */
import type { KurrentDBClient, ReadPosition } from '@kurrent/kurrentdb-client';
import { GENESIS_HASH, NewEvent, RecordedEvent } from '../../envelope';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '../../errors';
import {
  AppendResult,
  EventStore,
  EventStoreHealth,
  ExpectedRevision,
  ReadAllOptions,
  SubscribeOptions,
  Subscription,
} from '../../event-store.port';
import { chainEvents } from '../../hash-chain';
import { kurrent } from './kurrentdb.client';
import { translateClientError } from './kurrentdb.errors';
import {
  StreamState,
  assertStorableEventIds,
  fromCurrentState,
  isAccordEvent,
  matchStoredRetry,
  numberToPosition,
  positionToNumber,
  satisfiesExpected,
  toEventData,
  toStreamState,
} from './kurrentdb.mapping';
import { KurrentDbReader } from './kurrentdb.reader';
import { KurrentDbSubscription } from './kurrentdb.subscription';
import { PerKeyQueue } from './per-key-queue';

export interface KurrentDbEventStoreOptions {
  /** e.g. `kurrentdb://admin:changeit@localhost:2113?tls=false` (also accepts `esdb://`). */
  connectionString: string;
  /**
   * Stream-name prefixes that count as ours in $all (system streams, other tenants are not). The platform
   * passes the domain's stream registry; there is no default here, so a family cannot be forgotten in a copy.
   */
  streamPrefixFilter: readonly string[];
}

/** 'any' appends re-read the tail and state it exactly; this many races lost to other processes make a conflict. */
const ANY_APPEND_ATTEMPTS = 10;
const PAGE_SIZE = 500;
const HEAD_PAGE_SIZE = 50;
const HEALTH_TIMEOUT_MS = 2_000;

export class KurrentDbEventStore implements EventStore {
  readonly adapter = 'kurrentdb';
  private readonly client: KurrentDBClient;
  private readonly read: KurrentDbReader;
  private readonly subscriptions = new Set<Subscription>();
  private readonly streamQueue = new PerKeyQueue();
  private readonly prefixes: readonly string[];

  constructor(options: KurrentDbEventStoreOptions) {
    this.client = kurrent().KurrentDBClient.connectionString(options.connectionString);
    if (options.streamPrefixFilter.length === 0) throw new TypeError('streamPrefixFilter names no stream family');
    this.prefixes = options.streamPrefixFilter;
    this.read = new KurrentDbReader(this.client, this.prefixes);
  }

  /** Same shape as SqliteEventStore.open; the client connects lazily, on the first call. */
  static async open(options: KurrentDbEventStoreOptions): Promise<KurrentDbEventStore> {
    return new KurrentDbEventStore(options);
  }

  /** Whether events of `streamId` pass this store's $all filter (and so reach projections and verification). */
  covers(streamId: string): boolean {
    return isAccordEvent(streamId, 'Event', this.prefixes);
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    if (typeof streamId !== 'string' || streamId === '') throw new TypeError('append needs a stream id');
    if (!Array.isArray(events) || events.length === 0) throw new TypeError('append needs at least one event');
    assertStorableEventIds(events);
    // An event in a stream the $all filter does not match would be stored but never projected or verified.
    if (!this.covers(streamId))
      throw new TypeError(`stream ${JSON.stringify(streamId)} is outside this store's stream families`);
    // One append per stream at a time from this process: appends here never race each other for the tail,
    // so only writers in other processes cost a retry.
    return this.streamQueue.run(streamId, () => this.appendInTurn(streamId, events, expectedRevision));
  }

  async readStream(streamId: string, options?: { fromRevision?: number }): Promise<RecordedEvent[]> {
    const from = options?.fromRevision ?? 0;
    return this.read.stream(streamId, from > 0 ? BigInt(from) : kurrent().START);
  }

  /** `limit` caps the number of events over all pages, as in the SQLite adapter. */
  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent[]> {
    let after = options.after ?? 0;
    let remaining = options.limit ?? Infinity;
    const START = kurrent().START;
    let from: ReadPosition = after > 0 ? numberToPosition(after) : START;
    while (remaining > 0) {
      // +1: a forward $all read includes the event at its start position, which the caller already has.
      const maxCount = Math.min(PAGE_SIZE, remaining) + 1;
      const raw = await this.read.allPage(kurrent().FORWARDS, from, maxCount);
      const page: RecordedEvent[] = [];
      for (const resolved of raw) {
        const mapped = this.read.mapAll(resolved, after);
        if (mapped && page.length < remaining) page.push(mapped);
      }
      if (page.length > 0) {
        remaining -= page.length;
        after = page[page.length - 1]!.position;
        yield page;
      }
      // A filtered read may stop short of maxCount before the end of the log, so only a read that brings
      // nothing past its start position ends the scan.
      const last = raw[raw.length - 1]?.event;
      if (!last || (from !== START && last.position.commit <= from.commit)) return;
      // Resume from the last record read, ours or not, with its exact commit/prepare pair.
      from = last.position;
    }
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    const source = this.read.subscribe(options.after > 0 ? numberToPosition(options.after) : kurrent().START);
    const subscription = new KurrentDbSubscription(
      source,
      (resolved, after) => this.read.mapAll(resolved, after),
      options,
      (s) => this.subscriptions.delete(s),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<number> {
    let from: ReadPosition = kurrent().END;
    for (;;) {
      // Backwards reads exclude their start position, so each page moves on.
      const raw = await this.read.allPage(kurrent().BACKWARDS, from, HEAD_PAGE_SIZE);
      for (const resolved of raw) {
        const mapped = this.read.mapAll(resolved, 0);
        if (mapped) return mapped.position;
      }
      const last = raw[raw.length - 1]?.event;
      if (!last) return 0;
      from = last.position;
    }
  }

  async health(): Promise<EventStoreHealth> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${HEALTH_TIMEOUT_MS} ms`)),
        HEALTH_TIMEOUT_MS,
      );
    });
    try {
      const head = await Promise.race([this.headPosition(), timeout]);
      return { ok: true, adapter: this.adapter, head };
    } catch (err) {
      // The error's class and message only: connection errors name no stream contents.
      const detail = err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error';
      return { ok: false, adapter: this.adapter, detail };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.client.dispose();
  }

  private async appendInTurn(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      const tail = await this.read.lastOfStream(streamId);
      const actual: StreamState = tail ? tail.revision : 'no-stream';
      if (tail && tail.eventId === events[events.length - 1]!.eventId) {
        // The batch already ends the stream: a retry after a lost reply, whatever revision it states.
        const stored = await this.findStoredRetry(streamId, events, tail.revision - events.length + 1);
        if (stored) return stored;
      }
      if (!satisfiesExpected(expected, actual))
        return this.retryOrConflict(streamId, events, expected, actual);

      const sealed = chainEvents(
        streamId,
        tail ? tail.revision + 1 : 0,
        tail ? tail.meta.hash : GENESIS_HASH,
        events,
      );
      try {
        const result = await this.client.appendToStream(streamId, sealed.map(toEventData), {
          streamState: toStreamState(actual),
        });
        if (!result.position) {
          // The server's own duplicate check answered (an identical append from elsewhere won the race).
          const stored = await this.findStoredRetry(streamId, events, sealed[0]!.revision);
          if (stored) return stored;
          throw new Error(`stream ${streamId}: append acknowledged without a position`);
        }
        // The reply's commit position is that of the batch's last event (the record that commits it),
        // which is what read-your-writes waits for.
        const position = positionToNumber(result.position, `append to ${streamId}`);
        return { nextExpectedRevision: Number(result.nextExpectedRevision), position, duplicate: false };
      } catch (err) {
        if (!(err instanceof kurrent().WrongExpectedVersionError)) throw translateClientError(err);
        const current = fromCurrentState(err.actualState);
        if (expected !== 'any') return this.retryOrConflict(streamId, events, expected, current);
        if (attempt >= ANY_APPEND_ATTEMPTS) throw new WrongExpectedRevisionError(streamId, 'any', current);
      }
    }
  }

  /** The first attempt's result if `events` are stored from `fromRevision` on, where that attempt put them. */
  private async findStoredRetry(
    streamId: string,
    events: readonly NewEvent[],
    fromRevision: number,
  ): Promise<AppendResult | undefined> {
    if (fromRevision < 0) return undefined;
    const stored = await this.read.stream(streamId, BigInt(fromRevision), events.length);
    const match = matchStoredRetry(stored, events);
    if (match.kind === 'conflict') throw new DuplicateEventIdError(match.eventId);
    if (match.kind === 'none') return undefined;
    const last = stored[events.length - 1]!;
    return { nextExpectedRevision: last.revision, position: last.position, duplicate: true };
  }

  /** A stated revision that no longer holds is either our own earlier attempt (answer as it) or a conflict. */
  private async retryOrConflict(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
    actual: StreamState,
  ): Promise<AppendResult> {
    const firstRevision = expected === 'no-stream' ? 0 : expected === 'any' ? -1 : expected + 1;
    const stored = await this.findStoredRetry(streamId, events, firstRevision);
    if (stored) return stored;
    throw new WrongExpectedRevisionError(streamId, expected, actual);
  }
}
