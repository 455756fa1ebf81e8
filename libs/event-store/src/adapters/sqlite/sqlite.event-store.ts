import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
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
import { consistencyProof, inclusionProof } from '../../merkle/tree-math';
import { LeafCheck, LogSnapshot, StoredCheckpoint, VerifiableLog } from '../../merkle/verifiable-log';
import { PendingAppend } from '../pending-append';
import { SqliteAppendWriter } from './sqlite.append';
import { CheckpointRow, leafChecks, SqliteMerkleTree } from './sqlite.merkle';
import { PageDecoder, readAllInPages, toLazyRecorded, toRecorded } from './sqlite.decode';
import { EventRow, isSqliteError, openEventsDb, prepareStatements, Statements } from './sqlite.schema';
import { sealedBody, sealedHash } from './sqlite.seal';
import { SqliteSubscription } from './sqlite.subscription';
import { SyncFile, WalSync } from './sqlite.wal-sync';

export interface SqliteEventStoreOptions {
  /** Path of the database file (`data/events.db` in embedded mode); its directory is created. */
  file: string;
  /** How often a caught-up subscription looks for appends made by another process. Default 250 ms. */
  pollIntervalMs?: number;
  /** How long an append waits for another process's write lock before its batch fails. Default 5000 ms. */
  busyTimeoutMs?: number;
  /**
   * Keep the Merkle tree of the log (default true). Off only for the benchmark's baseline: a store written
   * without it takes its events into the tree the next time it is opened with it.
   */
  merkle?: boolean;
  /**
   * Tests only: what syncs the WAL file (default fdatasync on the thread pool), so a test can hold a sync
   * or fail it and see that nothing is acknowledged or shown before it completes.
   */
  syncWal?: SyncFile;
}

const PAGE_SIZE = 1000;

/**
 * The embedded EventStore: one SQLite file in WAL mode with synchronous=NORMAL, one writer per file.
 *
 * Group commit: appends are queued and written in one transaction per event-loop turn, and the WAL is synced
 * off the event loop after the COMMIT (WalSync, §37.4), one sync for every batch committed while the one
 * before ran. Each promise settles only once a sync that started after its COMMIT has completed, and no read
 * shows an event before that: reads stop at the durable head, or wait for it. An ordinary batch (every append passes its
 * revision check, nothing reused) is written with one INSERT for all its events and one upsert for its
 * streams' heads (SqliteAppendWriter.appendAll); any other is written one append at a time, each checked
 * against its own expected revision and written by one INSERT, which SQLite undoes alone if it fails (larger
 * appends get a savepoint), so one that fails is rejected alone.
 */
export class SqliteEventStore implements EventStore, ChainCheckedLog, VerifiableLog {
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
  private readonly tree: SqliteMerkleTree | undefined;
  /** Undefined for `:memory:`, which has nothing to sync: there a COMMIT is all there is. */
  private readonly wal: WalSync | undefined;
  readonly gapFreePositions = true;

  constructor(options: SqliteEventStoreOptions) {
    if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
    this.db = openEventsDb(options.file, options.busyTimeoutMs ?? 5000);
    this.st = prepareStatements(this.db);
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.tree = options.merkle === false ? undefined : new SqliteMerkleTree(this.db);
    const tree = this.tree;
    const writer = new SqliteAppendWriter(this.db, this.st, tree);
    // A transaction function called inside another becomes a savepoint (better-sqlite3): an append written by
    // more than one statement that throws is rolled back alone and the batch goes on. Savepoints cost two
    // statements, so appends written by one statement go without.
    const appendInSavepoint = this.db.transaction((p: PendingAppend) => writer.append(p));
    this.writeBatch = this.db.transaction((batch: PendingAppend[]) => {
      tree?.begin();
      if (writer.appendAll(batch)) {
        tree?.flushRows();
        return;
      }
      for (const p of batch) {
        try {
          p.result = SqliteAppendWriter.needsSavepoint(p.events) ? appendInSavepoint(p) : writer.append(p);
        } catch (error) {
          // The caller's mistake (revision, id reuse, a value JSON cannot hold) fails that append only; an
          // SQLite error (disk full, I/O) fails the whole batch.
          if (isSqliteError(error)) throw error;
          p.failure = { error };
        }
      }
      // The batch's leaves, in the same transaction: committed with its events or not at all.
      tree?.flushRows();
    });
    this.catchUpTree();
    this.wal =
      options.file === ':memory:'
        ? undefined
        : new WalSync(
            `${options.file}-wal`,
            () => this.fileHead(),
            () => this.wakeSubscriptions(),
            options.syncWal,
          );
  }

  /**
   * A store written before the tree existed (or with it off) has events without leaves: they are taken in
   * at open, in one write transaction, so proofs and verification see the whole log from the start.
   */
  private catchUpTree(): void {
    const tree = this.tree;
    if (!tree || tree.storedSize() >= ((this.st.head.get() as number | null) ?? 0)) return;
    this.db
      .transaction(() => {
        tree.begin();
        tree.flushRows();
      })
      .immediate();
    tree.commit();
  }

