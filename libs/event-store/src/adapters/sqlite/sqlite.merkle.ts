import Database from 'better-sqlite3';
import { CompactRange, HASH_BYTES, leafHash, PerfectSubtree } from '../../merkle/tree-math';
import { leafDigest, leafText } from '../../merkle/leaf';
import type { LeafCheck } from '../../merkle/verifiable-log';
import { sealedBody, sealedHash } from './sqlite.seal';
import { EventRow } from './sqlite.schema';

/** The signed checkpoints, in SQLite wherever a tree is kept in it (this file, or SubscribedMerkleLog's). */
export const CHECKPOINTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS checkpoints (
  tree_size INTEGER PRIMARY KEY,
  root      BLOB    NOT NULL,
  note      TEXT    NOT NULL,
  signed_at TEXT    NOT NULL
);
`;

/**
 * The Merkle tree of the SQLite log, stored beside the events in the same file and written in the same
 * transaction as the append (inside the group commit), so the tree is never ahead of or behind the log.
 *
 * Storage: `merkle_tree(leaf_index, hashes)`, where each leaf contributes its leaf hash followed by the hash of
 * every perfect subtree that leaf completes (level 1, 2, ...: one per trailing one bit of its index), so every
 * perfect subtree is stored exactly once, with the leaf that closes it. A row holds consecutive leaves, those
 * after the previous row's up to its `leaf_index`, their parts in order: a batch writes one row per
 * LEAVES_PER_ROW of its leaves, where it wrote one per leaf (a row per leaf, as files written before
 * docs/architecture.md §37.14 hold, is the case of one leaf a row, so those files are read as they are). Any
 * node a proof needs is one lookup: node (level, i) belongs to leaf (i + 1)·2^level − 1, in the first row whose
 * `leaf_index` is at least that, found in it by walking back from the row's end (each leaf j's part is
 * 1 + (trailing one bits of j) hashes long). The table only ever grows at its end. The compact range (the
 * frontier) is held in memory and rebuilt from log2(n) lookups when another process has appended.
 */
export const MERKLE_SCHEMA =
  `
