import Database from 'better-sqlite3';

/**
 * `position` is the rowid alias without AUTOINCREMENT: SQLite hands out max(rowid)+1 inside the write lock and
 * we never delete, so positions are 1-based and gap-free, and a reader never sees position n+1 before n.
 * `streams` keeps each stream's head so an append reads one row instead of scanning the stream.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position  INTEGER PRIMARY KEY,
  event_id  TEXT    NOT NULL UNIQUE,
  stream_id TEXT    NOT NULL,
  revision  INTEGER NOT NULL,
  type      TEXT    NOT NULL,
  data      TEXT    NOT NULL,
  meta      TEXT    NOT NULL,
  UNIQUE (stream_id, revision)
);
CREATE TABLE IF NOT EXISTS streams (
  stream_id TEXT    PRIMARY KEY,
  revision  INTEGER NOT NULL,
  last_hash TEXT    NOT NULL
) WITHOUT ROWID;
`;

const COLUMNS = 'position, event_id, stream_id, revision, type, data, meta';

/** A row read in raw mode, in COLUMNS order: arrays cost less than objects keyed by column name. */
export type EventRow = [number, string, string, number, string, string, string];
/** position, stream_id, revision, type of a stored event id. */
export type StoredIdRow = [number, string, number, string];
/** revision, last_hash of a stream. */
export type StreamHeadRow = [number, string];

export function openEventsDb(file: string, busyTimeoutMs: number): Database.Database {
  // busy_timeout: another process may hold the write lock briefly (a CLI, a second node during a rollout).
  const db = new Database(file, { timeout: busyTimeoutMs });
  db.pragma('journal_mode = WAL');
  // NORMAL: a COMMIT writes the WAL without syncing it, and the store syncs the WAL itself off the event
  // loop before it acknowledges or shows anything (WalSync, docs/architecture.md §37.4). Checkpoints still
  // sync the WAL before copying it and the database file before the WAL is reused.
  db.pragma('synchronous = NORMAL');
  // Checkpoint every 10,000 WAL pages (40 MiB) rather than 1,000: a commit of 16 appends dirties ~45 pages
  // (three B-trees), mostly the same hot ones, and each checkpoint copies them to the file and fsyncs it.
  // Fewer checkpoints cost fewer writes: about 10% more appends/s with 16 writers (bench (d)). Durability
  // is the WAL's sync after each commit, which this does not change.
  db.pragma('wal_autocheckpoint = 10000');
  // A batch's multi-row INSERTs and upsert each keep a statement journal (the pages they touch, as they were,
  // so a conflict undoes that statement alone). With temp files SQLite spills it to a file past 64 KiB, which
  // a commit of 16 appends passes: hundreds of pwrites per commit, a fifth of (d)'s CPU (§37.8). In memory it
  // is bounded by one statement's pages (at most 128 rows), and it is never read after a crash, so nothing
  // durable depends on it: the WAL alone is what recovery reads.
  db.pragma('temp_store = MEMORY');
  db.exec(SCHEMA);
  return db;
}

export function prepareStatements(db: Database.Database) {
  return {
    storedId: db.prepare('SELECT position, stream_id, revision, type FROM events WHERE event_id = ?').raw(),
    streamHead: db.prepare('SELECT revision, last_hash FROM streams WHERE stream_id = ?').raw(),
    upsertStream: db.prepare(
      'INSERT INTO streams (stream_id, revision, last_hash) VALUES (?, ?, ?) ' +
        'ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, last_hash = excluded.last_hash',
    ),
    /** Positions in (after, upTo]: reads stop at the durable head. */
    readAll: db
      .prepare(`SELECT ${COLUMNS} FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?`)
      .raw(),
    readStream: db
      .prepare(`SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision`)
      .raw(),
    head: db.prepare('SELECT max(position) FROM events').pluck(),
    streamHeads: db.prepare('SELECT stream_id, revision, last_hash FROM streams').raw(),
    /** Streams written after a position, and a stream's last revision and meta at a position. */
    streamsAfter: db.prepare('SELECT DISTINCT stream_id FROM events WHERE position > ?').pluck(),
    streamHeadAt: db
      .prepare(
        'SELECT revision, meta FROM events WHERE stream_id = ? AND position <= ? ORDER BY revision DESC LIMIT 1',
      )
      .raw(),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;

/**
 * By code, not instanceof: better-sqlite3 registers its error class once per process, so under Jest (one
 * realm per test file) the errors it throws may belong to another file's copy of the class.
 */
export function isSqliteError(err: unknown): err is Error & { code: string } {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_');
}

/** The UNIQUE index on event_id fired: the id belongs to another event already stored. */
export function isEventIdConflict(err: unknown): boolean {
  return (
    isSqliteError(err) && err.code === 'SQLITE_CONSTRAINT_UNIQUE' && err.message.includes('events.event_id')
  );
}
