import { types as pgTypes } from 'pg';

/**
 * The PostgreSQL event store's tables (docs/architecture.md §29).
 *
 * - `events`: one row per event. `position` is assigned by the adapter from `log_head` inside the append
 *   transaction (not by a sequence: see postgres.event-store.ts for why), so it is 1-based and gap-free like
 *   SQLite's rowid. `data` and `meta` hold the canonical JSON text the hash was computed over (sealRows), as
 *   `text` rather than `jsonb`: jsonb reorders keys and normalises numbers, and the chain must verify byte for
 *   byte (cast to jsonb to query them).
 * - `streams`: each stream's head (revision, hash of its last event), so an append reads one row per stream.
 * - `log_head`: one row, the position of the last event. Every append transaction locks and moves it, which
 *   serialises appends in commit order.
 */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position  bigint  PRIMARY KEY,
  event_id  text    NOT NULL UNIQUE,
  stream_id text    NOT NULL,
  revision  integer NOT NULL,
  type      text    NOT NULL,
  data      text    NOT NULL,
  meta      text    NOT NULL,
  UNIQUE (stream_id, revision)
);
CREATE TABLE IF NOT EXISTS streams (
  stream_id text    PRIMARY KEY,
  revision  integer NOT NULL,
  last_hash text    NOT NULL
);
CREATE TABLE IF NOT EXISTS log_head (
  id        boolean PRIMARY KEY DEFAULT true CHECK (id),
  position  bigint  NOT NULL
);
INSERT INTO log_head (id, position) VALUES (true, 0) ON CONFLICT (id) DO NOTHING;
`;

/** Test-only (see PostgresEventStoreOptions.unsafeSequencePositions): the naive sequence. */
export const NAIVE_SEQUENCE = 'accord_events_naive_position_seq';

/** Serialises schema creation when several nodes start at once (CREATE TABLE IF NOT EXISTS races). */
export const SCHEMA_LOCK_KEY = 0x616363_6f7264; // 'accord'

/** The channel an append transaction notifies (delivered at COMMIT) so other nodes' subscriptions wake. */
export const NOTIFY_CHANNEL = 'accord_events';

export const COLUMNS = 'position, event_id, stream_id, revision, type, data, meta';

/**
 * int8 (position) as a JS number rather than pg's default string: positions stay far below 2^53. Passed per
 * pool so the process-wide pg defaults are left alone.
 */
const INT8_OID = 20;
export const PG_TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') return (v: string) => Number(v);
    return pgTypes.getTypeParser(oid, format);
  },
} as unknown as typeof pgTypes;

/** A PostgreSQL server error (SQLSTATE code), as opposed to a caller's mistake thrown by our own code. */
export function isPgError(err: unknown): err is Error & { code: string } {
  const e = err as { code?: unknown; severity?: unknown } | null;
  return typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.severity === 'string';
}
