import { GENESIS_HASH, NewEvent } from '../../envelope';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '../../errors';
import { answerRetry, StoredEventId } from '../answer-retry';
import { AppendResult, ExpectedRevision } from '../../event-store.port';
import { sealRows } from '../sqlite/sqlite.seal';
import { PostgresMerkleTree } from './postgres.merkle';

export interface AppendRequest {
  streamId: string;
  events: readonly NewEvent[];
  expected: ExpectedRevision;
}

export interface StreamHead {
  revision: number;
  lastHash: string;
}

/** The batch's new rows as column arrays, for one `INSERT ... SELECT FROM unnest(...)`. */
export interface EventColumns {
  position: number[];
  eventId: string[];
  streamId: string[];
  revision: number[];
  type: string[];
  data: string[];
  meta: string[];
}

/**
 * Decides every append of one batch in memory, in queue order, once the batch transaction holds the log
 * head (so no other writer can change a stream or store an id until it commits): the same checks and answers
 * as SqliteAppendWriter, against the stream heads and stored ids read for the whole batch in two queries,
 * updated as each append of the batch is accepted. An append that fails throws its own error and leaves no
 * trace here, so it is rejected alone while the others are written; nothing is sent to the server until
 * every append is decided, which keeps PostgreSQL's "error aborts the transaction" out of the per-append path.
 *
 * The chain is sealed by the shared sealRows (the same canonical text and hash as SQLite stores).
 */
export class AppendBatchPlanner {
  readonly columns: EventColumns = {
    position: [],
    eventId: [],
    streamId: [],
    revision: [],
    type: [],
    data: [],
    meta: [],
  };
  /** The heads of the streams this batch appended to, as they will be after it. */
  readonly touched = new Map<string, StreamHead>();

  constructor(
    private readonly heads: Map<string, StreamHead>,
    private readonly stored: Map<string, StoredEventId>,
    /** Hands out the next global position; called once per accepted event, in order. */
    private readonly nextPosition: () => number,
    /** The log's Merkle tree, given each accepted event's leaf in position order (absent when kept off). */
    private readonly tree?: PostgresMerkleTree,
  ) {}

  get rowCount(): number {
    return this.columns.position.length;
  }

  plan(p: AppendRequest): AppendResult {
    const { streamId, events } = p;
    const head = this.heads.get(streamId);
    if (!revisionMatches(p.expected, head)) {
      // A retry's expected revision is stale by design: it is answered as the first append was.
      const stored = this.storedId(events[0]!.eventId);
      if (stored) return answerRetry(p, stored, (id) => this.storedId(id));
      throw new WrongExpectedRevisionError(streamId, p.expected, head ? head.revision : 'no-stream');
    }
    const { rows, lastHash } = sealRows(
      streamId,
      head ? head.revision + 1 : 0,
      head ? head.lastHash : GENESIS_HASH,
      events,
    );
    // With 'any' a retry passes the revision check and meets its own stored ids here.
    const first = this.storedId(events[0]!.eventId);
    if (first) return answerRetry(p, first, (id) => this.storedId(id));
    const reused = this.reusedId(events);
    if (reused !== undefined) throw new DuplicateEventIdError(reused);

    let position = 0;
    const c = this.columns;
    for (const [eventId, revision, type, data, meta, body, hash] of rows) {
      position = this.nextPosition();
      this.tree?.add(position, body, hash);
      c.position.push(position);
      c.eventId.push(eventId);
      c.streamId.push(streamId);
      c.revision.push(revision);
      c.type.push(type);
      c.data.push(data);
      c.meta.push(meta);
      this.stored.set(eventId, { position, streamId, revision, type });
    }
    const revision = rows[rows.length - 1]![1];
    const next = { revision, lastHash };
    this.heads.set(streamId, next);
    this.touched.set(streamId, next);
    return { nextExpectedRevision: revision, position, duplicate: false };
  }

  private storedId(eventId: string): StoredEventId | undefined {
    return typeof eventId === 'string' ? this.stored.get(eventId) : undefined;
  }

  /** The first id of the append that is stored already or given twice in it, if any. */
  private reusedId(events: readonly NewEvent[]): string | undefined {
    const seen = new Set<string>();
    for (const e of events) {
      if (seen.has(e.eventId) || this.storedId(e.eventId)) return e.eventId;
      seen.add(e.eventId);
    }
    return undefined;
  }
}

function revisionMatches(expected: ExpectedRevision, head: StreamHead | undefined): boolean {
  if (expected === 'any') return true;
  return expected === (head ? head.revision : 'no-stream');
}
