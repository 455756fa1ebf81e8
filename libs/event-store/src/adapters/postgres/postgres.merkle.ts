import { PoolClient } from 'pg';
import { CompactRange, HASH_BYTES, PerfectSubtree } from '../../merkle/tree-math';
import { leafDigest } from '../../merkle/leaf';
import { StoredCheckpoint } from '../../merkle/verifiable-log';
import { storedLeaf } from '../sqlite/sqlite.merkle';
import { EventRow } from '../sqlite/sqlite.schema';
import { COLUMNS } from './postgres.schema';

/**
 * The Merkle tree of the PostgreSQL log (docs/architecture.md §29), in the same database as the events and
 * written by the same batch transaction, under the log-head lock, so the tree is never ahead of or behind
 * the log on any node. The row scheme is the SQLite adapter's (sqlite.merkle.ts): one row per leaf holding
 * the leaf hash and every perfect subtree that leaf completes, so any node is one row lookup. Checkpoints
 * are kept beside it, whichever node signed them.
 */
export const MERKLE_SCHEMA = `
CREATE TABLE IF NOT EXISTS merkle_tree (
  leaf_index bigint PRIMARY KEY,
  hashes     bytea  NOT NULL
);
CREATE TABLE IF NOT EXISTS checkpoints (
  tree_size bigint PRIMARY KEY,
  root      bytea  NOT NULL,
  note      text   NOT NULL,
  signed_at text   NOT NULL
);
`;

/**
 * Read with the batch's stream heads (postgres.batch.ts readState), after the log-head lock: the tree's size
 * and, only when it is not the size this node's frontier has (another node appended since), the rows that
 * hold the frontier of that size: for each set bit k of n, the perfect subtree of 2^k leaves that ends at
 * leaf ((n >> (k+1)) << (k+1)) + 2^k − 1. So a node that follows another's appends needs no extra round trip.
 * `$3` is this node's frontier size (−1 when it has none). The leaf indexes are computed once, as an array,
 * so the rows are found by primary key: written as a correlated `IN`, PostgreSQL scanned the whole tree per
 * batch (170 ms at 8,000 leaves; found by benchmark (p) with four nodes, whose frontiers are always stale).
 */
export const TREE_STATE_COLUMNS = `
  (SELECT n FROM tree) AS tree_size,
  (SELECT coalesce(json_agg(json_build_array(leaf_index, encode(hashes, 'base64'))), '[]'::json)
     FROM merkle_tree
    WHERE (SELECT n FROM tree) <> $3
      AND leaf_index = ANY (ARRAY(SELECT ((t.n >> (k + 1)) << (k + 1)) + (1::bigint << k) - 1
                                    FROM tree t, generate_series(0, 62) AS k
                                   WHERE (t.n >> k) & 1 = 1))) AS frontier`;
export const TREE_SIZE_CTE = 'tree AS (SELECT coalesce(max(leaf_index) + 1, 0) AS n FROM merkle_tree)';

/** Events read per statement when the tree takes in events stored without leaves. */
const CATCH_UP_PAGE = 1000;

/**
 * This node's frontier of the tree (the compact range), and the rows a batch adds. begin() is called in the
 * batch transaction once the log head is locked; add() per accepted event; then the rows go out with the
 * batch's other writes, and commit() or rollback() once the transaction's outcome is known.
 */
export class PostgresMerkleTree {
  private committed: CompactRange | undefined;
  private working: CompactRange | undefined;
  private leafIndexes: number[] = [];
  private hashes: Buffer[] = [];

  /** The size of the frontier this node holds, or −1: what readState compares the stored tree with. */
  get knownSize(): number {
    return this.committed?.size ?? -1;
  }

  /**
   * Starts the batch from the stored tree of `size` leaves: this node's frontier when it is that size, else
   * the one `load` rebuilds from the stored rows.
   */
  begin(size: number, load: () => CompactRange): void {
    if (this.committed?.size !== size) this.committed = load();
    this.working = this.committed.clone();
    this.leafIndexes = [];
    this.hashes = [];
  }

  get size(): number {
    return this.working!.size;
  }

