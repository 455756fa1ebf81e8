import { Injectable } from '@nestjs/common';
import { eventIdsFor, uuidv7 } from '@accord/event-store';
import { Clock } from './clock';

/** Ids for new aggregates and events, from the same clock as the events' timestamps. */
@Injectable()
export class IdGenerator {
  constructor(private readonly clock: Clock) {}

  /** A UUID v7: sorts by creation time, which keeps SQLite's b-tree appends cheap. */
  newId(): string {
    return uuidv7(this.clock.now().getTime());
  }

  /**
   * Event ids for one request: derived from its Idempotency-Key when it has one (docs/architecture.md §5.4).
   */
  eventIds(count: number, idempotencyKey?: string, scope?: string): string[] {
    return idempotencyKey === undefined
      ? Array.from({ length: count }, () => this.newId())
      : eventIdsFor(count, idempotencyKey, scope);
  }
}
