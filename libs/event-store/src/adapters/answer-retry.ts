import { NewEvent } from '../envelope';
import { DuplicateEventIdError } from '../errors';
import { AppendResult } from '../event-store.port';

/** Where a stored event id sits (the SQLite and PostgreSQL adapters each read it their own way). */
export interface StoredEventId {
  position: number;
  streamId: string;
  revision: number;
  type: string;
}

/**
 * An append whose first event id is stored already: a retry if every id is stored, on this stream, with the
 * same type, at consecutive revisions, answered as the first append was; anything else is id reuse
 * (docs/architecture.md §18.1). Shared by both adapters' write paths so a retry means the same on either.
 */
export function answerRetry(
  p: { streamId: string; events: readonly NewEvent[] },
  first: StoredEventId,
  storedId: (eventId: string) => StoredEventId | undefined,
): AppendResult {
  let row = first;
  for (let i = 0; i < p.events.length; i++) {
    const e = p.events[i]!;
    if (i > 0) {
      const next = storedId(e.eventId);
      if (!next) throw new DuplicateEventIdError(p.events[0]!.eventId);
      row = next;
    }
    if (row.streamId !== p.streamId || row.revision !== first.revision + i || row.type !== e.type) {
      throw new DuplicateEventIdError(e.eventId);
    }
  }
  return { nextExpectedRevision: row.revision, position: row.position, duplicate: true };
}