  /** An appended event (its position must be the tree's next leaf + 1). */
  add(position: number, body: string, hash: string): void {
    this.push(leafDigest(body, hash, position));
  }

  /** An event stored without a leaf (catchUp). */
  addStored(row: EventRow): void {
    this.push(storedLeaf(row).toString('latin1'));
  }

  /** `leaf` as latin1 (CompactRange's form). */
  private push(leaf: string): void {
    const range = this.working!;
    this.leafIndexes.push(range.size);
    this.hashes.push(Buffer.from(range.append(leaf), 'latin1'));
  }

  /** The rows added since begin() (or the last take), as column arrays for one unnest INSERT. */
  takeRows(): { leafIndex: number[]; hashes: Buffer[] } {
    const rows = { leafIndex: this.leafIndexes, hashes: this.hashes };
    this.leafIndexes = [];
    this.hashes = [];
    return rows;
  }

  commit(): void {
    this.committed = this.working;
    this.working = undefined;
  }

  rollback(): void {
    this.working = undefined;
    this.leafIndexes = [];
    this.hashes = [];
  }
}

/**
 * Takes in events stored without a leaf (a store written before the tree existed, or by a node with it
 * off), inside a transaction that holds the log head: leaf i is always the event at position i + 1.
 */
export async function catchUp(client: PoolClient, tree: PostgresMerkleTree, head: number): Promise<void> {
  while (tree.size < head) {
    const { rows } = await client.query<EventRow>({
      text: `SELECT ${COLUMNS} FROM events WHERE position > $1 ORDER BY position LIMIT $2`,
      values: [tree.size, CATCH_UP_PAGE],
      rowMode: 'array',
    });
    if (rows.length === 0) return;
    for (const r of rows) tree.addStored(r);
    const { leafIndex, hashes } = tree.takeRows();
    await client.query(
      'INSERT INTO merkle_tree (leaf_index, hashes) SELECT * FROM unnest($1::int8[], $2::bytea[])',
      [leafIndex, hashes],
    );
  }
}

/** A node lookup over rows held in memory: node (level, i) is in the row of leaf (i + 1)·2^level − 1. */
export function perfectFrom(rows: Map<number, Buffer>): PerfectSubtree {
  return (level, index) => {
    const row = rows.get((index + 1) * 2 ** level - 1);
    if (!row || row.length < (level + 1) * HASH_BYTES) {
      throw new Error(`the Merkle tree has no node at level ${level}, index ${index}`);
    }
    return row.subarray(level * HASH_BYTES, (level + 1) * HASH_BYTES);
  };
}

/** The frontier rows readState returns (leaf index, base64 hashes), as a node lookup. */
export function frontierFromJson(rows: [number, string][]): PerfectSubtree {
  return perfectFrom(rowMap(rows));
}

function rowMap(rows: [number, string][]): Map<number, Buffer> {
  return new Map(rows.map(([i, h]) => [Number(i), Buffer.from(h, 'base64')]));
}

/**
 * Runs one of the tree-math functions (roots, proofs) over rows fetched from the server. Which nodes they
 * visit depends only on the sizes and indexes asked, not on the hashes, so a first run with blank hashes
 * names every row needed, they are read in one query, and the second run computes with them.
 */
export async function withStoredNodes<T>(
  compute: (perfect: PerfectSubtree) => T,
  load: (leafIndexes: number[]) => Promise<Map<number, Buffer>>,
): Promise<T> {
  const wanted = new Set<number>();
  const blank = Buffer.alloc(HASH_BYTES);
  compute((level, index) => {
    wanted.add((index + 1) * 2 ** level - 1);
    return blank;
  });
  return compute(perfectFrom(wanted.size > 0 ? await load([...wanted]) : new Map()));
}

export interface CheckpointRecord {
  tree_size: number;
  root: Buffer;
  note: string;
  signed_at: string;
}

export const CHECKPOINT_COLUMNS = 'tree_size, root, note, signed_at';

export function toCheckpoint(r: CheckpointRecord | undefined): StoredCheckpoint | undefined {
  return r && { size: Number(r.tree_size), root: r.root, note: r.note, signedAt: r.signed_at };
}
