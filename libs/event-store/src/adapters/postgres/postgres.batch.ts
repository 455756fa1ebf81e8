import { PoolClient } from 'pg';
import { PendingAppend } from '../pending-append';
import { AppendBatchPlanner, StreamHead } from './postgres.append';
import { NAIVE_SEQUENCE, NOTIFY_CHANNEL, StoredIdRow } from './postgres.schema';

/**
 * Two round trips whatever the batch holds, on the writer's pipelined connection: BEGIN, the log-head lock
 * and one read of the batch's stream heads and stored ids, sent together; then one statement for every
 * write (events, stream heads, log head, notification) and COMMIT, sent together. Between them the batch is
 * decided in memory. So the lock is held for one round trip, the planning and the commit's WAL flush. The
 * read is a statement of its own after the lock's: a statement's snapshot is taken before it waits for a
 * lock, so a read in the locking statement could miss the commit it waited for. A failing statement aborts
 * the transaction, and the COMMIT pipelined behind it then rolls back.
 */
export async function writeBatchTransaction(
  client: PoolClient,
  batch: PendingAppend[],
  naive: boolean,
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
    readState(client, batch),
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
    const planner = new AppendBatchPlanner(state.heads, state.stored, next);
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
        ? [write(client, planner, naive), client.query('COMMIT')]
        : [client.query('COMMIT')];
    await settleAll(commit);
    return planner;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** The heads of the batch's streams and which of its event ids are stored, in one statement. */
async function readState(
  client: PoolClient,
  batch: PendingAppend[],
): Promise<{ heads: Map<string, StreamHead>; stored: Map<string, StoredIdRow> }> {
  const streamIds = [...new Set(batch.map((p) => p.streamId))];
  const eventIds = [...new Set(batch.flatMap((p) => p.events.map((e) => e?.eventId)).filter(isString))];
  const { rows } = await client.query<{
    heads: [string, number, string][];
    ids: [string, number, string, number, string][];
  }>(
    "SELECT (SELECT coalesce(json_agg(json_build_array(stream_id, revision, last_hash)), '[]'::json) " +
      '          FROM streams WHERE stream_id = ANY($1::text[])) AS heads, ' +
      "       (SELECT coalesce(json_agg(json_build_array(event_id, position, stream_id, revision, type)), '[]'::json) " +
      '          FROM events WHERE event_id = ANY($2::text[])) AS ids',
    [streamIds, eventIds],
  );
  const { heads, ids } = rows[0]!;
  return {
    heads: new Map(heads.map(([id, revision, lastHash]) => [id, { revision, lastHash }])),
    stored: new Map(
      ids.map(([id, position, streamId, revision, type]) => [
        id,
        { position, stream_id: streamId, revision, type },
      ]),
    ),
  };
}

/** Every write of the batch in one statement; the notification is delivered to listeners at COMMIT. */
async function write(client: PoolClient, planner: AppendBatchPlanner, naive: boolean): Promise<void> {
  const c = planner.columns;
  const heads = [...planner.touched.values()];
  await client.query(
    'WITH e AS (INSERT INTO events (position, event_id, stream_id, revision, type, data, meta) ' +
      '  SELECT * FROM unnest($1::int8[], $2::text[], $3::text[], $4::int4[], $5::text[], $6::text[], $7::text[])), ' +
      's AS (INSERT INTO streams (stream_id, revision, last_hash) ' +
      '  SELECT * FROM unnest($8::text[], $9::int4[], $10::text[]) ' +
      '  ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, last_hash = excluded.last_hash), ' +
      // The log head moves to the batch's last position; under unsafeSequencePositions nothing holds it.
      `h AS (UPDATE log_head SET position = $11 WHERE NOT $12) ` +
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
