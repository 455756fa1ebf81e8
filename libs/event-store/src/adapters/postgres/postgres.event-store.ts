import { Client, Pool, PoolClient } from 'pg';
import { NewEvent, RecordedEvent } from '../../envelope';
import { EventStoreUnavailableError } from '../../errors';
import {
  AppendResult,
  EventStore,
  EventStoreHealth,
  ExpectedRevision,
  ReadAllOptions,
  SubscribeOptions,
  Subscription,
} from '../../event-store.port';
import type { ChainVerifier } from '../../hash-chain';
import type { ChainCheckedLog } from '../../verify';
import { LeafCheck, LogSnapshot, StoredCheckpoint, VerifiableLog } from '../../merkle/verifiable-log';
import { PageDecoder, readAllInPages, toLazyRecorded, toRecorded } from '../sqlite/sqlite.decode';
import { EventRow } from '../sqlite/sqlite.schema';
import { sealedBody, sealedHash } from '../sqlite/sqlite.seal';
import { SqliteSubscription } from '../sqlite/sqlite.subscription';
import { AppendBatchPlanner } from './postgres.append';
import { PendingAppend } from '../pending-append';
import { writeBatchTransaction } from './postgres.batch';
import { MERKLE_SCHEMA, PostgresMerkleTree } from './postgres.merkle';
import { catchUpAtOpen, PostgresMerkleLog } from './postgres.merkle-log';
import {
  COLUMNS,
  isPgError,
  NAIVE_SEQUENCE,
  NOTIFY_CHANNEL,
  PG_TYPES,
  SCHEMA,
  SCHEMA_LOCK_KEY,
} from './postgres.schema';

export interface PostgresEventStoreOptions {
  /** `postgres://user:password@host:5432/db` (POSTGRES_URL). */
  connectionString: string;
  /** Connections for reads and the writer (default 10). */
  poolSize?: number;
  /**
   * How often a caught-up subscription reads again without being woken. Appends on this node wake it at once
   * and other nodes' appends through LISTEN/NOTIFY, so this only bounds the delay if a notification is lost.
   * Default 250 ms.
   */
  pollIntervalMs?: number;
  /**
   * TEST ONLY, never in production: positions from a sequence and no log-head lock, the naive design whose
   * subscribers skip events (see "Ordering" below). It exists so the ordering test can show it fails.
   */
  unsafeSequencePositions?: boolean;
  /**
   * Keep the Merkle tree of the log (default true; always off with unsafeSequencePositions, whose positions
   * are not in commit order). Off only for the benchmark's baseline: a store written without it takes its
   * events into the tree when a node with it next opens the database or appends.
   */
  merkle?: boolean;
}

const PAGE_SIZE = 1000;
/** Events per batch transaction at most; the rest waits for the next one. */
const MAX_BATCH_EVENTS = 5000;

/**
 * The cluster EventStore on PostgreSQL (docs/architecture.md §29): several api nodes share one database.
 *
 * Group commit: appends queue while a batch transaction is in flight and the queue is written as the next
 * batch, in one transaction on one connection, so a node pays one commit (one WAL flush) per batch however
 * many callers append. Each append is decided against its own expected revision (AppendBatchPlanner) and
 * rejected alone when it fails; each promise settles only after COMMIT has returned.
 *
 * Ordering: a position must never become visible before a smaller one, or a subscriber that reads 11 while
 * 10 is still uncommitted checkpoints at 11 and skips 10 for ever. Positions from a sequence have exactly
 * that flaw (nextval is handed out at INSERT, transactions commit in any order). Here every batch
 * transaction first locks the single `log_head` row (`SELECT ... FOR UPDATE`), takes its positions from it
 * and moves it before COMMIT. The next writer, on this node or another, waits on that row lock, which
 * PostgreSQL releases only after the committing transaction is visible to new snapshots; so positions are
 * assigned in commit order, every snapshot sees a gap-free prefix of the log, and a reader of
 * `position > checkpoint` can never skip one. A rolled-back batch rolls the head back too: no gaps.
 * The lock also makes the batch's checks (stream heads, stored ids) race-free without per-stream locks,
 * and the log's positions known inside the transaction.
 *
 * Merkle tree (postgres.merkle.ts): the RFC 9162 tree over the log is kept in the same database and written
 * by the same batch transaction under that lock, so on every node the tree holds exactly the committed
 * events, and checkpoints, whichever node signs them, are kept beside it (the `checkpoints` table). A node
 * whose frontier is stale (another node appended) reloads it from the rows in the batch's one read.
 * Cost: batch transactions, across all nodes, run one at a time, each holding the lock for its few round
 * trips and its commit's WAL flush; group commit amortises that over every append of the batch (figures in
 * docs/architecture.md §29). Marten's high-water mark and Emmett's transaction-id snapshot keep writers
 * parallel but make every reader wait for or compute a safe horizon instead.
 */
