import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { GENESIS_HASH, NewEvent, RecordedEvent } from '../../envelope';
import { DuplicateEventIdError, EventStoreUnavailableError, WrongExpectedRevisionError } from '../../errors';
import {
  AppendResult,
  EventStore,
  EventStoreHealth,
  ExpectedRevision,
  ReadAllOptions,
  SubscribeOptions,
  Subscription,
} from '../../event-store.port';
import {
  EventRow,
  isEventIdConflict,
  isSqliteError,
  openEventsDb,
  prepareStatements,
  Statements,
  StoredIdRow,
  StreamHeadRow,
  toRecordedAll,
} from './sqlite.schema';
import { sealRows } from './sqlite.seal';
import { SqliteSubscription } from './sqlite.subscription';

export interface SqliteEventStoreOptions {
  /** Path of the database file (`data/events.db` in embedded mode); its directory is created. */
  file: string;
  /** How often a caught-up subscription looks for appends made by another process. Default 250 ms. */
  pollIntervalMs?: number;
  /** How long an append waits for another process's write lock before its batch fails. Default 5000 ms. */
  busyTimeoutMs?: number;
}

interface PendingAppend {
  streamId: string;
  events: readonly NewEvent[];
  expected: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
  /** Set inside the batch transaction; acted on only once it has committed. */
  result?: AppendResult;
  failure?: { error: unknown };
}

const PAGE_SIZE = 1000;

/**
 * The embedded EventStore: one SQLite file in WAL mode with synchronous=FULL, one writer per file.
 *
 * Group commit: appends are queued and written in one transaction per event-loop turn, so durability costs
 * one fsync per batch however many callers append at once. Each append runs in its own savepoint and is
 * checked against its own expected revision, so one that fails is rejected alone; each promise settles only
 * after COMMIT has returned.
 */
export class SqliteEventStore implements EventStore {
  readonly adapter = 'sqlite';
  /** Committed write transactions and the appends they carried: appends / batches is the group-commit gain. */
  readonly stats = { batches: 0, appends: 0 };
  private readonly db: Database.Database;
  private readonly st: Statements;
  private readonly pollIntervalMs: number;
  private readonly subscriptions = new Set<SqliteSubscription>();
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly writeBatch: Database.Transaction<(batch: PendingAppend[]) => void>;

  constructor(options: SqliteEventStoreOptions) {
    if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
    this.db = openEventsDb(options.file, options.busyTimeoutMs ?? 5000);
    this.st = prepareStatements(this.db);
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    // A transaction function called inside another becomes a savepoint (better-sqlite3), so an append that
    // throws is rolled back alone and the batch goes on.
    const appendOne = this.db.transaction((p: PendingAppend) => this.appendInTransaction(p));
    this.writeBatch = this.db.transaction((batch: PendingAppend[]) => {
      for (const p of batch) {
        try {
          p.result = appendOne(p);
        } catch (error) {
          // The caller's mistake (revision, id reuse, a value JSON cannot hold) fails that append only; an
          // SQLite error (disk full, I/O) fails the whole batch.
          if (isSqliteError(error)) throw error;
          p.failure = { error };
        }
      }
    });
  }

  static async open(options: SqliteEventStoreOptions): Promise<SqliteEventStore> {
    return new SqliteEventStore(options);
  }

