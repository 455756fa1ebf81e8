import { PoolClient } from 'pg';
import { CompactRange, consistencyProof, HASH_BYTES, inclusionProof } from '../../merkle/tree-math';
import { LeafCheck, LogSnapshot, StoredCheckpoint, VerifiableLog } from '../../merkle/verifiable-log';
import { leafChecks } from '../sqlite/sqlite.merkle';
import { EventRow } from '../sqlite/sqlite.schema';
import {
  catchUp,
  CHECKPOINT_COLUMNS,
  CheckpointRecord,
  PostgresMerkleTree,
  toCheckpoint,
  withStoredNodes,
} from './postgres.merkle';
import { COLUMNS } from './postgres.schema';

/** Events read per page when the log is checked against the tree. */
const PAGE_SIZE = 1000;

export const TREE_SIZE = 'SELECT coalesce(max(leaf_index) + 1, 0) AS n FROM merkle_tree';

/** How the log reads the database: the store's pool, its errors translated (PostgresEventStore). */
export interface TreeQueries {
  /** Rows by column name. */
  objects<T extends object>(text: string, values: unknown[]): Promise<T[]>;
  /** Event rows (COLUMNS) as arrays. */
  events(text: string, values: unknown[]): Promise<EventRow[]>;
}

/**
 * The read side of the PostgreSQL adapter's Merkle tree and checkpoints (the VerifiableLog the api's audit
 * routes, the checkpoint signer and verification use), over the tables the batch transaction writes
 * (postgres.merkle.ts). Any node reads what every node wrote. Every size asked for must be one the tree has
 * reached.
 */
export class PostgresMerkleLog implements VerifiableLog {
  /** Positions come from the log head, 1, 2, 3...: leaf i is the event at position i + 1. */
  readonly gapFreePositions = true;

  constructor(private readonly db: TreeQueries) {}

  async treeSize(): Promise<number> {
    return Number((await this.db.objects<{ n: number }>(TREE_SIZE, []))[0]!.n);
  }

  async rootAt(size?: number): Promise<Buffer> {
    const n = await this.sizeWithin(size);
    return withStoredNodes(
      (perfect) => CompactRange.at(n, perfect).root(),
      (leaves) => this.treeRows(leaves),
    );
  }

  async leafHash(index: number): Promise<Buffer> {
    return withStoredNodes(
      (perfect) => perfect(0, index),
      (leaves) => this.treeRows(leaves),
    );
  }

  async inclusionProof(index: number, size: number): Promise<Buffer[]> {
    const n = await this.sizeWithin(size);
    return withStoredNodes(
      (perfect) => inclusionProof(perfect, index, n),
      (leaves) => this.treeRows(leaves),
    );
  }

  async consistencyProof(from: number, to: number): Promise<Buffer[]> {
    const n = await this.sizeWithin(to);
    return withStoredNodes(
      (perfect) => consistencyProof(perfect, from, n),
      (leaves) => this.treeRows(leaves),
    );
  }

  async leafIndexOf(eventId: string): Promise<number | undefined> {
    const rows = await this.db.objects<{ position: number; n: number }>(
      `SELECT position, (${TREE_SIZE}) AS n FROM events WHERE event_id = $1`,
      [eventId],
    );
    const row = rows[0];
    return row && row.position <= row.n ? row.position - 1 : undefined;
  }

  async saveCheckpoint(c: StoredCheckpoint): Promise<void> {
    await this.db.objects(
      `INSERT INTO checkpoints (${CHECKPOINT_COLUMNS}) VALUES ($1, $2, $3, $4) ON CONFLICT (tree_size) DO NOTHING`,
      [c.size, c.root, c.note, c.signedAt],
    );
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    const rows = await this.db.objects<CheckpointRecord>(
      `SELECT ${CHECKPOINT_COLUMNS} FROM checkpoints ORDER BY tree_size DESC LIMIT 1`,
      [],
    );
    return toCheckpoint(rows[0]);
  }

  async checkpointAt(size: number): Promise<StoredCheckpoint | undefined> {
    const rows = await this.db.objects<CheckpointRecord>(
      `SELECT ${CHECKPOINT_COLUMNS} FROM checkpoints WHERE tree_size = $1`,
      [size],
    );
    return toCheckpoint(rows[0]);
  }

  async checkpoints(): Promise<StoredCheckpoint[]> {
    const rows = await this.db.objects<CheckpointRecord>(
      `SELECT ${CHECKPOINT_COLUMNS} FROM checkpoints ORDER BY tree_size`,
      [],
    );
    return rows.map((r) => toCheckpoint(r)!);
  }