export class PostgresEventStore implements EventStore, ChainCheckedLog, VerifiableLog {
  readonly adapter = 'postgres';
  /** Positions come from the log head, 1, 2, 3...: leaf i is the event at position i + 1. */
  readonly gapFreePositions = true;
  private readonly log = new PostgresMerkleLog({
    objects: (text, values) => this.treeQuery(text, values),
    events: (text, values) => this.rows(text, values),
  });
  /** Committed batch transactions and the appends they carried: appends / batches is the group-commit gain. */
  readonly stats = { batches: 0, appends: 0 };
  private readonly pool: Pool;
  /** The batch writer's own connection, pipelined (see writeBatchTransaction). */
  private readonly writerPool: Pool;
  private readonly naive: boolean;
  private readonly pollIntervalMs: number;
  private readonly subscriptions = new Set<SqliteSubscription>();
  private schemaReady: Promise<void> | undefined;
  private listener: Promise<Client | undefined> | undefined;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private flushing: Promise<void> | undefined;
  private closed = false;
  private readonly tree: PostgresMerkleTree | undefined;

  constructor(private readonly options: PostgresEventStoreOptions) {
    this.naive = options.unsafeSequencePositions === true;
    this.tree = this.naive || options.merkle === false ? undefined : new PostgresMerkleTree();
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.pool = new Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      types: PG_TYPES,
      application_name: 'accord-event-store',
      // A node that stalls (paused VM, stopped process) inside a batch would hold the log-head lock and stop
      // every node's appends: the server ends such a session and its batch fails as unavailable (its
      // callers retry with the same event ids). Between its statements a batch only plans in memory.
      idle_in_transaction_session_timeout: 30_000,
    });
    this.writerPool = new Pool({
      connectionString: options.connectionString,
      max: 1,
      types: PG_TYPES,
      application_name: 'accord-event-store-writer',
      idle_in_transaction_session_timeout: 30_000,
      pipeline: true,
    });
    // An idle connection that drops (server restart) is replaced on the next checkout; nothing to do here.
    this.pool.on('error', () => undefined);
    this.writerPool.on('error', () => undefined);
    // Started now so a node finds a bad URL early; a failure surfaces in the operations that follow.
    this.ready().catch(() => undefined);
  }

  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const store = new PostgresEventStore(options);
    try {
      await store.ready();
    } catch (error) {
      await Promise.all([store.pool.end(), store.writerPool.end()]).catch(() => undefined);
      throw unavailable('could not open the PostgreSQL event store', error);
    }
    return store;
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
      this.scheduleFlush();
    });
  }

  async readStream(streamId: string, options?: { fromRevision?: number }): Promise<RecordedEvent[]> {
    const rows = await this.rows(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = $1 AND revision >= $2 ORDER BY revision`,
      [streamId, options?.fromRevision ?? 0],
    );
    return rows.map(toRecorded);
  }

  /** `limit` caps the number of events over all pages. */
  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent[]> {
    return readAllInPages(
      (decoder, after, limit) => this.readPage(decoder, after, limit),
      options,
      PAGE_SIZE,
    );
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    this.assertOpen();
    const decoder = new PageDecoder();
    const sub = new SqliteSubscription(
      (after, limit) => this.readPage(decoder, after, limit),
      options,
      this.pollIntervalMs,
      (s) => this.subscriptions.delete(s),
    );
    this.subscriptions.add(sub);
    this.listen();
    return sub;
  }

  /** verifyEventStore's fast path, as SQLite's: the stored canonical text is hashed without decoding it. */
  async *checkChains(
    verifier: ChainVerifier,
    after: number,
    accept?: (streamId: string) => boolean,
  ): AsyncIterable<number> {
    for (;;) {
      const rows = await this.rows(
        `SELECT ${COLUMNS} FROM events WHERE position > $1 ORDER BY position LIMIT $2`,
        [after, PAGE_SIZE],
      );
      if (rows.length === 0) return;
      for (const r of rows) {
        const [, eventId, streamId, revision, type, data, meta] = r;
        if (accept && !accept(streamId)) continue;
        const hash = typeof data === 'string' && typeof meta === 'string' ? sealedHash(meta) : undefined;
        const body = hash && sealedBody(eventId, streamId, revision, type, data, meta);
        verifier.checkStored(streamId, revision, body, hash, r, toLazyRecorded);
      }
      after = rows[rows.length - 1]![0];
      yield after;
    }
  }

  // VerifiableLog: the stored tree, read by PostgresMerkleLog (postgres.merkle-log.ts).

  treeSize(): Promise<number> {
    return this.log.treeSize();
  }

  rootAt(size?: number): Promise<Buffer> {
    return this.log.rootAt(size);
  }

  leafHash(index: number): Promise<Buffer> {
    return this.log.leafHash(index);
  }

  inclusionProof(index: number, size: number): Promise<Buffer[]> {
    return this.log.inclusionProof(index, size);
  }

  consistencyProof(from: number, to: number): Promise<Buffer[]> {
    return this.log.consistencyProof(from, to);
  }

  leafIndexOf(eventId: string): Promise<number | undefined> {
    return this.log.leafIndexOf(eventId);
  }

  saveCheckpoint(c: StoredCheckpoint): Promise<void> {
    return this.log.saveCheckpoint(c);
  }

  latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    return this.log.latestCheckpoint();
  }

  checkpointAt(size: number): Promise<StoredCheckpoint | undefined> {
    return this.log.checkpointAt(size);
  }

  checkpoints(): Promise<StoredCheckpoint[]> {
    return this.log.checkpoints();
  }

  snapshot(): Promise<LogSnapshot> {
    return this.log.snapshot();
  }

  recomputeLeaves(upTo: LogSnapshot['upTo']): AsyncIterable<LeafCheck[]> {
    return this.log.recomputeLeaves(upTo);
  }

  async headPosition(): Promise<number> {
    const rows = await this.rows(
      this.naive ? 'SELECT coalesce(max(position), 0) FROM events' : 'SELECT position FROM log_head',
      [],
    );
    return Number(rows[0]?.[0] ?? 0);
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

  /** Commits what is queued, stops the subscriptions, closes the connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.flushing || this.queue.length > 0) await (this.flushing ?? this.flush());
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    const listener = await this.listener?.catch(() => undefined);
    await listener?.end().catch(() => undefined);
    await Promise.all([this.pool.end(), this.writerPool.end()]);
  }

  /** The schema, created once; tried again by the next operation after a failure (the server was down). */
  private ready(): Promise<void> {
    this.schemaReady ??= this.createSchema().catch((error: unknown) => {
      this.schemaReady = undefined;
      throw error;
    });
    return this.schemaReady;
  }

  private async createSchema(): Promise<void> {
    const client = await this.pool.connect();
    try {
      // CREATE TABLE IF NOT EXISTS is not safe against itself: nodes starting together take turns.
      await client.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK_KEY]);
      try {
        await client.query(SCHEMA + MERKLE_SCHEMA);
        if (this.naive) await client.query(`CREATE SEQUENCE IF NOT EXISTS ${NAIVE_SEQUENCE}`);
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK_KEY]);
      }
      if (this.tree) await catchUpAtOpen(client, this.tree);
    } finally {
      client.release();
    }
  }

  private async rows(text: string, values: unknown[]): Promise<EventRow[]> {
    this.assertOpen();
    try {
      await this.ready();
      const result = await this.pool.query<EventRow>({ text, values, rowMode: 'array' });
      return result.rows;
    } catch (error) {
      throw isPgError(error) || isConnectionError(error)
        ? unavailable('event store read failed', error)
        : error;
    }
  }

  /** As rows(), for statements read by column name; only a store that keeps its tree answers them. */
  private async treeQuery<T extends object>(text: string, values: unknown[]): Promise<T[]> {
    this.assertOpen();
    if (!this.tree) throw new EventStoreUnavailableError('this store was opened without its Merkle tree');
    try {
      await this.ready();
      return (await this.pool.query<T>(text, values)).rows;
    } catch (error) {
      throw isPgError(error) || isConnectionError(error)
        ? unavailable('event store read failed', error)
        : error;
    }
  }

  private async readPage(decoder: PageDecoder, after: number, limit: number): Promise<RecordedEvent[]> {
    const rows = await this.rows(
      `SELECT ${COLUMNS} FROM events WHERE position > $1 ORDER BY position LIMIT $2`,
      [after, limit],
    );
    return decoder.decode(rows);
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('event store is closed');
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.flushing) return;
    this.flushScheduled = true;
    setImmediate(() => void this.flush());
  }

  /** One batch: what queued while the previous one was in flight (group commit). */
  private flush(): Promise<void> {
    this.flushScheduled = false;
    if (this.flushing) return this.flushing;
    let events = 0;
    let take = 0;
    while (
      take < this.queue.length &&
      (take === 0 || events + this.queue[take]!.events.length <= MAX_BATCH_EVENTS)
    ) {
      events += this.queue[take++]!.events.length;
    }
    const batch = this.queue.splice(0, take);
    if (batch.length === 0) return Promise.resolve();
    this.flushing = this.writeBatch(batch).finally(() => {
      this.flushing = undefined;
      if (this.queue.length > 0) this.scheduleFlush();
    });
    return this.flushing;
  }

  private async writeBatch(batch: PendingAppend[]): Promise<void> {
    let client: PoolClient | undefined;
    let planner: AppendBatchPlanner;
    try {
      await this.ready();
      client = await this.writerPool.connect();
      planner = await writeBatchTransaction(client, batch, this.naive, this.tree);
      this.tree?.commit();
      client.release();
    } catch (error) {
      this.tree?.rollback();
      // Unknown outcome if the connection died during COMMIT: the callers' retries carry the same event ids,
      // which the store answers as the first append (docs/architecture.md §18.1).
      client?.release(true);
      const code = isPgError(error) ? ` (${error.code})` : '';
      const failure = unavailable(`append batch was not committed${code}`, error);
      for (const p of batch) p.reject(failure);
      return;
    }
    this.stats.batches++;
    this.stats.appends += batch.length;
    for (const p of batch) {
      if (p.failure) p.reject(p.failure.error);
      else p.resolve(p.result!);
    }
    if (planner.rowCount > 0) for (const s of this.subscriptions) s.wake();
  }

  /** Wakes this node's subscriptions when another node commits (NOTIFY is sent at COMMIT). */
  private listen(): void {
    if (this.listener) return;
    this.listener = (async () => {
      const client = new Client({ connectionString: this.options.connectionString });
      try {
        client.on('notification', () => {
          for (const s of this.subscriptions) s.wake();
        });
        // A lost listener leaves the poll interval; the next subscription tries again.
        client.on('error', () => {
          this.listener = undefined;
          void client.end().catch(() => undefined);
        });
        await client.connect();
        await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
        if (this.closed) {
          await client.end();
          return undefined;
        }
        return client;
      } catch {
        this.listener = undefined;
        await client.end().catch(() => undefined);
        return undefined;
      }
    })();
  }
}

function unavailable(message: string, cause: unknown): EventStoreUnavailableError {
  return new EventStoreUnavailableError(message, { cause });
}

/** A connection-level failure of the pg client (refused, reset, terminated), not a server SQL error. */
function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    (typeof code === 'string' && /^E[A-Z]+$/.test(code)) ||
    (err instanceof Error && /Connection terminated|connection/i.test(err.message))
  );
}
