import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { CHECKPOINTS_SCHEMA } from '../adapters/sqlite/sqlite.merkle';
import { RecordedEvent } from '../envelope';
import { EventStore, Subscription } from '../event-store.port';
import { eventLeafHash } from './leaf';
import { CompactRange, consistencyProof, HASH_BYTES, inclusionProof, PerfectSubtree } from './tree-math';
import { LeafCheck, LogSnapshot, StoredCheckpoint, VerifiableLog } from './verifiable-log';

/**
 * The Merkle tree of a store that cannot keep one itself (KurrentDB: a server we do not extend), kept by the
 * api beside it in a local SQLite file fed by a subscription to the whole log, in log order. The same row
 * scheme as the SQLite adapter (a leaf and the perfect subtrees it completes), plus each leaf's event id and
 * position.
 *
 * Weaker than the SQLite adapter's tree, and said so in docs: the leaf is taken in after the append has
 * committed, not in its transaction, so the tree (and so every checkpoint) trails the log by the
 * subscription's lag; each api node keeps its own file; and the store's operator can alter the log before a
 * node has taken it in. Once taken in and checkpointed, an event is covered as on SQLite. KurrentDB cannot
 * run here, so this class is tested against the SQLite adapter as its source.
 */
export class SubscribedMerkleLog implements VerifiableLog {
  readonly gapFreePositions = false;
  private readonly db: Database.Database;
  private range: CompactRange;
  private subscription: Subscription | undefined;
  private readonly st;