  /**
   * One statement, so one snapshot: the checkpoints, the last position, the tree's size and the stream heads
   * as they were at one instant, whatever other nodes commit meanwhile.
   */
  async snapshot(): Promise<LogSnapshot> {
    const rows = await this.db.objects<{
      checkpoints: [number, string, string, string][];
      head: number;
      n: number;
      heads: [string, number, string][];
    }>(
      `SELECT (SELECT coalesce(json_agg(json_build_array(tree_size, encode(root, 'base64'), note, signed_at) ORDER BY tree_size), '[]'::json) FROM checkpoints) AS checkpoints, ` +
        '(SELECT coalesce(max(position), 0) FROM events) AS head, ' +
        `(${TREE_SIZE}) AS n, ` +
        "(SELECT coalesce(json_agg(json_build_array(stream_id, revision, last_hash)), '[]'::json) FROM streams) AS heads",
      [],
    );
    const r = rows[0]!;
    return {
      treeSize: Number(r.n),
      checkpoints: r.checkpoints.map(([size, root, note, signedAt]) => ({
        size,
        root: Buffer.from(root, 'base64'),
        note,
        signedAt,
      })),
      upTo: { position: Number(r.head) },
      streamHeads: r.heads.map(([streamId, revision, lastHash]) => ({ streamId, revision, lastHash })),
    };
  }

  /**
   * Every event's leaf rebuilt from its stored columns (the text sealRows hashed), beside the tree's leaf for
   * the same index, as the SQLite adapter does: leaf i is paired with the i-th event read, whatever its
   * position, so a deleted or moved row shows as leaves that differ from there on.
   */
  async *recomputeLeaves(upTo: LogSnapshot['upTo']): AsyncIterable<LeafCheck[]> {
    const last = 'position' in upTo ? upTo.position : Number.MAX_SAFE_INTEGER;
    let after = 0;
    let index = 0;
    for (;;) {
      const rows = await this.db.events(
        `SELECT ${COLUMNS} FROM events WHERE position > $1 AND position <= $2 ORDER BY position LIMIT $3`,
        [after, last, PAGE_SIZE],
      );
      if (rows.length === 0) return;
      const stored = await this.db.objects<{ leaf_index: number; leaf: Buffer }>(
        `SELECT leaf_index, substring(hashes from 1 for ${HASH_BYTES}) AS leaf FROM merkle_tree ` +
          'WHERE leaf_index >= $1 ORDER BY leaf_index LIMIT $2',
        [index, rows.length],
      );
      const leaves = new Map(stored.map((s) => [Number(s.leaf_index), s.leaf]));
      yield leafChecks(rows, index, leaves);
      index += rows.length;
      after = rows[rows.length - 1]![0];
    }
  }

  private treeRows(leafIndexes: number[]): Promise<Map<number, Buffer>> {
    return readTreeRows((text, values) => this.db.objects(text, values), leafIndexes);
  }

  private async sizeWithin(size: number | undefined): Promise<number> {
    const stored = await this.treeSize();
    const n = size ?? stored;
    if (!Number.isSafeInteger(n) || n < 0 || n > stored) {
      throw new RangeError(`the tree has ${stored} leaves, not ${n}`);
    }
    return n;
  }
}

/** The `hashes` of the given tree rows, by leaf index (node lookups for withStoredNodes). */
async function readTreeRows(
  query: <T extends object>(text: string, values: unknown[]) => Promise<T[]>,
  leafIndexes: number[],
): Promise<Map<number, Buffer>> {
  const rows = await query<{ leaf_index: number; hashes: Buffer }>(
    'SELECT leaf_index, hashes FROM merkle_tree WHERE leaf_index = ANY($1::int8[])',
    [leafIndexes],
  );
  return new Map(rows.map((r) => [Number(r.leaf_index), r.hashes]));
}

/**
 * A store written before the tree existed (or with it off) has events without leaves: a node opening it
 * takes them in, under the log-head lock (so with no append in between), so proofs and verification see the
 * whole log from the start.
 */
export async function catchUpAtOpen(client: PoolClient, tree: PostgresMerkleTree): Promise<void> {
  const { rows } = await client.query<{ n: number; head: number }>(
    `SELECT (${TREE_SIZE}) AS n, (SELECT position FROM log_head) AS head`,
  );
  if (rows[0]!.n >= rows[0]!.head) return;
  await client.query('BEGIN');
  try {
    const head = (await client.query<{ p: number }>('SELECT position AS p FROM log_head FOR UPDATE')).rows[0]!
      .p;
    const size = (await client.query<{ n: number }>(TREE_SIZE)).rows[0]!.n;
    const range = await withStoredNodes(
      (perfect) => CompactRange.at(size, perfect),
      (leaves) =>
        readTreeRows(async (text, values) => (await client.query(text, values)).rows as never[], leaves),
    );
    tree.begin(size, () => range);
    await catchUp(client, tree, head);
    await client.query('COMMIT');
    tree.commit();
  } catch (error) {
    tree.rollback();
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
