import Database from 'better-sqlite3';
import { GENESIS_HASH, NewEvent } from '../../envelope';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '../../errors';
import { AppendResult, ExpectedRevision } from '../../event-store.port';
import { answerRetry, StoredEventId } from '../answer-retry';
import { isEventIdConflict, Statements, StoredIdRow, StreamHeadRow } from './sqlite.schema';
import type { SqliteMerkleTree } from './sqlite.merkle';
import { SealedRow, sealRows } from './sqlite.seal';

export interface AppendRequest {
  streamId: string;
  events: readonly NewEvent[];
  expected: ExpectedRevision;
}

/**
 * Rows per INSERT statement. One statement per append (up to this many events) is cheaper than a statement
 * per event, and, a statement being atomic, a conflicting id leaves nothing of the append behind without a
 * savepoint. 6 parameters a row stays far below SQLite's 32,766.
 */
export const MAX_ROWS_PER_INSERT = 128;

/**
 * The write path of one append, run inside the batch transaction (see SqliteEventStore). The happy path
 * costs one read (the stream head) and two writes (the events, the head): the event-id lookup that
 * recognises a retry is only needed once the revision check or the insert has failed, since a stored append
 * has moved its stream past any revision its retry can state, and its ids make the insert conflict.
 */
export class SqliteAppendWriter {
  /** INSERT statements for n rows at index n, prepared on first use. */
  private readonly inserts: (Database.Statement | undefined)[] = [];

  constructor(
    private readonly db: Database.Database,
    private readonly st: Statements,
    /** Undefined when the tree is switched off (the benchmark's baseline). */
    private readonly tree?: SqliteMerkleTree,
  ) {}

  /** True when a failed append may have written rows that must be rolled back (a savepoint is needed). */
  static needsSavepoint(events: readonly NewEvent[]): boolean {
    return events.length > MAX_ROWS_PER_INSERT;
  }

  append(p: AppendRequest): AppendResult {
    const { streamId, events } = p;
    const head = this.st.streamHead.get(streamId) as StreamHeadRow | undefined;
    if (!revisionMatches(p.expected, head)) {
      // A retry's expected revision is stale by design: it is answered as the first append was.
      const stored = this.storedEventId(events[0]!.eventId);
      if (stored) return answerRetry(p, stored, (id) => this.storedEventId(id));
      throw new WrongExpectedRevisionError(streamId, p.expected, head ? head[0] : 'no-stream');
    }
    const { rows, lastHash } = sealRows(
      streamId,
      head ? head[0] + 1 : 0,
      head ? head[1] : GENESIS_HASH,
      events,
    );
    let position = 0;
    let from = 0;
    try {
      for (; from < rows.length; from += MAX_ROWS_PER_INSERT) {
        position = this.insert(streamId, rows, from, Math.min(rows.length, from + MAX_ROWS_PER_INSERT));
      }
    } catch (error) {
      if (!isEventIdConflict(error)) throw error;
      // With 'any' a retry passes the revision check and meets its own stored ids here. Once a first INSERT
      // went in, its ids were new: no retry, and the lookups below see those rows as well.
      const stored = from === 0 ? this.storedEventId(events[0]!.eventId) : undefined;
      if (stored) return answerRetry(p, stored, (id) => this.storedEventId(id));
      throw new DuplicateEventIdError(this.reusedId(events, from));
    }
    const revision = rows[rows.length - 1]![1];
    this.st.upsertStream.run(streamId, revision, lastHash);
    if (this.tree) {
      // The rows took consecutive positions ending at `position`: the write lock is held, rowids are max+1.
      const first = position - rows.length + 1;
      for (let i = 0; i < rows.length; i++) this.tree.add(first + i, rows[i]![5], rows[i]![6]);
    }
    return { nextExpectedRevision: revision, position, duplicate: false };
  }

  /** Inserts rows[from, to) in one statement; returns the position of the last. */
  private insert(streamId: string, rows: SealedRow[], from: number, to: number): number {
    const n = to - from;
    const stmt = (this.inserts[n] ??= this.db.prepare(
      'INSERT INTO events (event_id, stream_id, revision, type, data, meta) VALUES ' +
        Array.from({ length: n }, () => '(?, ?, ?, ?, ?, ?)').join(', '),
    ));
    const params = new Array<unknown>(n * 6);
    for (let i = from, k = 0; i < to; i++) {
      const r = rows[i]!;
      params[k++] = r[0];
      params[k++] = streamId;
      params[k++] = r[1];
      params[k++] = r[2];
      params[k++] = r[3];
      params[k++] = r[4];
    }
    return Number(stmt.run(params).lastInsertRowid);
  }

  private storedId(eventId: string): StoredIdRow | undefined {
    return this.st.storedId.get(eventId) as StoredIdRow | undefined;
  }

  /** The stored id's row as answerRetry reads it. */
  private storedEventId(eventId: string): StoredEventId | undefined {
    const row = this.storedId(eventId);
    return row && { position: row[0], streamId: row[1], revision: row[2], type: row[3] };
  }

  /**
   * The id that made the INSERT of events[from...] conflict: stored already (by another append, or by this
   * one's earlier INSERTs, which means given twice), or given twice within that INSERT.
   */
  private reusedId(events: readonly NewEvent[], from: number): string {
    const seen = new Set<string>();
    for (let i = from; i < events.length; i++) {
      const id = events[i]!.eventId;
      if (seen.has(id) || this.storedId(id)) return id;
      seen.add(id);
    }
    return events[from]!.eventId;
  }
}

function revisionMatches(expected: ExpectedRevision, head: StreamHeadRow | undefined): boolean {
  if (expected === 'any') return true;
  return expected === (head ? head[0] : 'no-stream');
}
