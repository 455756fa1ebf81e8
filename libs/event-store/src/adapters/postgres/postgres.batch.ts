import { PoolClient } from 'pg';
import { PendingAppend } from '../pending-append';
import { AppendBatchPlanner, StreamHead } from './postgres.append';
import { CompactRange } from '../../merkle/tree-math';
import {
  catchUp,
  frontierFromJson,
  PostgresMerkleTree,
  TREE_SIZE_CTE,
  TREE_STATE_COLUMNS,
} from './postgres.merkle';
import { StoredEventId } from '../answer-retry';
import { NAIVE_SEQUENCE, NOTIFY_CHANNEL } from './postgres.schema';

/**
 * Two round trips whatever the batch holds, on the writer's pipelined connection: BEGIN, the log-head lock
 * and one read of the batch's stream heads and stored ids, sent together; then one statement for every
 * write (events, stream heads, log head, notification) and COMMIT, sent together. Between them the batch is
 * decided in memory. So the lock is held for one round trip, the planning and the commit's WAL flush. The
 * read is a statement of its own after the lock's: a statement's snapshot is taken before it waits for a
 * lock, so a read in the locking statement could miss the commit it waited for. A failing statement aborts
 * the transaction, and the COMMIT pipelined behind it then rolls back.
 *
 * The Merkle tree rides along: the read also returns the tree's size (and its frontier when another node
 * appended since this one last did), the planner hands each accepted event's leaf to the tree, and its rows
 * go into the same write statement. The caller commits or rolls back the tree's frontier with the outcome.
 */
export async function writeBatchTransaction(
  client: PoolClient,
  batch: PendingAppend[],
  naive: boolean,
  tree: PostgresMerkleTree | undefined,
): Promise<AppendBatchPlanner> {
  const total = batch.reduce((n, p) => n + p.events.length, 0);
  const sent = [
    client.query('BEGIN'),
    // First after BEGIN, so everything after it runs alone: see "Ordering" in postgres.event-store.ts.
    naive
      ? client.query<{ p: number }>(`SELECT nextval('${NAIVE_SEQUENCE}') AS p FROM generate_series(1, $1)`, [
          total,
        ])
      : client.query<{ p: number }>('SELECT position AS p FROM log_head FOR UPDATE'),
    readState(client, batch, tree),
  ] as const;
  try {
    const [, first, state] = await settleAll(sent);
    let next: () => number;
    if (naive) {
      let i = 0;
      next = () => first.rows[i++]!.p;
    } else {
      let head = first.rows[0]!.p;
      next = () => ++head;
    }
    if (tree) {
      tree.begin(state.treeSize, () => CompactRange.at(state.treeSize, frontierFromJson(state.frontier)));
      // Events without leaves (written before the tree existed, or with it off): taken in first.
      if (!naive && tree.size < first.rows[0]!.p) await catchUp(client, tree, first.rows[0]!.p);
    }
    const planner = new AppendBatchPlanner(state.heads, state.stored, next, tree);
    for (const p of batch) {
      try {
        p.result = planner.plan(p);
      } catch (error) {
        // The caller's mistake (revision, id reuse, a value JSON cannot hold) fails that append only.
        p.failure = { error };
      }
    }
    const commit =
      planner.rowCount > 0
        ? [write(client, planner, naive, tree), client.query('COMMIT')]
        : [client.query('COMMIT')];
    await settleAll(commit);
    return planner;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** The heads of the batch's streams, which of its event ids are stored, and the tree's state, in one statement. */
async function readState(
  client: PoolClient,
  batch: PendingAppend[],
  tree: PostgresMerkleTree | undefined,
): Promise<{
  heads: Map<string, StreamHead>;
  stored: Map<string, StoredEventId>;
  treeSize: number;
  frontier: [number, string][];
}> {
  const streamIds = [...new Set(batch.map((p) => p.streamId))];
  const eventIds = [...new Set(batch.flatMap((p) => p.events.map((e) => e?.eventId)).filter(isString))];
  const { rows } = await client.query<{
    heads: [string, number, string][];
    ids: [string, number, string, number, string][];
    tree_size?: number;
    frontier?: [number, string][];
  }>(
    (tree ? `WITH ${TREE_SIZE_CTE} ` : '') +
      "SELECT (SELECT coalesce(json_agg(json_build_array(stream_id, revision, last_hash)), '[]'::json) " +
      '          FROM streams WHERE stream_id = ANY($1::text[])) AS heads, ' +
      "       (SELECT coalesce(json_agg(json_build_array(event_id, position, stream_id, revision, type)), '[]'::json) " +
      '          FROM events WHERE event_id = ANY($2::text[])) AS ids' +
      (tree ? `, ${TREE_STATE_COLUMNS}` : ''),
    tree ? [streamIds, eventIds, tree.knownSize] : [streamIds, eventIds],
  );
  const { heads, ids, tree_size = 0, frontier = [] } = rows[0]!;
  return {
    treeSize: tree_size,
    frontier,
    heads: new Map(heads.map(([id, revision, lastHash]) => [id, { revision, lastHash }])),
    stored: new Map(
      ids.map(([id, position, streamId, revision, type]) => [id, { position, streamId, revision, type }]),
    ),
  };
}

/** Every write of the batch in one statement; the notification is delivered to listeners at COMMIT. */
async function write(
  client: PoolClient,
  planner: AppendBatchPlanner,
  naive: boolean,
  tree: PostgresMerkleTree | undefined,
): Promise<void> {
  const c = planner.columns;
  const heads = [...planner.touched.values()];
  const leaves = tree?.takeRows();
  await client.query(
    'WITH e AS (INSERT INTO events (position, event_id, stream_id, revision, type, data, meta) ' +
      '  SELECT * FROM unnest($1::int8[], $2::text[], $3::text[], $4::int4[], $5::text[], $6::text[], $7::text[])), ' +
      's AS (INSERT INTO streams (stream_id, revision, last_hash) ' +
      '  SELECT * FROM unnest($8::text[], $9::int4[], $10::text[]) ' +
      '  ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, last_hash = excluded.last_hash), ' +
      // The log head moves to the batch's last position; under unsafeSequencePositions nothing holds it.
      'h AS (UPDATE log_head SET position = $11 WHERE NOT $12) ' +
      // The batch's leaves and the subtrees they complete: committed with its events or not at all.
      (leaves
        ? ', m AS (INSERT INTO merkle_tree (leaf_index, hashes) SELECT * FROM unnest($13::int8[], $14::bytea[])) '
        : '') +
      `SELECT pg_notify('${NOTIFY_CHANNEL}', '')`,
    [
      c.position,
      c.eventId,
      c.streamId,
      c.revision,
      c.type,
      c.data,
      c.meta,
      [...planner.touched.keys()],
      heads.map((h) => h.revision),
      heads.map((h) => h.lastHash),
      c.position[c.position.length - 1],
      naive,
      ...(leaves ? [leaves.leafIndex, leaves.hashes] : []),
    ],
  );
}

/**
 * Promise.all that waits for every pipelined query to settle before rejecting with the first error, so no
 * query is still outstanding on the connection when the caller rolls back or releases it.
 */
async function settleAll<T extends readonly unknown[]>(
  promises: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as never;
}

function isString(v: unknown): v is string {
  return typeof v === 'string';
}