  static async open(options: SqliteEventStoreOptions): Promise<SqliteEventStore> {
    return new SqliteEventStore(options);
  }

  append(
    streamId: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    try {
      this.assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
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
    // A stream is read to fold its events: all of them decoded.
    const rows = this.st.readStream.all(streamId, options?.fromRevision ?? 0) as EventRow[];
    // Committed is not yet durable: the rows are handed out once a sync has covered them (queries answer
    // clients from these reads; §37.4 says why waiting beats stopping at the durable head).
    const last = rows.length ? rows[rows.length - 1]![0] : 0;
    if (this.wal && last > this.wal.durableHead) await this.wal.afterNextSync();
    return rows.map(toRecorded);
  }

  /** `limit` caps the number of events over all pages. */
  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent[]> {
    let first = true;
    return readAllInPages(
      async (decoder, after, limit) => {
        // Everything committed when the read starts is waited for; later pages take what is durable by then.
        if (first) await this.durableNow();
        first = false;
        return this.readPage(decoder, after, limit);
      },
      options,
      PAGE_SIZE,
    );
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    this.assertOpen();
    const decoder = new PageDecoder();
    const sub = new SqliteSubscription(
      (after, limit) => {
        const page = this.readPage(decoder, after, limit);
        // Another process's appends become visible here once a sync covers them; ours start their own.
        if (page.length < limit) this.wal?.catchUpForeign();
        return page;
      },
      options,
      this.pollIntervalMs,
      (s) => this.subscriptions.delete(s),
    );
    this.subscriptions.add(sub);
    return sub;
  }

  /**
   * verifyEventStore's fast path (ChainCheckedLog): sealRows stored the canonical text it hashed, so each
   * event is checked by hashing its columns put back together, without decoding and re-canonicalising it;
   * only an event that fails that is decoded and settled by the generic check.
   */
  async *checkChains(
    verifier: ChainVerifier,
    after: number,
    accept?: (streamId: string) => boolean,
  ): AsyncIterable<number> {
    const upTo = await this.durableNow();
    for (;;) {
      this.assertOpen();
      const rows = this.st.readAll.all(after, upTo, PAGE_SIZE) as EventRow[];
      if (rows.length === 0) return;
      for (const r of rows) {
        const [, eventId, streamId, revision, type, data, meta] = r;
        if (accept && !accept(streamId)) continue;
        // Not text (a column altered by hand): left to the generic check.
        const hash = typeof data === 'string' && typeof meta === 'string' ? sealedHash(meta) : undefined;
        const body = hash && sealedBody(eventId, streamId, revision, type, data, meta);
        // Lazily decoded, so a column that no longer parses is named by the check rather than thrown here.
        verifier.checkStored(streamId, revision, body, hash, r, toLazyRecorded);
      }
      after = rows[rows.length - 1]![0];
      yield after;
    }
  }

  // VerifiableLog: reads of the stored tree, which stop at the durable head like every read (leaf i is the
  // event at position i + 1). Every size asked for must be one the durable tree has reached.

  async treeSize(): Promise<number> {
    this.merkle();
    return this.durableTreeSize(await this.durableNow());
  }

  async rootAt(size?: number): Promise<Buffer> {
    const tree = this.merkle();
    return tree.rootAt(this.sizeWithin(size ?? this.durableTreeSize(await this.durableNow())));
  }

  async leafHash(index: number): Promise<Buffer> {
    const tree = this.merkle();
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.durableTreeSize()) {
      throw new RangeError(`the tree has no leaf ${index}`);
    }
    return tree.leafHash(index);
  }

  async inclusionProof(index: number, size: number): Promise<Buffer[]> {
    return inclusionProof(this.merkle().perfect, index, this.sizeWithin(size));
  }

  async consistencyProof(from: number, to: number): Promise<Buffer[]> {
    return consistencyProof(this.merkle().perfect, from, this.sizeWithin(to));
  }

  async leafIndexOf(eventId: string): Promise<number | undefined> {
    this.merkle();
    const row = this.st.storedId.get(eventId) as [number] | undefined;
    if (!row || row[0] > this.durableTreeSize()) return undefined;
    return row[0] - 1;
  }

  /** Settles once the checkpoint is durable: a checkpoint handed to a witness must not vanish. */
  async saveCheckpoint(c: StoredCheckpoint): Promise<void> {
    this.merkle().saveCheckpoint(c.size, c.root, c.note, c.signedAt);
    await this.wal?.afterNextSync();
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    return toCheckpoint(this.merkle().latestCheckpoint());
  }

  async checkpointAt(size: number): Promise<StoredCheckpoint | undefined> {
    return toCheckpoint(this.merkle().checkpointAt(size));
  }

  async checkpoints(): Promise<StoredCheckpoint[]> {
    return this.merkle()
      .checkpoints()
      .map((r) => toCheckpoint(r)!);
  }

