import type {
  AllStreamResolvedEvent,
  AllStreamSubscription,
  Direction,
  KurrentDBClient,
  PrefixesFilter,
  ReadPosition,
  ReadRevision,
  ReadStreamOptions,
} from '@kurrent/kurrentdb-client';
import { RecordedEvent } from '../../envelope';
import { kurrent } from './kurrentdb.client';
import { translateClientError } from './kurrentdb.errors';
import { isAccordEvent, toRecordedEvent } from './kurrentdb.mapping';

/** The reads the adapter is built from, each mapped to our envelope and with vendor errors translated. */
export class KurrentDbReader {
  private readonly filter: PrefixesFilter;

  constructor(
    private readonly client: KurrentDBClient,
    private readonly prefixes: readonly string[],
  ) {
    this.filter = kurrent().streamNameFilter({ prefixes: [...prefixes] });
  }

  /** A stream's events from a revision on (all of them, or `maxCount`); a missing stream reads as empty. */
  async stream(streamId: string, from: ReadRevision, maxCount?: number): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      const options = { fromRevision: from, ...(maxCount ? { maxCount } : {}) };
      for await (const resolved of this.client.readStream(streamId, options)) {
        if (resolved.event) events.push(toRecordedEvent(resolved.event, resolved.commitPosition));
      }
    } catch (err) {
      if (err instanceof kurrent().StreamNotFoundError) return [];
      throw translateClientError(err);
    }
    return events;
  }

  async lastOfStream(streamId: string): Promise<RecordedEvent | undefined> {
    try {
      const options: ReadStreamOptions = {
        direction: kurrent().BACKWARDS,
        fromRevision: kurrent().END,
        maxCount: 1,
      };
      for await (const resolved of this.client.readStream(streamId, options)) {
        if (resolved.event) return toRecordedEvent(resolved.event, resolved.commitPosition);
      }
    } catch (err) {
      if (err instanceof kurrent().StreamNotFoundError) return undefined;
      throw translateClientError(err);
    }
    return undefined;
  }

  /** One page of $all, filtered to our stream prefixes by the server, unmapped so the caller can resume from it. */
  async allPage(
    direction: Direction,
    from: ReadPosition,
    maxCount: number,
  ): Promise<AllStreamResolvedEvent[]> {
    const page: AllStreamResolvedEvent[] = [];
    try {
      for await (const resolved of this.client.readAll({
        direction,
        fromPosition: from,
        maxCount,
        filter: this.filter,
      })) {
        page.push(resolved);
      }
    } catch (err) {
      throw translateClientError(err);
    }
    return page;
  }

  subscribe(fromPosition: ReadPosition): AllStreamSubscription {
    return this.client.subscribeToAll({ fromPosition, filter: this.filter });
  }

  /**
   * Ours and after the checkpoint, or undefined. The server filter is only an optimisation: this is the rule.
   * A foreign event inside one of our streams is an error, never skipped (it would hide a chain break).
   */
  mapAll(resolved: AllStreamResolvedEvent, after: number): RecordedEvent | undefined {
    const event = resolved.event;
    if (!event || !isAccordEvent(event.streamId, event.type, this.prefixes)) return undefined;
    if (event.position.commit <= BigInt(after)) return undefined;
    return toRecordedEvent(event, resolved.commitPosition);
  }
}