  constructor(
    private readonly store: EventStore,
    file: string,
  ) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(
      `
      CREATE TABLE IF NOT EXISTS merkle_tree (
        leaf_index INTEGER PRIMARY KEY,
        event_id   TEXT    NOT NULL UNIQUE,
        position   INTEGER NOT NULL,
        hashes     BLOB    NOT NULL
      );` + CHECKPOINTS_SCHEMA,
    );
    this.st = {
      last: this.db
        .prepare('SELECT leaf_index, position FROM merkle_tree ORDER BY leaf_index DESC LIMIT 1')
        .raw(),
      row: this.db.prepare('SELECT hashes FROM merkle_tree WHERE leaf_index = ?').pluck(),
      rows: this.db
        .prepare(
          'SELECT leaf_index, hashes FROM merkle_tree WHERE leaf_index >= ? ORDER BY leaf_index LIMIT ?',
        )
        .raw(),
      byEvent: this.db.prepare('SELECT leaf_index FROM merkle_tree WHERE event_id = ?').pluck(),
      insert: this.db.prepare(
        'INSERT INTO merkle_tree (leaf_index, event_id, position, hashes) VALUES (?, ?, ?, ?)',
      ),
      saveCheckpoint: this.db.prepare(
        'INSERT OR IGNORE INTO checkpoints (tree_size, root, note, signed_at) VALUES (?, ?, ?, ?)',
      ),
      latest: this.db
        .prepare('SELECT tree_size, root, note, signed_at FROM checkpoints ORDER BY tree_size DESC LIMIT 1')
        .raw(),
      at: this.db
        .prepare('SELECT tree_size, root, note, signed_at FROM checkpoints WHERE tree_size = ?')
        .raw(),
      all: this.db
        .prepare('SELECT tree_size, root, note, signed_at FROM checkpoints ORDER BY tree_size')
        .raw(),
    };
    this.range = CompactRange.at(this.size(), this.perfect);
  }

  /** Follows the log from the last event taken in. */
  start(onError?: (error: unknown) => void): void {
    const last = this.st.last.get() as [number, number] | undefined;
    this.subscription = this.store.subscribeToAll({
      after: last ? last[1] : 0,
      onEvents: (events) => this.take(events),
      ...(onError ? { onError } : {}),
    });
  }

  /** Takes events in log order into the tree, in one transaction per batch. */
  take(events: readonly RecordedEvent[]): void {
    const next = this.range.clone();
    this.db.transaction(() => {
      for (const e of events) {
        const index = next.size;
        const row = Buffer.from(next.append(eventLeafHash(e).toString('latin1')), 'latin1');
        this.st.insert.run(index, e.eventId, e.position, row);
      }
    })();
    this.range = next;
  }

  async close(): Promise<void> {
    await this.subscription?.close();
    this.db.close();
  }

  private size(): number {
    const last = this.st.last.get() as [number, number] | undefined;
    return last ? last[0] + 1 : 0;
  }

  private readonly perfect: PerfectSubtree = (level, index) => {
    const row = this.st.row.get((index + 1) * 2 ** level - 1) as Buffer | undefined;
    if (!row || row.length < (level + 1) * HASH_BYTES) throw new Error(`no Merkle node at ${level}/${index}`);
    return row.subarray(level * HASH_BYTES, (level + 1) * HASH_BYTES);
  };

  private within(size: number): number {
    const n = this.size();
    if (!Number.isSafeInteger(size) || size < 0 || size > n)
      throw new RangeError(`the tree has ${n} leaves, not ${size}`);
    return size;
  }

  async treeSize(): Promise<number> {
    return this.size();
  }

  async rootAt(size?: number): Promise<Buffer> {
    return CompactRange.at(this.within(size ?? this.size()), this.perfect).root();
  }

  async leafHash(index: number): Promise<Buffer> {
    return this.perfect(0, index);
  }

  async inclusionProof(index: number, size: number): Promise<Buffer[]> {
    return inclusionProof(this.perfect, index, this.within(size));
  }

  async consistencyProof(from: number, to: number): Promise<Buffer[]> {
    return consistencyProof(this.perfect, from, this.within(to));
  }

  async leafIndexOf(eventId: string): Promise<number | undefined> {
    return (this.st.byEvent.get(eventId) as number | undefined) ?? undefined;
  }

  async saveCheckpoint(c: StoredCheckpoint): Promise<void> {
    this.st.saveCheckpoint.run(c.size, c.root, c.note, c.signedAt);
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    return toCheckpoint(this.st.latest.get());
  }

  async checkpointAt(size: number): Promise<StoredCheckpoint | undefined> {
    return toCheckpoint(this.st.at.get(size));
  }

  async checkpoints(): Promise<StoredCheckpoint[]> {
    return (this.st.all.all() as unknown[]).map((r) => toCheckpoint(r)!);
  }

  /** The tree as taken in so far; KurrentDB keeps no stream heads apart from its events. */
  async snapshot(): Promise<LogSnapshot> {
    const checkpoints = await this.checkpoints();
    const treeSize = this.size();
    return { treeSize, checkpoints, upTo: { events: treeSize } };
  }

  /**
   * The store's first `upTo.events` events, read through the port and hashed whole, against the leaves kept
   * here. Later events are the subscription's lag, not yet in the tree; a store holding fewer is short.
   */
  async *recomputeLeaves(upTo: LogSnapshot['upTo']): AsyncIterable<LeafCheck[]> {
    const limit = 'events' in upTo ? upTo.events : Infinity;
    let index = 0;
    if (limit === 0) return;
    for await (const page of this.store.readAll({ limit })) {
      const stored = new Map(
        (this.st.rows.all(index, page.length) as [number, Buffer][]).map(([i, h]) => [
          i,
          h.subarray(0, HASH_BYTES),
        ]),
      );
      yield page.map((e) => {
        let leaf: Buffer;
        let hash: string | undefined;
        try {
          hash = e.meta.hash;
          leaf = eventLeafHash(e);
        } catch {
          // An event that no longer decodes cannot be the one taken in.
          leaf = Buffer.alloc(HASH_BYTES);
        }
        const check: LeafCheck = {
          index,
          position: e.position,
          eventId: e.eventId,
          streamId: e.streamId,
          revision: e.revision,
          hash,
          leaf,
          stored: stored.get(index),
        };
        index++;
        return check;
      });
    }
  }
}

function toCheckpoint(r: unknown): StoredCheckpoint | undefined {
  if (!r) return undefined;
  const [size, root, note, signedAt] = r as [number, Buffer, string, string];
  return { size, root, note, signedAt };
}