  /**
   * Waits for the durable head, then reads in one synchronous turn: this process's appends run in their own
   * turns, so none falls between these reads (the checkpoints first: each covers at most the tree as it then
   * was). Rows committed after the durable head are left out: the tree is cut there, and a stream written
   * since has its head as it stood there.
   */
  async snapshot(): Promise<LogSnapshot> {
    this.merkle();
    const upTo = await this.durableNow();
    const tree = this.merkle();
    const checkpoints = tree.checkpoints().map((r) => toCheckpoint(r)!);
    const treeSize = this.durableTreeSize(upTo);
    const heads = new Map(
      (this.st.streamHeads.all() as [string, number, string][]).map(([streamId, revision, lastHash]) => [
        streamId,
        { streamId, revision, lastHash },
      ]),
    );
    for (const streamId of this.st.streamsAfter.all(upTo) as string[]) {
      const row = this.st.streamHeadAt.get(streamId, upTo) as [number, string] | undefined;
      const lastHash = row && sealedHash(row[1]);
      if (row && lastHash) heads.set(streamId, { streamId, revision: row[0], lastHash });
      else heads.delete(streamId);
    }
    return { treeSize, checkpoints, upTo: { position: upTo }, streamHeads: [...heads.values()] };
  }

  /**
   * Every event's leaf rebuilt from its stored columns (the text sealRows hashed, so no decoding), beside the
   * tree's leaf for the same index. Leaf i is paired with the i-th event read, whatever its position, so a
   * deleted or moved row shows as leaves that differ from there on.
   */
  async *recomputeLeaves(upTo: LogSnapshot['upTo']): AsyncIterable<LeafCheck[]> {
    const tree = this.merkle();
    const last = Math.min('position' in upTo ? upTo.position : Infinity, await this.durableNow());
    let after = 0;
    let index = 0;
    for (;;) {
      this.assertOpen();
      const rows = this.st.readAll.all(after, last, PAGE_SIZE) as EventRow[];
      if (rows.length === 0) return;
      const stored = new Map(tree.storedLeaves(index, rows.length));
      yield leafChecks(rows, index, stored);
      index += rows.length;
      after = rows[rows.length - 1]![0];
    }
  }

  private merkle(): SqliteMerkleTree {
    this.assertOpen();
    if (!this.tree) throw new EventStoreUnavailableError('this store was opened without its Merkle tree');
    return this.tree;
  }

  /**
   * Leaves of the tree up to the durable head (a leaf per position: positions are gap-free). A tree longer
   * than the whole log is no append in flight (leaves are written in their events' transaction) but a log cut
   * short: it is shown as it is, for verification to name.
   */
  private durableTreeSize(durableHead = this.durableHead()): number {
    const stored = this.merkle().storedSize();
    return stored > this.fileHead() ? stored : Math.min(stored, durableHead);
  }

  private sizeWithin(size: number): number {
    const durable = this.durableTreeSize();
    if (!Number.isSafeInteger(size) || size < 0 || size > durable) {
      throw new RangeError(`the tree has ${durable} leaves, not ${size}`);
    }
    return size;
  }

  async headPosition(): Promise<number> {
    return this.durableNow();
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

  /** Commits what is queued, stops the subscriptions, waits for the queued appends' sync, closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    // Before the wait: a subscription woken meanwhile would read a closed store and report it as a failure.
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.wal?.drain();
    this.db.close();
    this.wal?.close();
  }

  /** The last position in the file, durable or not (the `max` is one step down the B-tree's right edge). */
  private fileHead(): number {
    return (this.st.head.get() as number | null) ?? 0;
  }

  private durableHead(): number {
    return this.wal ? this.wal.durableHead : this.fileHead();
  }

  /** Everything committed to the file when called, once durable: the head every read may go up to. */
  private async durableNow(): Promise<number> {
    this.assertOpen();
    return this.wal ? this.wal.durableNow() : this.fileHead();
  }

  /** A page that stops at the durable head. */
  private readPage(decoder: PageDecoder, after: number, limit: number): RecordedEvent[] {
    this.assertOpen();
    return decoder.decode(this.st.readAll.all(after, this.durableHead(), limit) as EventRow[]);
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('event store is closed');
    this.wal?.assertHealthy();
  }

  private wakeSubscriptions(): void {
    for (const s of this.subscriptions) s.wake();
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    try {
      this.writeBatch.immediate(batch);
      this.tree?.commit();
    } catch (error) {
      this.tree?.rollback();
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
    if (!this.wal) {
      this.settle(batch);
      if (batch.some((p) => p.result && !p.result.duplicate)) this.wakeSubscriptions();
      return;
    }
    // Every outcome waits for the sync, refusals too: a stale revision tells of an event not yet durable.
    // The sync's completion wakes the subscriptions.
    this.wal.afterNextSync().then(
      () => this.settle(batch),
      (error: unknown) => {
        for (const p of batch) p.reject(error);
      },
    );
  }

  private settle(batch: PendingAppend[]): void {
    for (const p of batch) {
      if (p.failure) p.reject(p.failure.error);
      else p.resolve(p.result!);
    }
  }
}

function toCheckpoint(r: CheckpointRow | undefined): StoredCheckpoint | undefined {
  return r && { size: r[0], root: r[1], note: r[2], signedAt: r[3] };
}