  append(
    streamId: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventStoreUnavailableError('event store is closed'));
    if (typeof streamId !== 'string' || streamId === '') {
      return Promise.reject(new TypeError('append needs a stream id'));
    }
    if (!Array.isArray(events) || events.length === 0) {
      return Promise.reject(new TypeError('append needs at least one event'));
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, events, expected: expectedRevision, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  async readStream(streamId: string, options?: { fromRevision?: number }): Promise<RecordedEvent[]> {
    this.assertOpen();
    return toRecordedAll(this.st.readStream.all(streamId, options?.fromRevision ?? 0) as EventRow[]);
  }

  /** `limit` caps the number of events over all pages. */
  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent[]> {
    let after = options.after ?? 0;
    let remaining = options.limit ?? Infinity;
    while (remaining > 0) {
      const page = this.readPage(after, Math.min(PAGE_SIZE, remaining));
      if (page.length === 0) return;
      remaining -= page.length;
      after = page[page.length - 1]!.position;
      yield page;
    }
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    this.assertOpen();
    const sub = new SqliteSubscription(
      (after, limit) => this.readPage(after, limit),
      options,
      this.pollIntervalMs,
      (s) => this.subscriptions.delete(s),
    );
    this.subscriptions.add(sub);
    return sub;
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return (this.st.head.get() as number | null) ?? 0;
  }

  async health(): Promise<EventStoreHealth> {
    try {
      return { ok: true, adapter: this.adapter, head: await this.headPosition() };
    } catch (error) {
      return {
        ok: false,
        adapter: this.adapter,
        detail: error instanceof Error ? error.message : 'unknown error',
      };
    }
  }

  /** Commits what is queued, stops the subscriptions, closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    this.db.close();
  }

  private readPage(after: number, limit: number): RecordedEvent[] {
    this.assertOpen();
    return toRecordedAll(this.st.readAll.all(after, limit) as EventRow[]);
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('event store is closed');
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    try {
      this.writeBatch.immediate(batch);
    } catch (error) {
      // The SQLite code (SQLITE_FULL, SQLITE_BUSY, SQLITE_IOERR...) tells operations what to fix.
      const code = isSqliteError(error) ? ` (${error.code})` : '';
      const failure = new EventStoreUnavailableError(`append batch was not committed${code}`, {
        cause: error,
      });
      for (const p of batch) p.reject(failure);
      return;
    }
    this.stats.batches++;
    this.stats.appends += batch.length;
    let wrote = false;
    for (const p of batch) {
      if (p.failure) p.reject(p.failure.error);
      else {
        wrote ||= !p.result!.duplicate;
        p.resolve(p.result!);
      }
    }
    if (wrote) for (const s of this.subscriptions) s.wake();
  }

  /** Runs inside the batch transaction, in this append's savepoint. */
  private appendInTransaction(p: PendingAppend): AppendResult {
    const { streamId, events } = p;
    const stored = this.st.storedId.get(events[0]!.eventId) as StoredIdRow | undefined;
    // Checked before the expected revision: a retry's revision is stale by design.
    if (stored) return this.answerRetry(p, stored);

    const head = this.st.streamHead.get(streamId) as StreamHeadRow | undefined;
    checkExpectedRevision(streamId, p.expected, head);
    const { rows, lastHash } = sealRows(
      streamId,
      head ? head[0] + 1 : 0,
      head ? head[1] : GENESIS_HASH,
      events,
    );
    const insert = this.st.insertEvent;
    let position = 0;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      try {
        position = Number(insert.run(r[0], streamId, r[1], r[2], r[3], r[4]).lastInsertRowid);
      } catch (error) {
        if (isEventIdConflict(error)) throw new DuplicateEventIdError(r[0]);
        throw error;
      }
    }
    const revision = rows[rows.length - 1]![1];
    this.st.upsertStream.run(streamId, revision, lastHash);
    return { nextExpectedRevision: revision, position, duplicate: false };
  }

  /**
   * The first event id is stored: this is a retry if every id is stored, on this stream, with the same type,
   * at consecutive revisions. Then it answers as the first append did; anything else is id reuse.
   */
  private answerRetry(p: PendingAppend, first: StoredIdRow): AppendResult {
    let row = first;
    for (let i = 0; i < p.events.length; i++) {
      const e = p.events[i]!;
      if (i > 0) {
        const next = this.st.storedId.get(e.eventId) as StoredIdRow | undefined;
        if (!next) throw new DuplicateEventIdError(p.events[0]!.eventId);
        row = next;
      }
      if (row[1] !== p.streamId || row[2] !== first[2] + i || row[3] !== e.type) {
        throw new DuplicateEventIdError(e.eventId);
      }
    }
    return { nextExpectedRevision: row[2], position: row[0], duplicate: true };
  }
}

function checkExpectedRevision(
  streamId: string,
  expected: ExpectedRevision,
  head: StreamHeadRow | undefined,
): void {
  if (expected === 'any') return;
  const actual = head ? head[0] : 'no-stream';
  if (expected !== actual) throw new WrongExpectedRevisionError(streamId, expected, actual);
}