CREATE TABLE IF NOT EXISTS merkle_tree (
  leaf_index INTEGER PRIMARY KEY,
  hashes     BLOB    NOT NULL
);
` + CHECKPOINTS_SCHEMA;

/** Rows per INSERT into merkle_tree, as for events (two parameters a row). */
const ROWS_PER_INSERT = 128;

/**
 * Leaves a written row holds at most: a batch of 16 is one row (one B-tree insert where it was 16: about 9 µs of
 * CPU a commit, §37.14), and a row stays within one 4 KiB page (32 leaves hold 63 hashes, 2 KiB, on average,
 * and at most about 3.5 KiB).
 */
const LEAVES_PER_ROW = 32;

/** The hashes leaf `index` contributes to its row: its own and one per perfect subtree it completes. */
function hashesOfLeaf(index: number): number {
  let n = 1;
  for (let i = index; i % 2 === 1; i = Math.floor(i / 2)) n++;
  return n;
}

/**
 * The leaves a row holds and where each one's part starts, first to last, found by walking back from the
 * row's end; a row whose length is not a whole number of parts (not as written) yields only its whole ones.
 */
function leavesOfRow(last: number, bytes: number): [leaf: number, start: number][] {
  const parts: [number, number][] = [];
  let end = bytes;
  for (let j = last; end > 0 && j >= 0; j--) {
    end -= HASH_BYTES * hashesOfLeaf(j);
    if (end < 0) break;
    parts.push([j, end]);
  }
  return parts.reverse();
}

/** The leaf of a stored row, from its columns as they are (see leafText); meta that is not as sealed gets its raw text hashed. */
export function storedLeaf(r: EventRow): Buffer {
  const [position, eventId, streamId, revision, type, data, meta] = r;
  const hash = typeof data === 'string' && typeof meta === 'string' ? sealedHash(meta) : undefined;
  if (hash === undefined) {
    // Not what sealRows wrote: a leaf that cannot match the one appended, but still a function of the row.
    return leafHash(JSON.stringify(r));
  }
  return leafHash(leafText(sealedBody(eventId, streamId, revision, type, data, meta), hash, position));
}

/**
 * A page of the log as recomputeLeaves yields it: each row's leaf recomputed beside the leaf the tree stored
 * for it, the rows holding leaves `firstIndex`, `firstIndex + 1`, ... in order.
 */
export function leafChecks(
  rows: readonly EventRow[],
  firstIndex: number,
  stored: ReadonlyMap<number, Buffer>,
): LeafCheck[] {
  return rows.map((r, i) => ({
    index: firstIndex + i,
    position: r[0],
    eventId: r[1],
    streamId: r[2],
    revision: r[3],
    hash: typeof r[6] === 'string' ? sealedHash(r[6]) : undefined,
    leaf: storedLeaf(r),
    stored: stored.get(firstIndex + i),
  }));
}

export class SqliteMerkleTree {
  private committed: CompactRange | undefined;
  private working: CompactRange | undefined;
  /** The batch's rows, as CompactRange.append gives them: leaf index, then its hashes as latin1, in turn. */
  private pending: (number | string)[] = [];
  private readonly inserts: (Database.Statement | undefined)[] = [];
  /** PRAGMA data_version when `committed` was last read from the file or written by this connection. */
  private version: unknown;
  private readonly st;

  constructor(private readonly db: Database.Database) {
    db.exec(MERKLE_SCHEMA);
    this.st = {
      size: db.prepare('SELECT max(leaf_index) FROM merkle_tree').pluck(),
      // Changes when another connection commits, never for this one's own commits (SQLite's documented rule).
      dataVersion: db.prepare('PRAGMA data_version').pluck(),
      // Both ends in one statement (each is one step down a B-tree's right edge).
      sizes: db
        .prepare('SELECT (SELECT max(leaf_index) FROM merkle_tree), (SELECT max(position) FROM events)')
        .raw(),
      rowOf: db
        .prepare(
          'SELECT leaf_index, hashes FROM merkle_tree WHERE leaf_index >= ? ORDER BY leaf_index LIMIT 1',
        )
        .raw(),
      rows: db
        .prepare(
          'SELECT leaf_index, hashes FROM merkle_tree WHERE leaf_index >= ? ORDER BY leaf_index LIMIT ?',
        )
        .raw(),
      eventsAfter: db
        .prepare(
          'SELECT position, event_id, stream_id, revision, type, data, meta FROM events WHERE position > ? ORDER BY position LIMIT ?',
        )
        .raw(),
      saveCheckpoint: db.prepare(
        'INSERT OR IGNORE INTO checkpoints (tree_size, root, note, signed_at) VALUES (?, ?, ?, ?)',
      ),
      latest: db
        .prepare('SELECT tree_size, root, note, signed_at FROM checkpoints ORDER BY tree_size DESC LIMIT 1')
        .raw(),
      at: db.prepare('SELECT tree_size, root, note, signed_at FROM checkpoints WHERE tree_size = ?').raw(),
      all: db.prepare('SELECT tree_size, root, note, signed_at FROM checkpoints ORDER BY tree_size').raw(),
    };
  }

  /** Leaves stored, read from the file (another process may have appended). */
  storedSize(): number {
    const max = this.st.size.get() as number | null;
    return max === null ? 0 : max + 1;
  }

  readonly perfect: PerfectSubtree = (level, index) => {
    const leaf = (index + 1) * 2 ** level - 1;
    const row = this.st.rowOf.get(leaf) as [number, Buffer] | undefined;
    const start = row && leavesOfRow(row[0], row[1].length).find(([j]) => j === leaf)?.[1];
    if (start === undefined || level >= hashesOfLeaf(leaf)) {
      throw new Error(`the Merkle tree has no node at level ${level}, index ${index}`);
    }
    return row![1].subarray(start + level * HASH_BYTES, start + (level + 1) * HASH_BYTES);
  };

  /**
   * Called inside the batch transaction before any append: a working copy of the frontier, reloaded from the
   * file when another process appended since. Events with no leaf yet (a store written before the tree
   * existed, or with it switched off) are taken in first, so leaf i is always the i-th event.
   *
   * The file's sizes are read only when another connection has committed since this one last looked: this
   * connection writes a leaf for every event it appends, in the same transaction, so while nobody else
   * commits the frontier it holds is the file's. The sizes' read cost about 7 µs a batch against well under
   * one for the pragma (docs/architecture.md §37.14).
   */
  begin(): void {
    const version = this.st.dataVersion.get();
    this.pending = [];
    if (this.committed !== undefined && version === this.version) {
      this.working = this.committed.clone();
      return;
    }
    const [maxLeaf, head] = this.st.sizes.get() as [number | null, number | null];
    const size = maxLeaf === null ? 0 : maxLeaf + 1;
    if (this.committed?.size !== size) this.committed = CompactRange.at(size, this.perfect);
    this.version = version;
    this.working = this.committed.clone();
    if ((head ?? 0) > size) this.catchUp();
  }

  /** An appended event: its leaf joins the tree (written by flushRows, still inside the transaction). */
  add(position: number, body: string, hash: string): void {
    const range = this.working!;
    const index = range.size;
    this.pending.push(index, range.append(leafDigest(body, hash, position)));
  }

  /** Writes the batch's leaves, LEAVES_PER_ROW to a row; then commit() once the transaction has committed. */
  flushRows(): void {
    const pending = this.pending;
    const leaves = pending.length / 2;
    const rows: unknown[] = [];
    for (let from = 0; from < leaves; from += LEAVES_PER_ROW) {
      const to = Math.min(leaves, from + LEAVES_PER_ROW);
      let hashes = '';
      for (let i = from; i < to; i++) hashes += pending[2 * i + 1] as string;
      rows.push(pending[2 * (to - 1)], Buffer.from(hashes, 'latin1'));
    }
    for (let from = 0; from < rows.length / 2; from += ROWS_PER_INSERT) {
      const n = Math.min(ROWS_PER_INSERT, rows.length / 2 - from);
      const stmt = (this.inserts[n] ??= this.db.prepare(
        'INSERT INTO merkle_tree (leaf_index, hashes) VALUES ' +
          Array.from({ length: n }, () => '(?, ?)').join(', '),
      ));
      stmt.run(n === rows.length / 2 ? rows : rows.slice(2 * from, 2 * (from + n)));
    }
    this.pending = [];
  }

  commit(): void {
    this.committed = this.working;
    this.working = undefined;
  }

  rollback(): void {
    this.working = undefined;
    this.pending = [];
    // Read the file again next time: the batch may have been taking in events stored without leaves.
    this.version = undefined;
  }

  /** Takes in events stored without leaves (the tree added to an existing store). */
  private catchUp(): void {
    for (;;) {
      const rows = this.st.eventsAfter.all(positionOfLeaf(this.working!.size), 1000) as EventRow[];
      if (rows.length === 0) break;
      for (const r of rows) {
        const index = this.working!.size;
        this.pending.push(index, this.working!.append(storedLeaf(r).toString('latin1')));
      }
      this.flushRows();
    }
  }

  rootAt(size: number): Buffer {
    return CompactRange.at(size, this.perfect).root();
  }

  leafHash(index: number): Buffer {
    return this.perfect(0, index);
  }

  /** Stored leaf hashes from `from`, up to `limit` of them (every row holds at least one). */
  storedLeaves(from: number, limit: number): [number, Buffer][] {
    const out: [number, Buffer][] = [];
    for (const [last, hashes] of this.st.rows.all(from, limit) as [number, Buffer][]) {
      for (const [leaf, start] of leavesOfRow(last, hashes.length)) {
        if (leaf >= from && out.length < limit) out.push([leaf, hashes.subarray(start, start + HASH_BYTES)]);
      }
    }
    return out;
  }

  saveCheckpoint(size: number, root: Buffer, note: string, signedAt: string): void {
    this.st.saveCheckpoint.run(size, root, note, signedAt);
  }

  latestCheckpoint(): CheckpointRow | undefined {
    return this.st.latest.get() as CheckpointRow | undefined;
  }

  checkpointAt(size: number): CheckpointRow | undefined {
    return this.st.at.get(size) as CheckpointRow | undefined;
  }

  checkpoints(): CheckpointRow[] {
    return this.st.all.all() as CheckpointRow[];
  }
}

export type CheckpointRow = [size: number, root: Buffer, note: string, signedAt: string];

/** Leaf i is the event at position i + 1 (positions are SQLite's gap-free rowid). */
const positionOfLeaf = (leafCount: number): number => leafCount;
